package commands

import (
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/sockscope/sockscope/capture/capturetest"
	"github.com/sockscope/sockscope/craft"
	"github.com/sockscope/sockscope/craft/compare"
	"github.com/sockscope/sockscope/craft/spec"
)

// compare --lab --ip6: the IP kinds cross the veth between fd33::1 and
// fd33::2, and each kind's wire count is tcpdump's on the veth, with the
// neighbour discovery packets of its time.
func TestCompareLabIP6WireCountsWhatTcpdumpCountsOnTheVeth(t *testing.T) {
	requireLab(t)
	tcpdump := capturetest.RequireTool(t, "tcpdump")
	before := labsNow(t)
	lab := compare.NewLab(compare.Impairment{})
	if err := lab.Build(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := lab.Close(); err != nil {
			t.Error(err)
		}
		noLabLeft(t, before)
	}()
	const nd = "(icmp6 and (ip6[40] == 135 or ip6[40] == 136))"
	td := capturetest.StartTcpdump(t, lab.NsB, "-i", lab.Link(), "--immediate-mode", nd+" or tcp or udp or ip6 proto 253")
	file := td.File

	s, err := spec.Parse(compare.LabRawSpec6)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := craft.Build(s, craft.Options{})
	if err != nil {
		t.Fatal(err)
	}
	msgs := [][]byte{[]byte("one"), []byte("two"), []byte("three"), []byte("four")}
	r, err := compare.RunInLab(compare.Config{Messages: msgs, Kinds: []string{"raw", "tcp", "udp"}, Raw: raw, ReadDelay: 50 * time.Millisecond, IP6: true}, lab)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond)
	td.Stop(t)
	count := func(expr string) int {
		out, err := exec.Command(tcpdump, "-n", "-r", file, expr).Output()
		if err != nil {
			t.Fatalf("tcpdump -r %s: %v", expr, err)
		}
		return strings.Count(string(out), "\n")
	}
	nds := count(nd)
	extra := 0 // neighbour discovery packets the kinds' captures took
	for _, k := range r.Kinds {
		var data []string
		for _, rd := range k.Reads {
			data = append(data, rd.Data)
		}
		want := "one,two,three,four"
		if k.Name == "tcp" {
			want = strings.Join(data, ",") // merged or not: the bytes in order
			if strings.Join(data, "") != "onetwothreefour" {
				want = "onetwothreefour"
			}
		}
		if strings.Join(data, ",") != want || k.Lost != 0 || k.Family != "inet6" {
			t.Errorf("%s: reads %q, lost %d, family %s; want %s, none lost, inet6", k.Name, data, k.Lost, k.Family, want)
		}
		if k.Wire == nil {
			t.Fatalf("%s: no wire counted", k.Name)
		}
		expr := "ip6 proto 253 and src host fd33::1 and dst host fd33::2"
		if k.Name != "raw" {
			if !strings.HasPrefix(k.Sender, "[fd33::1]:") || !strings.HasPrefix(k.Receiver, "[fd33::2]:") {
				t.Errorf("%s: %s -> %s, want [fd33::1]:port -> [fd33::2]:port", k.Name, k.Sender, k.Receiver)
			}
			expr = "ip6 and " + k.Name + " port " + k.Receiver[strings.LastIndex(k.Receiver, ":")+1:]
		}
		n := count(expr)
		if k.Wire.Packets < n || k.Wire.Packets > n+nds {
			t.Errorf("%s: wire counts %d packets, tcpdump %d of %q and %d of neighbour discovery", k.Name, k.Wire.Packets, n, expr, nds)
		}
		if k.Name == "tcp" && (k.Wire.Setup != 3 || k.Wire.PayloadBytes != 15) {
			t.Errorf("tcp wire %+v, want setup 3 and 15 payload bytes", *k.Wire)
		}
		extra += k.Wire.Packets - n
	}
	if len(r.Kinds) != 3 {
		t.Errorf("ran %d kinds, want raw, tcp, udp (skipped %v)", len(r.Kinds), r.Skipped)
	}
	// Neighbour discovery (a reachability probe) may also come between two
	// kinds' captures, where none takes it: the kinds take no more of it
	// than tcpdump saw.
	if extra > nds {
		t.Errorf("the kinds' captures took %d neighbour discovery packets, tcpdump saw %d on the veth", extra, nds)
	}
}
