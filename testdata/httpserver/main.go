// Command httpserver serves the few fixed pages of testdata/http.pcap, for
// record.sh to record and for craft/replay's tests to replay against.
//
//	httpserver -listen ADDR [-mode same|differ|closeearly]
//
// GET / is a small HTML page (with a Last-Modified of now), GET /data.json
// a JSON document, POST /echo sends the request body back, anything else
// is a 404. -mode differ answers / with another body and /data.json with
// 503; -mode closeearly closes the connection on /data.json without an
// answer. Once it accepts connections it prints "listening ADDR" on
// stdout, ADDR with the port it got (for -listen 127.0.0.1:0).
package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"time"
)

const page = `<!doctype html>
<html><head><title>sockscope</title></head>
<body><h1>sockscope test page</h1><p>Recorded by testdata/record.sh.</p></body></html>
`

const data = `{"name":"sockscope","kind":"test","items":[1,2,3]}
`

func main() {
	listen := flag.String("listen", "127.0.0.1:46080", "listen on `ADDR`")
	mode := flag.String("mode", "same", "same, differ or closeearly")
	flag.Parse()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Last-Modified", time.Now().UTC().Format(http.TimeFormat))
		body := page
		if *mode == "differ" {
			body = "<!doctype html><p>another page</p>\n"
		}
		io.WriteString(w, body)
	})
	mux.HandleFunc("GET /data.json", func(w http.ResponseWriter, r *http.Request) {
		switch *mode {
		case "differ":
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		case "closeearly":
			if c, _, err := http.NewResponseController(w).Hijack(); err == nil {
				c.Close()
			}
			return
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, data)
	})
	mux.HandleFunc("POST /echo", func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write(body)
	})
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		fmt.Fprintln(os.Stderr, "httpserver:", err)
		os.Exit(1)
	}
	fmt.Println("listening", ln.Addr())
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	if err := srv.Serve(ln); err != nil {
		fmt.Fprintln(os.Stderr, "httpserver:", err)
		os.Exit(1)
	}
}
