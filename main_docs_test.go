package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"
)

// TestManPagesComeFromTheFlags writes every manual page (man --dir): one
// for sockscope and one per command, each naming its command's flags as
// --help does; man(1), when installed, renders each.
func TestManPagesComeFromTheFlags(t *testing.T) {
	dir := t.TempDir()
	if _, stderr, code := runFull(t, nil, "man", "--dir", dir); code != 0 {
		t.Fatalf("man --dir: exit %d: %s", code, stderr)
	}
	for page, flags := range map[string][]string{
		"sockscope":         {"decode", "capture", "stats", "follow"},
		"sockscope-decode":  {"-r", "--json", "-#", "-F", "-l", "-Y"},
		"sockscope-capture": {"-i", "-w", "-c", "--duration", "-#", "-F"},
		"sockscope-stats":   {"-z", "-Y", "-F"},
		"sockscope-replay":  {"-i", "-F"},
	} {
		b, err := os.ReadFile(filepath.Join(dir, page+".1"))
		if err != nil {
			t.Fatal(err)
		}
		text := string(b)
		if !strings.Contains(text, ".TH "+page+" 1") {
			t.Errorf("%s.1 has no title line for section 1", page)
		}
		for _, f := range flags {
			if !strings.Contains(text, strings.ReplaceAll(f, "-", `\-`)) && !strings.Contains(text, f) {
				t.Errorf("%s.1 does not mention %s", page, f)
			}
		}
		if _, err := exec.LookPath("man"); err == nil {
			out, err := exec.Command("man", "-l", filepath.Join(dir, page+".1")).CombinedOutput()
			if err != nil || !strings.Contains(string(out), "NAME") {
				t.Errorf("man -l %s.1: %v\n%s", page, err, out)
			}
		}
	}
	if one, _, code := runFull(t, nil, "man", "decode"); code != 0 || !strings.Contains(string(one), ".TH sockscope-decode 1") {
		t.Errorf("man decode: exit %d, not decode's page", code)
	}
	if _, _, code := runFull(t, nil, "man", "nosuch"); code != 2 {
		t.Errorf("man nosuch: exit %d, want 2", code)
	}
}

// TestBashCompletesCommandsAndFlags loads the bash completion script and
// completes a command, a command's long flag and the flags left after
// one given, by asking the binary as the script does.
func TestBashCompletesCommandsAndFlags(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("bash is not installed")
	}
	script := `source <(sockscope completion bash)
complete_line() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _sockscope; echo "= ${COMPREPLY[*]}"; }
complete_line sockscope de
complete_line sockscope decode --js
complete_line sockscope stats -r x.pcap -
complete_line sockscope decode ""`
	cmd := exec.Command(bash, "-c", script)
	cmd.Env = append(os.Environ(), "PATH="+filepath.Dir(binary)+":"+os.Getenv("PATH"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("bash: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(strings.TrimPrefix(l, "="))
	}
	if len(lines) != 4 || lines[0] != "decode" || lines[1] != "--json" {
		t.Fatalf("completions %q, want decode, --json, stats' flags, then no command after decode", lines)
	}
	if strings.Contains(" "+lines[3]+" ", " help ") {
		t.Errorf("decode <TAB>: completions %q offer a hidden help command", lines[3])
	}
	if !strings.Contains(" "+lines[2]+" ", " -z ") || strings.Contains(" "+lines[2]+" ", " -r ") {
		t.Errorf("stats -r x.pcap -: completions %q, want -z and no second -r", lines[2])
	}
	for shell, want := range map[string]string{"zsh": "bashcompinit", "fish": "complete -c sockscope"} {
		if out, _, code := runFull(t, nil, "completion", shell); code != 0 || !strings.Contains(string(out), want) {
			t.Errorf("completion %s: exit %d, no %q", shell, code, want)
		}
	}
	if _, _, code := runFull(t, nil, "completion", "tcsh"); code != 2 {
		t.Errorf("completion tcsh: exit %d, want 2", code)
	}
}

// TestHelpWithoutNoise reads every command's --help: no switch says
// "(default: false)", no count "(default: 0)", and -t means timestamps
// wherever it is (replay's top speed is --topspeed alone).
func TestHelpWithoutNoise(t *testing.T) {
	for _, cmd := range []string{"decode", "capture", "interfaces", "craft", "compare", "replay", "stats", "follow", "man", "completion"} {
		out, _, code := runFull(t, nil, cmd, "--help")
		if code != 0 {
			t.Fatalf("%s --help: exit %d", cmd, code)
		}
		help := string(out)
		for _, noise := range []string{"(default: false)", "(default: 0)", `(default: "")`} {
			if strings.Contains(help, noise) {
				t.Errorf("%s --help says %s", cmd, noise)
			}
		}
		for _, line := range strings.Split(help, "\n") {
			if f := strings.Fields(line); len(f) > 1 && (f[0] == "-t" || f[0] == "-t,") && !strings.Contains(line, "timestamps") {
				t.Errorf("%s --help: -t is not the timestamps: %q", cmd, line)
			}
		}
	}
	if out, _, _ := runFull(t, nil, "decode", "--help"); !strings.Contains(string(out), "(default: all)") {
		t.Error("decode --help does not say that -c left out means every packet")
	}
}

// docs are the documents whose examples TestDocExamplesRunAsShown runs:
// the README and the reference text of the manual pages.
func docs(t *testing.T) []string {
	t.Helper()
	ref, err := filepath.Glob("commands/reference/*.md")
	if err != nil || len(ref) == 0 {
		t.Fatalf("no reference pages in commands/reference: %v", err)
	}
	return append([]string{"README.md"}, ref...)
}

// example is a command shown in a document's ```console block and the
// output pasted under it.
type example struct {
	file      string
	line      int
	cmd, want string
}

// fence is a fenced block of a markdown document: its info string, the
// line it starts on and its lines.
type fence struct {
	info  string
	line  int
	lines []string
}

func fences(t *testing.T, file string) []fence {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var all []fence
	var cur *fence
	for i, l := range strings.Split(string(b), "\n") {
		switch {
		case cur == nil && strings.HasPrefix(l, "```"):
			cur = &fence{info: strings.TrimPrefix(l, "```"), line: i + 1}
		case cur != nil && l == "```":
			all = append(all, *cur)
			cur = nil
		case cur != nil:
			cur.lines = append(cur.lines, l)
		}
	}
	if cur != nil {
		t.Fatalf("%s:%d: a fenced block is never closed", file, cur.line)
	}
	return all
}

// examples splits a console block into commands ("$ " lines, continued by
// a trailing backslash) and the output under each.
func examples(file string, f fence) []example {
	var all []example
	for i := 0; i < len(f.lines); i++ {
		l := f.lines[i]
		if !strings.HasPrefix(l, "$ ") {
			if len(all) > 0 {
				all[len(all)-1].want += l + "\n"
			}
			continue
		}
		ex := example{file: file, line: f.line + 1 + i, cmd: strings.TrimPrefix(l, "$ ")}
		for strings.HasSuffix(ex.cmd, `\`) && i+1 < len(f.lines) {
			i++
			ex.cmd += "\n" + f.lines[i]
		}
		all = append(all, ex)
	}
	return all
}

// TestDocExamplesRunAsShown runs every command of the ```console blocks of
// the README and of the manual pages' reference, in a directory of its
// own that sees the repository's testdata/, with TZ=UTC and this build of
// sockscope first on PATH, and compares what it prints (standard output
// and error together) with the output pasted under it. A block that shows
// a sockscope command on a testdata file must be a console block, so that
// this test runs it, unless it needs root or DuckDB (recorded); those
// (live captures, sends, labs) were recorded once, as their text says.
func TestDocExamplesRunAsShown(t *testing.T) {
	testdata, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Dir(binary) + string(os.PathListSeparator) + os.Getenv("PATH")
	ran := 0
	for _, file := range docs(t) {
		for _, f := range fences(t, file) {
			text := strings.Join(f.lines, "\n")
			if f.info != "console" {
				if strings.Contains(text, "$ sockscope ") && strings.Contains(text, "testdata/") && !recorded(text) {
					t.Errorf("%s:%d: a block runs sockscope on testdata but is not a console block, so no test runs it", file, f.line)
				}
				continue
			}
			dir := t.TempDir()
			if err := os.Symlink(testdata, filepath.Join(dir, "testdata")); err != nil {
				t.Fatal(err)
			}
			for _, ex := range examples(file, f) {
				if strings.Contains(ex.cmd, "../shared") {
					t.Errorf("%s:%d: %q reads a file outside the repository", ex.file, ex.line, ex.cmd)
					continue
				}
				if missing := missingTool(ex.cmd); missing != "" {
					if requireOracles() {
						t.Errorf("%s:%d: %s is not installed and SOCKSCOPE_REQUIRE_PRIV=1", ex.file, ex.line, missing)
					} else {
						t.Logf("%s:%d: skipped: %s is not installed", ex.file, ex.line, missing)
					}
					continue
				}
				cmd := exec.Command("bash", "-c", ex.cmd)
				cmd.Dir = dir
				cmd.Env = append(os.Environ(), "TZ=UTC", "PATH="+path)
				out, _ := cmd.CombinedOutput()
				if got, want := trimLines(string(out)), trimLines(ex.want); got != want {
					t.Errorf("%s:%d: $ %s\nprints:\n%s\nthe document shows:\n%s", ex.file, ex.line, ex.cmd, got, want)
				}
				ran++
			}
		}
	}
	if ran < 20 {
		t.Errorf("ran %d examples; the documents should show at least 20 on testdata", ran)
	}
	t.Logf("%d examples printed what the documents show", ran)
}

// recorded reports whether a block's commands need what a test does not
// set up (root, a lab's namespaces, DuckDB in node): their output was
// recorded once, and the text around says where.
func recorded(block string) bool {
	for _, l := range strings.Split(block, "\n") {
		if strings.HasPrefix(l, "$ sudo ") || strings.HasPrefix(l, "$ node ") || strings.HasPrefix(l, "# ") {
			return true
		}
	}
	return false
}

// missingTool is the first program an example uses besides sockscope and
// the shell's own that is not installed.
func missingTool(cmd string) string {
	for _, tool := range []string{"jq", "tshark", "tcpdump"} {
		if strings.Contains(cmd, tool+" ") {
			if _, err := exec.LookPath(tool); err != nil {
				return tool
			}
		}
	}
	return ""
}

// trimLines is text without the spaces, tabs and carriage returns (an
// HTTP message's) that end its lines and without the empty lines that end
// it: what a markdown file does not keep.
func trimLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t\r")
	}
	return strings.TrimRight(strings.Join(lines, "\n"), "\n")
}

// TestReadmeHasContents checks the README as a front page: a table of
// contents whose every link leads to a heading of the README, listing
// every section; the install and set-up lines; and no example or link
// that reaches outside the repository (../shared).
func TestReadmeHasContents(t *testing.T) {
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	anchors := map[string]bool{}
	var sections []string
	inFence := false
	for _, l := range strings.Split(readme, "\n") {
		if strings.HasPrefix(l, "```") {
			inFence = !inFence
		}
		if inFence || !strings.HasPrefix(l, "#") {
			continue
		}
		level := len(l) - len(strings.TrimLeft(l, "#"))
		a := anchor(strings.TrimSpace(l[level:]))
		anchors[a] = true
		if level == 2 && a != "contents" {
			sections = append(sections, a)
		}
	}
	i := strings.Index(readme, "\n## Contents\n")
	if i < 0 {
		t.Fatal("README.md has no ## Contents")
	}
	toc := readme[i+len("\n## Contents\n"):]
	toc = toc[:strings.Index(toc, "\n## ")]
	linked := map[string]bool{}
	for _, m := range regexp.MustCompile(`\]\(#([^)]*)\)`).FindAllStringSubmatch(toc, -1) {
		linked[m[1]] = true
		if !anchors[m[1]] {
			t.Errorf("the contents link to #%s, which is no heading of README.md", m[1])
		}
	}
	for _, s := range sections {
		if !linked[s] {
			t.Errorf("the contents do not list the section #%s", s)
		}
	}
	if len(linked) < 10 {
		t.Errorf("the contents have %d links, want one per section (%d)", len(linked), len(sections))
	}
	if strings.Contains(readme, "../shared") {
		t.Error("README.md refers to ../shared, which is not in the repository")
	}
	ci, err := os.ReadFile(".ci/run")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{"go test ./...", "go run . decode -r testdata/"} {
		if !strings.Contains(readme, "\n    "+line) {
			t.Errorf("README.md does not show the set-up line %q", line)
		}
	}
	if !strings.Contains(string(ci), "\ngo test ./...\n") {
		t.Error(".ci/run no longer runs the README's test command, go test ./...")
	}
	if len(b) > 20000 {
		t.Errorf("README.md is %d bytes; the reference belongs in the manual pages (commands/reference)", len(b))
	}
}

// anchor is the fragment GitHub gives a heading: lower case, spaces as
// hyphens, punctuation other than hyphens and underscores left out.
func anchor(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(heading) {
		switch {
		case r == ' ':
			b.WriteByte('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

// TestManPagesCarryTheReference reads each page as man(1) shows it: the
// flags' part, then the command's reference, with a heading of it and an
// example from it.
func TestManPagesCarryTheReference(t *testing.T) {
	for page, want := range map[string][]string{
		"":           {"SET UP", "EXIT STATUS", "DEPENDENCIES", "go test ./..."},
		"decode":     {"FILTERS", "JSON OUTPUT", "FIELD OUTPUT", "DISPLAY FILTERS", "PARQUET OUTPUT", "tcp[tcpflags] & tcp-syn != 0 and port 46001", "expected a primitive"},
		"capture":    {"LIVE CAPTURE", "packets received by filter"},
		"interfaces": {"LISTING", "Pseudo-device that captures on all interfaces"},
		"stats":      {"TABLES", "Protocol Hierarchy Statistics"},
		"follow":     {"FOLLOWING A STREAM", "Follow: udp,hex"},
		"craft":      {"SPECS AND DRY RUNS", "SENDING", "packets transmitted"},
		"compare":    {"KINDS SIDE BY SIDE", "boundaries     kept"},
		"replay":     {"REPLAY ONTO A LINK", "A RECORDED CONVERSATION AGAINST A LIVE SERVER", "dry run: would send 3 packets"},
	} {
		args := []string{"man"}
		if page != "" {
			args = append(args, page)
		}
		out, stderr, code := runFull(t, nil, args...)
		if code != 0 {
			t.Fatalf("man %s: exit %d: %s", page, code, stderr)
		}
		text := string(out)
		for _, w := range want {
			if !strings.Contains(text, w) && !strings.Contains(text, strings.ReplaceAll(w, "-", `\-`)) {
				t.Errorf("man %s: the page has no %q", page, w)
			}
		}
		if _, err := exec.LookPath("man"); err != nil {
			continue
		}
		cmd := exec.Command("man", "-l", "-")
		cmd.Stdin = strings.NewReader(text)
		cmd.Env = append(os.Environ(), "MANWIDTH=200")
		shown, err := cmd.Output()
		if err != nil {
			t.Fatalf("man -l - for %s: %v", page, err)
		}
		for _, w := range want {
			if !strings.Contains(string(shown), w) {
				t.Errorf("man %s | man -l -: no %q shown", page, w)
			}
		}
	}
}
