// Package capture owns where packets come from and go to: pcap and pcapng
// files and streams (read and written), and, on Linux, live capture.
//
// It never decodes packet contents; that is the decode package's job.
package capture
