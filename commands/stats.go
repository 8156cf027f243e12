package commands

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/google/gopacket"
	"github.com/urfave/cli/v2"

	"github.com/sockscope/sockscope/capture"
	"github.com/sockscope/sockscope/capture/filter"
	"github.com/sockscope/sockscope/decode"
	"github.com/sockscope/sockscope/decode/stats"
	"github.com/sockscope/sockscope/decode/wire"
)

func statsCommand() *cli.Command {
	return &cli.Command{
		Name:      "stats",
		Usage:     "tshark's statistics of a capture: conversations, endpoints, protocol hierarchy, I/O, expert",
		UsageText: "sockscope stats -r FILE|- -z SPEC [-z SPEC...] [-Y EXPR] [--json] [FILTER...]",
		Description: `Reads the capture once and prints each -z table as tshark -q -z prints it (the same
layout and numbers, so the two diff), the last -z first, as tshark orders them. SPEC is
tshark's: conv,eth|ip|ipv6|tcp|udp, endpoints,eth|ip|ipv6|tcp|udp, io,phs, io,stat,INTERVAL[,EXPR...],
expert. FILTER (pcap-filter) and -Y EXPR (a display filter) choose the packets counted: -Y EXPR
gives what tshark's -z SPEC,EXPR gives. --json prints one JSON object with a member per table.

Examples:
   sockscope stats -r testdata/tcp4.pcap -z conv,tcp
   sockscope stats -r testdata/mixed.pcap -z endpoints,ip -z io,phs
   sockscope stats -r testdata/dns.pcap -Y dns.flags.response==1 -z conv,udp --json`,
		UseShortOptionHandling: true,
		OnUsageError: func(c *cli.Context, err error, isSubcommand bool) error {
			return usageErrorf("stats: %v (see sockscope stats --help)", err)
		},
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "r", Usage: "read packets from `FILE` (pcap or pcapng; - for standard input)"},
			&cli.GenericFlag{Name: "z", Value: &repeated{}, Usage: "a statistic, as tshark's -z `SPEC` (repeat for more)"},
			&cli.BoolFlag{Name: "json", Usage: "print the tables as one JSON object, a member per -z SPEC"},
			&cli.BoolFlag{Name: "no-reassembly", Usage: "dissect each packet on its own (by default, as tshark, IP fragments and TCP-carried messages are put back together)"},
		}, displayFlags()...),
		Action: runStats,
	}
}

func runStats(c *cli.Context) error {
	path := c.String("r")
	if path == "" {
		return usageErrorf("stats: -r FILE is required: the capture to read, or - for standard input")
	}
	specs := repeatedValues(c, "z")
	if len(specs) == 0 {
		return usageErrorf("stats: give at least one -z SPEC (%s)", strings.Join(stats.Names(), ", "))
	}
	display := c.String("Y")
	tables := make([]stats.Table, len(specs))
	for i, s := range specs {
		t, err := stats.New(s, display)
		if err != nil {
			return usageErrorf("stats: %v", err)
		}
		tables[i] = t
	}
	r, err := capture.Open(path)
	var pathErr *fs.PathError
	if errors.As(err, &pathErr) {
		return fmt.Errorf("stats: %w", err)
	}
	if err != nil {
		return fmt.Errorf("stats: %s: %w; sockscope reads pcap and pcapng files", displayName(path), err)
	}
	defer r.Close()

	loop := capture.Loop{Check: decode.CheckLink}
	sel, err := setDisplayFilter(c, &loop)
	if err != nil {
		return err
	}
	if expr, ok := filterExpression(c); ok {
		loop.Filter = filter.NewPerLink(expr)
		if err := loop.Compile(r); err != nil {
			return filterError(err)
		}
	}
	// The tables read whole trees: the display filter's when there is one
	// (told to want everything), else one dissected here.
	var own decode.Tree
	own.Reassemble = reassemble(c)
	tree := &own
	if sel != nil {
		tree = sel.Tree()
		tree.Want = nil
	}
	_, err = loop.Run(r, func(data []byte, ci gopacket.CaptureInfo, link wire.LinkType) error {
		if sel == nil {
			own.Dissect(data, ci, link, loop.Read)
			own.First, own.Previous = loop.First, loop.Previous
		}
		for _, t := range tables {
			t.Add(tree)
		}
		return nil
	})
	var fe *filter.Error
	if errors.As(err, &fe) {
		return filterError(err)
	}
	if err != nil {
		return fmt.Errorf("stats: %s: %w", displayName(path), err)
	}
	if c.Bool("json") {
		out := map[string]any{}
		for i, t := range tables {
			out[specs[i]] = t.JSON()
		}
		enc := json.NewEncoder(os.Stdout)
		return enc.Encode(out)
	}
	for i := len(tables) - 1; i >= 0; i-- {
		if err := tables[i].WriteText(os.Stdout); err != nil {
			return fmt.Errorf("stats: %w", err)
		}
	}
	return nil
}
