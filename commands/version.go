package commands

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/urfave/cli/v2"
)

// versionFlag is --version alone: -v is decode's verbosity, as tcpdump's.
var versionFlag = &cli.BoolFlag{Name: "version", Usage: "print sockscope's version, the commit it was built from and the Go that built it"}

// version is the module's version as the build recorded it: a release's
// tag for go install ...@vX.Y.Z, or, for a build from a checkout, the
// commit and whether the tree had changes.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown (built without module information)"
	}
	v := info.Main.Version
	if v == "" || v == "(devel)" {
		v = "devel"
		var rev, when string
		dirty := false
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.time":
				when = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
		if len(rev) > 12 {
			rev = rev[:12]
		}
		if rev != "" {
			v += " " + rev
			if dirty {
				v += "+changes"
			}
			if when != "" {
				v += " (" + when + ")"
			}
		}
	}
	return v
}

// printVersion writes what --version prints, as tcpdump writes its own
// and its library's: sockscope's version, then the Go it was built with.
func printVersion(c *cli.Context) {
	fmt.Fprintf(c.App.Writer, "sockscope version %s\n%s %s/%s\n", version(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
}
