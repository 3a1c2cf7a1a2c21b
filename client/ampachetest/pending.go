package ampachetest

import "net/http"

// Parts still being built: these endpoints answer 501 for now.

type localplayState struct{}
type democraticState struct{}
type searchRule struct {
	field string
	op    int
	input string
}
type artCache struct{}

func newLocalplay() *localplayState   { return nil }
func newDemocratic() *democraticState { return nil }

func notYet(w http.ResponseWriter) { http.Error(w, "not implemented yet", http.StatusNotImplemented) }

func (s *Server) servePlay(w http.ResponseWriter, r *http.Request)            { notYet(w) }
func (s *Server) serveImage(w http.ResponseWriter, r *http.Request)           { notYet(w) }
func (s *Server) serveShare(w http.ResponseWriter, r *http.Request)           { notYet(w) }
func (s *Server) serveRadio(w http.ResponseWriter, r *http.Request, p string) { notYet(w) }
