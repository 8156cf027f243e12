package commands

import (
	"bufio"
	"fmt"
	"os"

	"github.com/urfave/cli/v2"

	"github.com/sockscope/sockscope/capture"
)

func interfacesCommand() *cli.Command {
	return &cli.Command{
		Name:  "interfaces",
		Usage: "list the interfaces capture can open, as tcpdump -D does, with their addresses",
		Description: `Each interface is listed as tcpdump -D lists it: its number (which capture -i accepts),
its name, and its flags (Up, Running, Loopback, Wireless; Connected or Disconnected where the
driver says). Its addresses follow, one per indented line.

Examples:
   sockscope interfaces
   sockscope capture -i 1        capture on the first interface listed`,
		OnUsageError: func(c *cli.Context, err error, isSubcommand bool) error {
			return usageErrorf("interfaces: %v (see sockscope interfaces --help)", err)
		},
		Action: runInterfaces,
	}
}

func runInterfaces(c *cli.Context) error {
	if c.NArg() > 0 {
		return usageErrorf("interfaces: takes no arguments (got %q)", c.Args().First())
	}
	devs, err := capture.Devices()
	if err != nil {
		return fmt.Errorf("interfaces: %w", err)
	}
	w := bufio.NewWriter(os.Stdout)
	for i, d := range devs {
		fmt.Fprintf(w, "%d.%s", i+1, d.Name)
		if d.Description != "" {
			fmt.Fprintf(w, " (%s)", d.Description)
		}
		if st := d.Status(); st != "" {
			fmt.Fprintf(w, " [%s]", st)
		}
		fmt.Fprintln(w)
		for _, a := range d.Addrs {
			family := "inet"
			if a.Addr().Is6() {
				family = "inet6"
			}
			fmt.Fprintf(w, "\t%s %s\n", family, a)
		}
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("interfaces: %w", err)
	}
	return nil
}
