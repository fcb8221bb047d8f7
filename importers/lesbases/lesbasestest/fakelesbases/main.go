// Command fakelesbases serves the fake Les Bases of the tests on a real
// port, to try or measure the harvester by hand:
//
//	go run ./importers/lesbases/lesbasestest/fakelesbases -addr 127.0.0.1:9090 &
//	trame import lesbases --base-url http://127.0.0.1:9090 --data /tmp/d
//
// It serves the fixture catalogue (20 visible bases, 160 visible
// resources, every quirk). POST /touch?share=0.05 edits that share of the
// resources, as a new version of Les Bases would.
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"

	"github.com/trame-commun/trame/importers/lesbases/lesbasestest"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:9090", "listen address")
	flag.Parse()
	srv := lesbasestest.NewServer(lesbasestest.Generate())
	srv.Close() // the test server's own listener is replaced by ours
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	ts := &httptest.Server{Listener: ln, Config: &http.Server{Handler: mux(srv)}}
	ts.Start()
	srv.URL = ts.URL
	fmt.Println("fake Les Bases on", ts.URL)
	select {}
}

func mux(srv *lesbasestest.Server) http.Handler {
	m := http.NewServeMux()
	m.HandleFunc("POST /touch", func(w http.ResponseWriter, r *http.Request) {
		share, err := strconv.ParseFloat(r.URL.Query().Get("share"), 64)
		if err != nil || share <= 0 || share > 1 {
			http.Error(w, "share must be in (0, 1]", http.StatusBadRequest)
			return
		}
		var n int
		srv.Edit(func(c *lesbasestest.Catalogue) { n = len(c.TouchShare(share)) })
		fmt.Fprintf(w, "%d resources edited\n", n)
	})
	m.Handle("/", srv.Config.Handler)
	return m
}
