// Command sockscope captures, decodes, crafts and replays packets on Linux.
// main builds the CLI from commands/ and maps errors to exit codes; nothing else.
package main

import (
	"fmt"
	"os"

	"github.com/sockscope/sockscope/commands"
)

func main() {
	err := commands.Run(os.Args)
	if err == nil {
		return
	}
	fmt.Fprintf(os.Stderr, "sockscope: %v\n", err)
	os.Exit(commands.ExitCode(err))
}
