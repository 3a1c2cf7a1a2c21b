package client

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"syscall"
	"testing"
)

// The write actions of the API (every method that changes something on
// the server), from the server's method list. None may be retried.
var writeActions = []string{
	"goodbye", "rate", "flag", "record_play", "scrobble",
	"playlist_create", "playlist_edit", "playlist_delete", "playlist_add", "playlist_add_song",
	"playlist_remove_song", "smartlist_delete",
	"bookmark_create", "bookmark_edit", "bookmark_delete",
	"share_create", "share_edit", "share_delete",
	"podcast_create", "podcast_edit", "podcast_delete", "podcast_episode_delete", "update_podcast",
	"live_stream_create", "live_stream_edit", "live_stream_delete",
	"catalog_action", "catalog_file", "catalog_folder", "song_delete",
	"user_create", "user_edit", "user_delete", "user_update", "register", "toggle_follow",
	"update_art", "update_artist_info", "update_from_tags", "system_update",
	"preference_create", "preference_edit", "preference_delete",
}

func TestOnlyReadsAreRetried(t *testing.T) {
	t.Parallel()
	req := func(action string, kv ...string) *request {
		r := &request{action: action, params: url.Values{}}
		for i := 0; i+1 < len(kv); i += 2 {
			r.params.Set(kv[i], kv[i+1])
		}
		return r
	}
	for _, a := range writeActions {
		if req(a).readOnly() {
			t.Errorf("write %s would be retried", a)
		}
	}
	for _, cmd := range []LocalplayCommand{LocalplayCmdAdd, LocalplayCmdPlay, LocalplayCmdPause, LocalplayCmdStop,
		LocalplayCmdNext, LocalplayCmdPrev, LocalplayCmdSkip, LocalplayCmdVolumeUp, LocalplayCmdVolumeDown,
		LocalplayCmdVolumeMute, LocalplayCmdDeleteAll} {
		if req("localplay", "command", string(cmd)).readOnly() {
			t.Errorf("localplay %s would be retried", cmd)
		}
	}
	for _, m := range []string{"vote", "devote"} {
		if req("democratic", "method", m).readOnly() {
			t.Errorf("democratic %s would be retried", m)
		}
	}
	for _, r := range []*request{req("songs"), req("album"), req("handshake"), req("ping"), req("search_group"),
		req("localplay", "command", "status"), req("democratic", "method", "playlist"), req("get_bookmark")} {
		if !r.readOnly() {
			t.Errorf("read %s %v is not retried", r.action, r.params)
		}
	}
	// Every method newer than API4 that is not a write is known as a read:
	// a new method lands in one list or the other.
	writes := map[string]bool{}
	for _, a := range writeActions {
		writes[a] = true
	}
	for a := range minAPI {
		if !writes[a] && !readActions[a] {
			t.Errorf("%s is neither a known read nor a known write", a)
		}
	}
}

func TestTransientErrors(t *testing.T) {
	t.Parallel()
	unreach := func(err error) error { return &UnreachableError{URL: "http://h", Err: err} }
	for _, tt := range []struct {
		err  error
		want bool
	}{
		{&HTTPStatusError{StatusCode: 500}, true},
		{&HTTPStatusError{StatusCode: 502}, true},
		{&HTTPStatusError{StatusCode: 503}, true},
		{&HTTPStatusError{StatusCode: 504}, true},
		{&HTTPStatusError{StatusCode: 408}, true},
		{&HTTPStatusError{StatusCode: 429}, true},
		{&HTTPStatusError{StatusCode: 404}, false},
		{&HTTPStatusError{StatusCode: 403}, false},
		{&HTTPStatusError{StatusCode: 501}, false},
		{unreach(syscall.ECONNRESET), true},
		{unreach(&net.OpError{Op: "read", Err: os.NewSyscallError("read", syscall.ECONNRESET)}), true},
		{unreach(errors.New("unexpected EOF")), true},
		{unreach(os.ErrDeadlineExceeded), true},
		{unreach(&net.OpError{Op: "dial", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}), false},
		{unreach(&net.OpError{Op: "dial", Err: os.ErrDeadlineExceeded}), false},
		{unreach(&net.OpError{Op: "dial", Err: os.NewSyscallError("connect", syscall.EHOSTUNREACH)}), false},
		{unreach(&net.OpError{Op: "read", Err: os.ErrDeadlineExceeded}), true},
		{unreach(&net.DNSError{Name: "nowhere.invalid", Err: "no such host", IsNotFound: true}), false},
		{unreach(&net.DNSError{Name: "h", Err: "server misbehaving", IsTemporary: true}), true},
		{&CertificateError{Host: "h", Fingerprint: "AB"}, false},
		{&ResponseTooLargeError{Limit: 1}, false},
		{&DecodeError{Method: "songs", Offset: -1}, false},
		{ErrEmptyResponse, false},
		{ErrNotFound, false},
		{&Error{Code: CodeSession}, false},
		{context.Canceled, false},
		{context.DeadlineExceeded, false},
		{fmt.Errorf("wrapped: %w", &HTTPStatusError{StatusCode: http.StatusServiceUnavailable}), true},
	} {
		if got := transient(tt.err); got != tt.want {
			t.Errorf("transient(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
}
