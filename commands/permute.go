package commands

import (
	"strings"

	"github.com/urfave/cli/v2"
)

// Run runs the application on the command line args (os.Args), with the
// options that follow a command's arguments moved before them, as GNU
// getopt does for tcpdump: `decode -r f.pcap tcp -c 2` reads -c 2 as an
// option, not as part of the filter. "--" ends the options, as there.
func Run(args []string) error {
	app := App()
	return app.Run(permute(app, args))
}

// permute moves the options of args' command (args[1]) that come after its
// first argument before it. Only the command's own options move, each with
// its value; anything else stays where it was, in order.
func permute(app *cli.App, args []string) []string {
	if len(args) < 3 {
		return args
	}
	cmd := app.Command(args[1])
	if cmd == nil {
		return args
	}
	takesValue := map[string]bool{} // option name -> it takes a value
	for _, f := range cmd.Flags {
		_, isBool := f.(*cli.BoolFlag)
		for _, n := range f.Names() {
			takesValue[n] = !isBool
		}
	}
	var opts, rest []string
	positional := false
	for i := 2; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			rest = append(rest, args[i:]...)
			break
		}
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		value, known := takesValue[name]
		switch {
		case !strings.HasPrefix(a, "-") || a == "-":
			positional = true
			rest = append(rest, a)
		case known || shortBools(name, takesValue):
			if !positional {
				rest = append(rest, a)
				if value && !hasValue && i+1 < len(args) {
					rest = append(rest, args[i+1])
					i++
				}
				continue
			}
			opts = append(opts, a)
			if value && !hasValue && i+1 < len(args) {
				opts = append(opts, args[i+1])
				i++
			}
		default:
			rest = append(rest, a)
		}
	}
	out := append([]string{args[0], args[1]}, opts...)
	return append(out, rest...)
}

// shortBools says whether name is a group of one-letter options that take
// no value, such as "nv" for -n -v.
func shortBools(name string, takesValue map[string]bool) bool {
	if len(name) < 2 {
		return false
	}
	for _, c := range name {
		if v, ok := takesValue[string(c)]; !ok || v {
			return false
		}
	}
	return true
}
