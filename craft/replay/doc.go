// Package replay sends the packets of a capture file back out: onto a link
// as they were recorded (or rewritten), at the file's own pace or faster,
// and, as one conversation through ordinary sockets, to a live server whose
// answers it compares with the recorded ones.
//
// It reads files with capture, selects packets with capture/filter, sends
// frames through craft's packet socket and prints with decode; it never
// captures, and never sends anywhere but the interface or address it is
// given.
package replay
