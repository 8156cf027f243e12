// Package display is the display-filter language of Wireshark, as tshark 4.0
// reads it (-Y), over decode's field registry: Compile turns an expression
// into a Filter once, and Filter.Match says whether a dissected packet (a
// decode.Tree) is selected, without allocating. It reads trees; it never
// dissects, reads files or opens sockets, except that Selector dissects each
// packet a capture.Loop hands it into a tree of its own.
//
// # The language
//
// A field or protocol name alone tests its presence ("tcp",
// "dns.flags.response"). Comparisons are == != < <= > >= (eq ne lt le gt
// ge), === and !== (all_eq, any_ne), any_eq and all_ne, contains, matches
// (~), membership "in {80, 443, 8000..8100}", and a bitwise & before a
// comparison or alone ("tcp.flags & 0x02"). Tests combine with and or not
// (&& || !) and parentheses; not binds tightest, then and, then or.
// The "any" and "all" prefixes ("all tcp.port > 1024") choose how a field
// that occurs several times is compared; without one, == and the order
// relations hold when any occurrence satisfies them, != when all do
// (Wireshark's rule since 3.6), === when all are equal and !== when any
// differs. A test on a field that does not occur is false, so
// "ip.dst != 10.0.0.1" is false for an ARP packet, and "not ip.dst == 10.0.0.1"
// true.
//
// Values are read as the field on the left wants them: integers in decimal,
// hexadecimal (0x), octal (leading 0), binary (0b) or as a character constant
// ('\n'); the value names of an enumerated field ("eth.type == IPv4",
// "ip.proto == \"UDP\""); True and False for booleans; IPv4 and IPv6
// addresses, with a /prefix to test membership of a network; Ethernet
// addresses and byte strings as hex bytes separated by : . or -; strings in
// double quotes with C escapes, or raw (r"..."). Slices take bytes of a
// field or protocol: [i:j] (j bytes from i), [i-j] (i to j inclusive), [i],
// [:j], [i:], negative offsets counting from the end. A field may be
// restricted to its protocol's n-th layer with #n ("ip.src#2"). Two fields
// compare with each other ("ip.src == ip.dst"). len(f) and count(f) give a
// field's byte length and number of occurrences.
//
// The either-way fields ip.addr, ipv6.addr and eth.addr are resolved here,
// as their source and destination fields; tcp.port and udp.port are nodes of
// decode's tree already.
//
// # What differs from tshark
//
// matches uses Go's regexp (RE2 syntax), case-insensitive by default as
// PCRE2 is under tshark: there are no backreferences, lookaround or
// possessive quantifiers, and such a pattern is a compile error. Host names
// are not resolved ("ip.dst == example.com" is an error). Arithmetic, field
// references (${...}), the functions upper, lower, string, min, max and abs,
// comma-joined slices, bitwise & on byte slices, and time values are not
// supported: Compile says so with the column.
//
// A bad expression is an *Error, with the byte offset of the token at
// fault; its message names the problem and draws a caret under the column,
// and an unknown field name suggests the nearest names of the registry.
package display
