package commands

import (
	"errors"
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"
)

// App returns the sockscope command-line application.
func App() *cli.App {
	cli.VersionFlag, cli.VersionPrinter = versionFlag, printVersion
	cli.FlagStringer = flagHelp
	app := &cli.App{
		Name:    "sockscope",
		Version: version(),
		Usage:   "capture, decode, craft and replay packets; see what each kind of socket puts on the wire",
		Description: `Flags follow tcpdump's letters where tcpdump has the same meaning.
A filter expression is the trailing arguments, as in tcpdump.

Examples:
   sockscope decode -n -r testdata/tcp4.pcap          one line per packet, as tcpdump -n
   sockscope decode -n -v -r testdata/dns.pcap        verbose, with IP header fields
   sockscope decode -n -e -X -c 2 -r testdata/arp-icmp.pcap   link header and hex+ASCII dump
   sockscope decode --json -r testdata/tcp6.pcap | jq -c .ipv6    JSON lines for scripts
   cat testdata/any.pcap | sockscope decode -n -r -   read a capture from standard input`,
		UseShortOptionHandling: true,
		HideHelpCommand:        true,
		Commands: []*cli.Command{
			decodeCommand(),
			captureCommand(),
			interfacesCommand(),
			craftCommand(),
			compareCommand(),
			replayCommand(),
			statsCommand(),
			followCommand(),
			manCommand(),
			completionCommand(),
		},
		EnableBashCompletion: true,
		OnUsageError: func(c *cli.Context, err error, isSubcommand bool) error {
			return usageErrorf("%v (see sockscope --help)", err)
		},
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return usageErrorf("unknown command %q (see sockscope --help)", c.Args().First())
			}
			return cli.ShowAppHelp(c)
		},
		ExitErrHandler: func(*cli.Context, error) {},
	}
	// --help is each command's help: no hidden "help" subcommand, which
	// shell completion would offer after the command's name.
	for _, c := range app.Commands {
		c.HideHelpCommand = true
	}
	return app
}

// cliFlagHelp is urfave/cli's line for a flag in --help and the pages.
var cliFlagHelp = cli.FlagStringer

// flagHelp is a flag's help line without the noise: no "(default: false)"
// after a switch, no zero default after a count, and no default repeated
// where the usage already says what leaving the flag out means.
func flagHelp(f cli.Flag) string {
	s := cliFlagHelp(f)
	i := strings.LastIndex(s, " (default: ")
	if i < 0 {
		return s
	}
	switch def := strings.TrimSuffix(s[i+len(" (default: "):], ")"); {
	case def == "false", def == "0", def == `""`, def == "0s":
		return s[:i]
	case strings.Contains(s[:i], "default"):
		return s[:i]
	}
	return s
}

// UsageError is a mistake on the command line: a bad flag, a bad value, a bad
// filter or spec. It exits with status 2.
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

func usageErrorf(format string, args ...any) error {
	return &UsageError{Err: fmt.Errorf(format, args...)}
}

// ExitCode maps an error returned by App().Run to sockscope's exit status:
// 2 for usage errors, 1 for failed work.
func ExitCode(err error) int {
	var ue *UsageError
	if errors.As(err, &ue) {
		return 2
	}
	return 1
}
