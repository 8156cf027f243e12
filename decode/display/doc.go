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
// field's byte length and number of occurrences; upper(f) and lower(f) a
// string field in ASCII upper or lower case, string(f) an integer or
// address field as text ("string(frame.number) matches \"[13579]$\""),
// max(a, b, ...) and min(...) the largest and smallest value of fields of one
// type and constants, abs(x) an absolute value.
//
// Arithmetic: + - * / % and & on integer fields (+ and - on time offsets, &
// on byte slices with a mask of as many bytes: "eth.addr[0] & 1"), a unary
// minus, and braces to group ("tcp.dstport >= 4 * {tcp.srcport + 3}");
// * / % bind tighter than + -, and & is the loosest. The left side of a
// comparison must start with a field ("1 + tcp.len" is an error); the
// constants in an expression are read as values of its first field, so
// "ip.ttl * 4 == 256" is out of range. As tshark 4.0 computes: an unsigned
// result past 32 bits (64 for the wider fields), a division by zero or an
// unsigned value and a negative constant give no usable value (only != and
// !== hold for it); a difference below zero and a unary minus are signed,
// while an unsigned field never orders against a negative constant
// ("tcp.len > -1" is false). An expression alone tests for a value other
// than zero ("tcp.len * 2"). A field reference ${f} is a field of the
// frame selected in Wireshark's GUI: tshark has none, so it has no value
// and a test of it is false.
//
// Times: frame.time compares with a date and time in quotes, ISO 8601
// ("2026-11-26 08:00:00", the T optional, seconds, fraction and a zone or Z
// optional) or "Nov 26, 2026 08:00:00.5", local time unless a zone or a
// trailing UTC says otherwise. frame.time_relative (since the input's first
// packet), frame.time_delta (since the packet read before), frame.time_epoch
// and other time offsets compare with seconds ("1.5", up to nine decimals).
// frame.time_delta_displayed is the time since the last packet the
// Selector selected.
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
// are not resolved ("ip.dst == example.com" is an error). Comma-joined slices
// are not supported: Compile says so with the column. upper and lower change
// ASCII letters only. tshark 4.0 gives frame.time_delta_displayed no usable
// value while it filters (only "== 0" on the first packet and ">= 0"
// hold), where sockscope compares the time since the last packet selected;
// and on captures whose timestamps reach 2038 or 2106 tshark's frame-time
// comparisons select otherwise than the times it prints.
//
// A bad expression is an *Error, with the byte offset of the token at
// fault; its message names the problem and draws a caret under the column,
// and an unknown field name suggests the nearest names of the registry.
package display
