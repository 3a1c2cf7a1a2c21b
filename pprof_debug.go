//go:build pprof

package main

// Built with -tags pprof, Ampdesk serves net/http/pprof on the address in
// AMPDESK_PPROF (e.g. 127.0.0.1:6060), for profiling the real window.

import (
	"net/http"
	_ "net/http/pprof"
	"os"
)

func init() {
	if addr := os.Getenv("AMPDESK_PPROF"); addr != "" {
		go http.ListenAndServe(addr, nil)
	}
}
