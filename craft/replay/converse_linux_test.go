package replay

import (
	"bytes"
	"context"
	"net"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sockscope/sockscope/capture/capturetest"
	"github.com/sockscope/sockscope/decode/flow"
)

// converseFromA replays in the lab's namespace A, where the socket is made.
func converseFromA(t *testing.T, l *capturetest.Lab, path string, sel Selector, opts ConverseOptions) *ConversationReport {
	t.Helper()
	return reportFromA(t, l, func(ctx context.Context) (*ConversationReport, error) {
		return Converse(ctx, path, sel, opts)
	})
}

// reportFromA runs converse in the lab's namespace A, within the lab's
// patience, and logs its report.
func reportFromA(t *testing.T, l *capturetest.Lab, converse func(ctx context.Context) (*ConversationReport, error)) *ConversationReport {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), capturetest.Patience)
	defer cancel()
	var rep *ConversationReport
	err := capturetest.InNS(l.A, func() (err error) {
		rep, err = converse(ctx)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var text bytes.Buffer
	rep.WriteText(&text)
	t.Logf("report:\n%s", text.String())
	return rep
}

// The recorded HTTP conversation, replayed from namespace A to
// testdata/httpserver in namespace B across the lab's veth: the same server
// matches, one that answers differently differs, one that closes misses.
func TestHTTPConversationReplayAcrossTheLab(t *testing.T) {
	l := capturetest.NewLab(t)
	ip := capturetest.RequireTool(t, "ip")
	bin := buildHTTPServer(t)
	for i, c := range []struct {
		mode    string
		want    []Verdict
		matched bool
	}{
		{"same", []Verdict{Same, Same, Same}, true},
		{"differ", []Verdict{Differs, Differs, Same}, false},
		{"closeearly", []Verdict{Same, Missing, Missing}, false},
	} {
		t.Run(c.mode, func(t *testing.T) {
			listen := netip.AddrPortFrom(capturetest.IPB, uint16(46080+i)).String()
			addr := startHTTPServer(t, bin, c.mode, listen, ip, "netns", "exec", l.NsB)
			rep := converseFromA(t, l, httpPcap, Selector{Flow: 1}, ConverseOptions{To: addr})
			if !slices.Equal(verdicts(rep), c.want) || rep.Matched() != c.matched {
				t.Errorf("verdicts %v, matched %v; want %v, %v", verdicts(rep), rep.Matched(), c.want, c.matched)
			}
			if c.mode == "differ" && !strings.Contains(rep.Exchanges[1].Diff, `live "HTTP/1.1 503 Service Unavailable"`) {
				t.Errorf("diff:\n%s", rep.Exchanges[1].Diff)
			}
		})
	}
}

// A DNS conversation of dns.pcap over UDP, replayed from A to a small
// server in B that answers as dnsmasq did, then to one whose answers
// differ, then to a port where nothing listens.
func TestDNSConversationReplayAcrossTheLab(t *testing.T) {
	l := capturetest.NewLab(t)
	convs, msgs := recordedDNS(t, flow.UDP)
	book := answerBook(msgs, false)
	for _, c := range []struct {
		name  string
		serve bool
		spoil bool
		want  Verdict
	}{
		{"same", true, false, Same},
		{"differ", true, true, Differs},
		{"unreachable", false, false, Missing},
	} {
		t.Run(c.name, func(t *testing.T) {
			addr := netip.AddrPortFrom(capturetest.IPB, 5353).String()
			if c.serve {
				var pc net.PacketConn
				err := capturetest.InNS(l.B, func() (err error) {
					pc, err = net.ListenPacket("udp4", addr)
					return err
				})
				if err != nil {
					t.Fatal(err)
				}
				defer pc.Close()
				go answerDNS(pc, book, c.spoil)
			}
			rep := reportFromA(t, l, func(ctx context.Context) (*ConversationReport, error) {
				return ConverseMessages(ctx, convs[1], msgs[1], ConverseOptions{To: addr, Timeout: time.Second})
			})
			if !slices.Equal(verdicts(rep), []Verdict{c.want}) {
				t.Errorf("verdicts %v, want %v", verdicts(rep), c.want)
			}
			if c.name == "unreachable" && rep.Exchanges[0].Diff != "port unreachable: nothing listens on "+addr {
				t.Errorf("missing because %q", rep.Exchanges[0].Diff)
			}
		})
	}
}
