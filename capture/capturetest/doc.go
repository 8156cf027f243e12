// Package capturetest builds the world a live-capture test runs in: a lab
// of two network namespaces joined by a veth pair (craft/labns's Pair, as
// compare --lab's), real traffic between them, and tcpdump capturing beside
// the code under test. It is for tests only, imported by _test files, and
// never touches the machine's own interfaces.
//
// NewLab makes a Lab for one test, namespaces A and B with IfA and IfB
// (IPv6 off, static neighbours, so that only the test's packets flow), and
// removes it when the test ends; ReclaimDeadLabs removes what killed test
// runs left. Traffic and LoopbackTraffic send real UDP, TCP and ICMP; a
// Sender sends numbered frames from A to B. StartTcpdump runs tcpdump in a
// namespace, and SameAsTcpdump compares sockscope's packets with tcpdump's
// (same bytes, lengths and order, stamps within Slack). Tests wait for a
// sign (WaitUntil, Patience), never for a fixed time.
//
// RequirePrivilege skips a test that cannot open a packet socket, and
// RequireTool one whose program is not installed; SkipOrFail, which both
// use, fails the test instead when SOCKSCOPE_REQUIRE_PRIV=1 (CI).
//
// Of sockscope's packages it imports craft/labns only; the tests of
// capture, commands, craft, craft/compare, craft/labns, craft/replay and
// the root package use it. Its own tests check that a lab whose test was
// killed is removed by the next. Everything but SameAsTcpdump, Packet and
// Slack is Linux only.
package capturetest
