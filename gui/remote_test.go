package gui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/core"
)

func TestRemoteProblemsInPlainWords(t *testing.T) {
	t.Parallel()
	apiErr := func(code int, msg string) error {
		return fmt.Errorf("localplay: %w", &client.Error{Code: code, Action: "localplay", Message: msg})
	}
	tests := []struct {
		name    string
		f       remoteFeature
		err     error
		want    string
		lasting bool
	}{
		{"feature off", featureLocalplay, apiErr(client.CodeAccessDenied, "Enable: localplay"), "Localplay is turned off on this server", true},
		{"no access", featureLocalplay, apiErr(client.CodeFailedAccessCheck, "Require: 100"), "Your account may not use localplay", true},
		{"no method", featureDemocratic, apiErr(client.CodeMissingMethod, "Invalid Request"), "does not offer democratic play", true},
		{"no player", featureLocalplay, apiErr(client.CodeBadRequest, "Unable to connect to localplay controller"),
			"no localplay player it can reach: its administrator chooses one (MPD, VLC, Kodi, UPnP…) in the server's settings and makes sure it runs. (The server says: Unable to connect to localplay controller.)", true},
		{"bad request elsewhere", featureDemocratic, apiErr(client.CodeBadRequest, "Bad Request"), "The server refused the request", false},
		{"offline", featureDemocratic, core.ErrOffline, "Democratic play needs the server, which cannot be reached right now", false},
		{"not connected", featureLocalplay, core.ErrNotConnected, "Connect to a server to use localplay.", false},
		{"timeout", featureLocalplay, context.DeadlineExceeded, "The server did not answer in time.", false},
	}
	for _, tt := range tests {
		msg, lasting := tt.f.problem(tt.err)
		if !strings.Contains(msg, tt.want) || lasting != tt.lasting {
			t.Errorf("%s: %q (lasting %v), want %q (lasting %v)", tt.name, msg, lasting, tt.want, tt.lasting)
		}
		if strings.Contains(msg, "47") {
			t.Errorf("%s: an error code in %q", tt.name, msg)
		}
	}
}

func TestServerGone(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		err  error
		gone bool
	}{
		{&client.UnreachableError{URL: "http://x", Err: errors.New("refused")}, true},
		{context.DeadlineExceeded, true},
		{&client.Error{Code: client.CodeAccessDenied}, false},
		{client.ErrCommandFailed, false},
		{core.ErrOffline, false},
		{context.Canceled, false},
		{nil, false},
	} {
		if got := serverGone(tt.err); got != tt.gone {
			t.Errorf("serverGone(%v) = %v", tt.err, got)
		}
	}
}

func TestThousandsAndPhases(t *testing.T) {
	t.Parallel()
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 12345: "12,345", 100008: "100,008", 1234567: "1,234,567"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q", n, got)
		}
	}
	for p, want := range map[string]string{"songs": "Songs", "deleted": "Removals", "search index": "Search index", "": "Starting"} {
		if got := syncPhase(p); got != want {
			t.Errorf("syncPhase(%q) = %q", p, got)
		}
	}
}
