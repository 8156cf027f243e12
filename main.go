package main

import (
	"fmt"
	"os"

	"github.com/sockscope/sockscope/commands"
)

// main builds the CLI from commands/ and maps errors to exit codes; nothing else.
func main() {
	err := commands.Run(os.Args)
	if err == nil {
		return
	}
	fmt.Fprintf(os.Stderr, "sockscope: %v\n", err)
	os.Exit(commands.ExitCode(err))
}
