package ampachetest

import "slices"

// IssuedTokens returns every session token the server has handed out, in
// order, including those of sessions that expired or ended with goodbye.
// Tests use them to check that no token was written to disk or to a log.
// (The token is also the ssid= of play URLs.)
func (s *Server) IssuedTokens() []string {
	s.authMu.Lock()
	defer s.authMu.Unlock()
	return slices.Clone(s.issued)
}
