package commands

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"time"

	"github.com/google/gopacket"
	"github.com/urfave/cli/v2"

	"github.com/sockscope/sockscope/capture"
	"github.com/sockscope/sockscope/craft"
	"github.com/sockscope/sockscope/craft/spec"
	"github.com/sockscope/sockscope/decode"
)

func craftCommand() *cli.Command {
	return &cli.Command{
		Name:      "craft",
		Usage:     "build packets with the headers you write (--dry-run prints them; sending is to come)",
		UsageText: "sockscope craft [--dry-run] [-c N] [-i IFACE] [-w FILE] SPEC",
		Description: `SPEC is layers joined by / as in scapy, each with the fields you set; the rest get
sane defaults (lengths, checksums, protocol numbers, source address from the routing table).
A field you set is kept exactly, even when it is wrong. SPEC is the trailing arguments joined
with spaces; quote it for the shell.

Layers: ether(dst,src,type) vlan(id,prio,dei,type) arp(op,hwsrc,psrc,hwdst,pdst,...)
  ip(src,dst,ttl,tos,id,flags=DF|MF,frag,proto,len,chksum,ihl,version,options=[nop,ra,rr=3])
  ip6(src,dst,hlim,tc,fl,nh,plen) hbh(nh,len,options=[padn=4,ra=0]) dstopts(...)
  rh(nh,len,type,segleft,addrs=[fd00::1]) frag6(nh,offset,m,id)
  icmp(type=echo-request,code,id,seq,chksum,gw,mtu) icmp6(type,code,id,seq,chksum,mtu,target,lladdr,flags)
  tcp(sport,dport,seq,ack,flags=SA,win,urp,chksum,dataofs,reserved,options=[mss=1460,sackok,wscale=7,ts=1:0,nop,eol])
  udp(sport,dport,len,chksum) dns(qname,qtype=AAAA,qclass,id,rd,...)
Payloads: "text" (escapes \n \t \xHH), hex:0a0b0c, fill(N), fill(N,0x41).

Examples:
   sockscope craft --dry-run 'ip(dst=10.0.0.2,ttl=3)/tcp(dport=80,flags=S,options=[mss=1460,sackok,wscale=7])'
   sockscope craft --dry-run -c 3 'ip(dst=192.0.2.1)/icmp(type=echo-request)/fill(56)'
   sockscope craft --dry-run 'ip6(dst=fd00::2)/frag6(m=1,id=7)/udp(dport=53)/dns(qname=example.com,qtype=AAAA)'
   sockscope craft --dry-run -i eth0 'ether(dst=ff:ff:ff:ff:ff:ff)/arp(pdst=10.0.0.1)'
   sockscope craft --dry-run -w probes.pcap 'ip(dst=10.0.0.2)/udp(dport=9,chksum=0x1234)/"hello\n"'`,
		UseShortOptionHandling: true,
		OnUsageError: func(c *cli.Context, err error, isSubcommand bool) error {
			return usageErrorf("craft: %v (see sockscope craft --help)", err)
		},
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "dry-run", Usage: "print each packet (decode's line and a hex dump) and send nothing; needs no privilege"},
			&cli.IntFlag{Name: "c", Value: 1, Usage: "make `N` packets; ip id and icmp seq count up unless the spec sets them"},
			&cli.StringFlag{Name: "i", Usage: "the interface to send on (`IFACE`); its MAC is ether's default src"},
			&cli.StringFlag{Name: "w", Usage: "write the packets to `FILE` (pcap; - for standard output, then nothing is printed)"},
			&cli.DurationFlag{Name: "interval", Usage: "wait `D` between packets (not implemented yet)"},
			&cli.Float64Flag{Name: "rate", Usage: "send `PPS` packets a second (not implemented yet)"},
			&cli.BoolFlag{Name: "flood", Usage: "send as fast as the link takes (not implemented yet)"},
			&cli.DurationFlag{Name: "wait", Usage: "listen `D` for replies and print them with their rtt (not implemented yet)"},
			&cli.BoolFlag{Name: "header", Usage: "send each line of standard input under SPEC's headers (not implemented yet)"},
			&cli.IntFlag{Name: "chunk", Usage: "with --header, `N` bytes per packet instead of a line (not implemented yet)"},
			&cli.StringFlag{Name: "listen", Usage: "print what a raw socket for `PROTO` receives (not implemented yet)"},
		},
		Action: runCraft,
	}
}

// notYet are the flags of the sending half of craft, which is to come.
var notYet = []string{"interval", "rate", "flood", "wait", "header", "chunk", "listen"}

func runCraft(c *cli.Context) error {
	for _, f := range notYet {
		if c.IsSet(f) {
			return usageErrorf("craft: --%s: sending is not implemented yet; use --dry-run without --%s", f, f)
		}
	}
	if c.NArg() == 0 {
		return usageErrorf("craft: a SPEC is required, as 'ip(dst=10.0.0.2)/tcp(dport=80)' (see sockscope craft --help)")
	}
	count := c.Int("c")
	if count < 1 {
		return usageErrorf("craft: -c %d: the packet count must be at least 1", count)
	}
	s, err := spec.Parse(strings.Join(c.Args().Slice(), " "))
	if err != nil {
		return specError(err)
	}
	if !c.Bool("dry-run") {
		return usageErrorf("craft: sending is not implemented yet; use --dry-run to print the packets without sending")
	}
	opt := craft.Options{}
	if name := c.String("i"); name != "" {
		ifc, err := net.InterfaceByName(name)
		if err != nil {
			return usageErrorf("craft: -i %s: no such interface (sockscope interfaces lists them)", name)
		}
		opt.IfaceMAC = ifc.HardwareAddr
	}
	b, err := craft.Build(s, opt)
	if err != nil {
		return specError(err)
	}
	for _, n := range b.Notes() {
		fmt.Fprintf(os.Stderr, "sockscope: craft: note: %s\n", n)
	}
	return dryRun(b, count, c.String("w"))
}

// specError makes a bad spec a usage error (exit status 2), printed as
// "spec: ... at column N", the spec and a caret under the column.
func specError(err error) error {
	var se *spec.Error
	if errors.As(err, &se) {
		return &UsageError{Err: se}
	}
	return err
}

// dryRun prints count packets of b as decode -X prints them, and writes them
// to the pcap out when it is given ("-": standard output, then it prints nothing).
func dryRun(b *craft.Builder, count int, out string) error {
	var p *decode.Printer
	if out != "-" {
		p = decode.NewPrinter(os.Stdout, decode.Options{HexASCII: 1})
	}
	var w *capture.PcapWriter
	var f *os.File
	if out != "" {
		f = os.Stdout
		if out != "-" {
			var err error
			if f, err = os.Create(out); err != nil {
				return fmt.Errorf("craft: %w", err)
			}
			defer f.Close()
		}
		var err error
		if w, err = capture.NewPcapWriter(f, uint32(b.LinkType()), 0, false); err != nil {
			return fmt.Errorf("craft: %s: %w", out, err)
		}
	}
	for i := range count {
		data := b.Packet(i)
		ci := gopacket.CaptureInfo{Timestamp: time.Now(), CaptureLength: len(data), Length: len(data)}
		if p != nil {
			if err := p.Print(data, ci, b.LinkType()); err != nil {
				return fmt.Errorf("craft: %w", err)
			}
		}
		if w != nil {
			if err := w.WritePacket(ci, data); err != nil {
				return fmt.Errorf("craft: %s: %w", out, err)
			}
		}
	}
	if p != nil {
		if err := p.Flush(); err != nil {
			return fmt.Errorf("craft: %w", err)
		}
	}
	if w != nil {
		if err := w.Flush(); err != nil {
			return fmt.Errorf("craft: %s: %w", out, err)
		}
		if f != os.Stdout {
			if err := f.Close(); err != nil {
				return fmt.Errorf("craft: %s: %w", out, err)
			}
		}
	}
	return nil
}
