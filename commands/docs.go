package commands

import (
	"embed"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/cpuguy83/go-md2man/v2/md2man"
	"github.com/urfave/cli/v2"
)

// reference holds the reference text of the pages, in markdown: sockscope.md
// for sockscope(1) and COMMAND.md for sockscope-COMMAND(1). Each page is
// the flags' part, as --help has it, followed by that file.
//
//go:embed reference/*.md
var reference embed.FS

// manCommand prints the manual pages, made from the same definitions as
// --help: sockscope(1) and one page per command, sockscope-COMMAND(1).
func manCommand() *cli.Command {
	return &cli.Command{
		Name:      "man",
		Usage:     "print sockscope's manual page, or a command's; --dir writes them all as files for man(1)",
		UsageText: "sockscope man [COMMAND] | man -l -\n   sockscope man --dir DIR",
		Description: `The pages are made from the same definitions as --help: the flags, their
letters and what they do, then the command's reference (what it reads and prints,
its formats, examples with their output). sockscope man decode | man -l - reads
decode's page; sockscope man --dir /usr/local/share/man/man1 installs every page
(sockscope.1, sockscope-decode.1, ...).`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "dir", Usage: "write every page into `DIR` as NAME.1 instead of printing one"},
		},
		Action: runMan,
	}
}

func runMan(c *cli.Context) error {
	app := App()
	if dir := c.String("dir"); dir != "" {
		if c.NArg() > 0 {
			return usageErrorf("man: --dir writes every page; give no COMMAND (%q)", c.Args().First())
		}
		pages, err := manPages(app)
		if err != nil {
			return fmt.Errorf("man: %w", err)
		}
		for name, page := range pages {
			if err := os.WriteFile(filepath.Join(dir, name+".1"), []byte(page), 0o644); err != nil {
				return fmt.Errorf("man: %w", err)
			}
		}
		return nil
	}
	if c.NArg() > 1 {
		return usageErrorf("man: give at most one COMMAND (got %q)", strings.Join(c.Args().Slice(), " "))
	}
	name := "sockscope"
	if c.NArg() == 1 {
		if app.Command(c.Args().First()) == nil {
			return usageErrorf("man: %q is not a sockscope command (see sockscope --help)", c.Args().First())
		}
		name += "-" + c.Args().First()
	}
	pages, err := manPages(app)
	if err != nil {
		return fmt.Errorf("man: %w", err)
	}
	_, err = fmt.Fprint(c.App.Writer, pages[name])
	return err
}

// manPages are the pages of app, by name: the application's own and one
// per visible command.
func manPages(app *cli.App) (map[string]string, error) {
	pages := map[string]string{}
	page, err := manPage(app, "sockscope.md")
	if err != nil {
		return nil, err
	}
	pages[app.Name] = page
	for _, cmd := range app.VisibleCommands() {
		one := &cli.App{
			Name:        app.Name + "-" + cmd.Name,
			Usage:       cmd.Usage,
			UsageText:   cmd.UsageText,
			Description: cmd.Description,
			Flags:       cmd.Flags,
		}
		if one.UsageText == "" {
			one.UsageText = app.Name + " " + cmd.Name + " [options]"
		}
		page, err := manPage(one, cmd.Name+".md")
		if err != nil {
			return nil, err
		}
		pages[one.Name] = page
	}
	return pages, nil
}

// manPage is app's page in section 1: urfave/cli's markdown of its
// definitions (what ToManWithSection renders), then the reference file
// named, when there is one, rendered by the same md2man in one document.
func manPage(app *cli.App, file string) (string, error) {
	md, err := app.ToMarkdown()
	if err != nil {
		return "", err
	}
	doc := "% " + app.Name + " 1\n\n" + md
	if ref, err := reference.ReadFile("reference/" + file); err == nil {
		doc += "\n" + string(ref)
	}
	return string(md2man.Render([]byte(doc))), nil
}

// completionCommand prints a shell's completion script: commands and
// flags completed from the same definitions as --help.
func completionCommand() *cli.Command {
	return &cli.Command{
		Name:      "completion",
		Usage:     "print the shell completion script for bash, zsh or fish",
		UsageText: "sockscope completion bash|zsh|fish",
		Description: `Load it in the shell's start-up file, for instance:
   bash: source <(sockscope completion bash)        (in ~/.bashrc)
   zsh:  source <(sockscope completion zsh)         (in ~/.zshrc)
   fish: sockscope completion fish > ~/.config/fish/completions/sockscope.fish`,
		Action: runCompletion,
	}
}

func runCompletion(c *cli.Context) error {
	if c.NArg() != 1 {
		return usageErrorf("completion: give one shell: bash, zsh or fish")
	}
	var script string
	switch shell := c.Args().First(); shell {
	case "bash":
		script = bashCompletion
	case "zsh":
		script = zshCompletion
	case "fish":
		s, err := App().ToFishCompletion()
		if err != nil {
			return fmt.Errorf("completion: %w", err)
		}
		script = s
	default:
		return usageErrorf("completion: %q: sockscope completes bash, zsh and fish", shell)
	}
	_, err := fmt.Fprint(c.App.Writer, script)
	return err
}

// bashCompletion asks sockscope itself for the words that may follow
// (the commands; a command's flags, when the word begun is one), as
// urfave/cli answers a line ending in --generate-bash-completion, and
// leaves the choice among them to compgen; file names otherwise.
const bashCompletion = `# sockscope completion for bash: source <(sockscope completion bash)
_sockscope() {
	local cur=${COMP_WORDS[COMP_CWORD]} words
	if [[ $cur == -* ]]; then
		words=$("${COMP_WORDS[@]:0:COMP_CWORD}" - --generate-bash-completion 2>/dev/null)
	else
		words=$("${COMP_WORDS[@]:0:COMP_CWORD}" --generate-bash-completion 2>/dev/null)
	fi
	COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -o bashdefault -o default -F _sockscope sockscope
`

// zshCompletion is the bash one through zsh's bashcompinit.
const zshCompletion = `# sockscope completion for zsh: source <(sockscope completion zsh)
autoload -U +X bashcompinit && bashcompinit
` + bashCompletion
