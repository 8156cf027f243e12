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
	args, err := fieldArgs(args)
	if err != nil {
		return err
	}
	if err := onceEach(app, args); err != nil {
		return err
	}
	return app.Run(permute(app, args))
}

// onceEach is the usage error of an option given twice that takes one
// value (two -r, two -w, two -c): the parser would keep the last without a
// word. Switches count (-vv) and lists repeat (-z, -e, -E).
func onceEach(app *cli.App, args []string) error {
	if len(args) < 3 {
		return nil
	}
	cmd := app.Command(args[1])
	if cmd == nil {
		return nil
	}
	takesValue, once := optionKinds(cmd)
	seen := map[string]string{} // first name -> the value given first
	for i := 2; i < len(args); i++ {
		if args[i] == "--" {
			break
		}
		words, n := optionWords(args[i], args[i+1:], takesValue)
		if n == 0 {
			continue
		}
		i += n - 1
		for j := 0; j < len(words); j++ {
			name, value, inline := strings.Cut(strings.TrimLeft(words[j], "-"), "=")
			if !inline && takesValue[name] && j+1 < len(words) {
				j++
				value = words[j]
			}
			first, ok := once[name]
			if !ok {
				continue
			}
			if before, again := seen[first]; again {
				return usageErrorf("%s: %s given twice (%s and %s): give it once (see sockscope %s --help)", cmd.Name, flagName(first), before, value, cmd.Name)
			}
			seen[first] = value
		}
	}
	return nil
}

// permute moves the options of args' command (args[1]) that come after its
// first argument before it, each with its value, and puts a "--" before
// the arguments so that none of them is read as an option. Only the
// command's own options move; anything else stays where it was, in order.
func permute(app *cli.App, args []string) []string {
	if len(args) < 3 {
		return args
	}
	cmd := app.Command(args[1])
	if cmd == nil {
		return args
	}
	takesValue, _ := optionKinds(cmd)
	var opts, operands []string
	moved := false // an option came after an operand
	for i := 2; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			operands = append(operands, args[i+1:]...)
			break
		}
		words, n := optionWords(a, args[i+1:], takesValue)
		if n == 0 && len(operands) == 0 && len(a) > 1 && a[0] == '-' {
			// An option the command does not have, before any
			// argument: the parser says so, as it would anyway.
			return args
		}
		if n == 0 {
			operands = append(operands, a)
			continue
		}
		if len(operands) > 0 {
			moved = true
		}
		opts = append(opts, words...)
		i += n - 1
	}
	if !moved && len(operands) > 0 && !hasDashDash(args) {
		return args // nothing to move: leave the line as it was
	}
	out := append([]string{args[0], args[1]}, opts...)
	if len(operands) > 0 {
		out = append(out, "--")
	}
	return append(out, operands...)
}

// optionKinds are, by each name of cmd's options, whether it takes a
// value, and, for one that takes a single value (no switch that counts,
// no list), the option's first name.
func optionKinds(cmd *cli.Command) (takesValue map[string]bool, once map[string]string) {
	takesValue, once = map[string]bool{}, map[string]string{}
	for _, f := range cmd.Flags {
		_, isBool := f.(*cli.BoolFlag)
		repeats := isBool
		switch f := f.(type) {
		case *cli.StringSliceFlag, *cli.IntSliceFlag, *cli.Int64SliceFlag, *cli.Float64SliceFlag:
			repeats = true
		case *cli.GenericFlag:
			_, repeats = f.Value.(*repeated)
		}
		for _, n := range f.Names() {
			takesValue[n] = !isBool
			if !repeats {
				once[n] = f.Names()[0]
			}
		}
	}
	return takesValue, once
}

// optionWords reads one of the command's options, and its value, from a
// and the words after it, as getopt does: "--count=2", "--count 2", "-c 2",
// "-c2", and groups of one-letter options that may end in one taking a
// value ("-nv", "-nc 2", "-nc2"). It returns the option as urfave/cli
// reads it (-c2 as -c 2) and how many of the user's words it took; 0 when
// a is not one of the command's options, or needs a value it lacks.
func optionWords(a string, next []string, takesValue map[string]bool) ([]string, int) {
	if len(a) < 2 || a[0] != '-' {
		return nil, 0
	}
	// A name, after one dash or two: "--count", "-dry-run".
	name, _, inline := strings.Cut(strings.TrimLeft(a, "-"), "=")
	if value, known := takesValue[name]; known && (len(name) > 1 || strings.HasPrefix(a, "--") || inline) {
		switch {
		case !value || inline:
			return []string{a}, 1
		case len(next) > 0:
			return []string{a, next[0]}, 2
		}
		return nil, 0
	}
	if strings.HasPrefix(a, "--") {
		return nil, 0
	}
	// Letters.
	var words []string
	for j, c := range a[1:] {
		value, known := takesValue[string(c)]
		switch {
		case !known:
			return nil, 0
		case !value:
			words = append(words, "-"+string(c))
			continue
		case j+2 < len(a): // the rest of the word is the value: -c2
			return append(words, "-"+string(c), a[j+2:]), 1
		case len(next) > 0:
			return append(words, "-"+string(c), next[0]), 2
		}
		return nil, 0
	}
	return words, 1
}

// hasDashDash says whether the user wrote "--" among a command's words.
func hasDashDash(args []string) bool {
	for _, a := range args[2:] {
		if a == "--" {
			return true
		}
	}
	return false
}
