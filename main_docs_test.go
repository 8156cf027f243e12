package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
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
complete_line() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _sockscope; echo "${COMPREPLY[*]}"; }
complete_line sockscope de
complete_line sockscope decode --js
complete_line sockscope stats -r x.pcap -`
	cmd := exec.Command(bash, "-c", script)
	cmd.Env = append(os.Environ(), "PATH="+filepath.Dir(binary)+":"+os.Getenv("PATH"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("bash: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != 3 || lines[0] != "decode" || lines[1] != "--json" {
		t.Fatalf("completions %q, want decode, --json, then stats' flags", lines)
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
