package client

import (
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"

	"github.com/ampdesk/ampdesk/internal/redact"
)

// Credentials are what a handshake proves identity with: a user name and
// password, or an API key alone. They live only in memory; String and
// LogValue hide the secrets, so printing or logging them is safe.
type Credentials struct {
	User     string
	Password string
	APIKey   string
}

// IsZero reports whether no credentials are set.
func (c Credentials) IsZero() bool { return c.User == "" && c.Password == "" && c.APIKey == "" }

func (c Credentials) validate() error {
	switch {
	case c.IsZero():
		return nil
	case c.APIKey != "" && (c.User != "" || c.Password != ""):
		return errors.New("credentials: give an API key or a user and password, not both")
	case c.APIKey == "" && (c.User == "" || c.Password == ""):
		return errors.New("credentials: a user name needs a password (or give an API key)")
	}
	return nil
}

// String describes the credentials without their secrets.
func (c Credentials) String() string {
	switch {
	case c.APIKey != "":
		return "Credentials{APIKey: " + redact.Mask + "}"
	case c.IsZero():
		return "Credentials{}"
	}
	return "Credentials{User: " + c.User + ", Password: " + redact.Mask + "}"
}

// GoString is String, for %#v.
func (c Credentials) GoString() string { return c.String() }

// LogValue keeps the secrets out of slog output.
func (c Credentials) LogValue() slog.Value {
	if c.APIKey != "" {
		return slog.GroupValue(slog.String("api_key", redact.Mask))
	}
	return slog.GroupValue(slog.String("user", c.User), slog.String("password", redact.Mask))
}

// jsonEndpoint is the path of the JSON API below a server's base URL.
const jsonEndpoint = "/server/json.server.php"

// ParseServer reads a server address as a user types or pastes it and
// returns the base URL of the server (scheme, host, port and path, without
// a trailing slash) and the credentials the address carries, if any.
//
// It accepts:
//   - plain URLs: https://music.example/ampache, http://host:8080;
//   - a pasted API endpoint: .../ampache/server/json.server.php?... (the
//     endpoint, query and fragment are dropped);
//   - no scheme at all: music.example/ampache (https is assumed);
//   - Ampache connection strings, ampache://user:password@host[:port]/path
//     or ampache://APIKEY@host/path, with #ssl=true for https (http
//     otherwise). Without a colon the userinfo is an API key.
//
// User info in an http(s) URL is read as user and password too.
func ParseServer(s string) (baseURL string, creds Credentials, err error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", Credentials{}, errors.New("empty server address")
	}
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return "", Credentials{}, fmt.Errorf("server address %q: %w", redact.URL(s), unwrapURLError(err))
	}
	scheme := strings.ToLower(u.Scheme)
	switch scheme {
	case "http", "https":
	case "ampache":
		params, _ := url.ParseQuery(u.Fragment)
		scheme = "http"
		switch strings.ToLower(params.Get("ssl")) {
		case "true", "1", "yes", "on":
			scheme = "https"
		}
	default:
		return "", Credentials{}, fmt.Errorf("server address %q: scheme %q is not http, https or ampache", redact.URL(s), u.Scheme)
	}
	if u.Host == "" || u.Hostname() == "" {
		return "", Credentials{}, fmt.Errorf("server address %q has no host name", redact.URL(s))
	}
	if u.User != nil {
		name := u.User.Username()
		pass, hasPass := u.User.Password()
		switch {
		case hasPass:
			creds = Credentials{User: name, Password: pass}
		case strings.EqualFold(u.Scheme, "ampache"):
			creds = Credentials{APIKey: name}
		case name != "":
			creds = Credentials{User: name}
		}
	}
	path := strings.TrimRight(u.Path, "/")
	for _, suffix := range []string{jsonEndpoint, "/server/xml.server.php", "/server"} {
		if strings.HasSuffix(strings.ToLower(path), suffix) {
			path = path[:len(path)-len(suffix)]
			break
		}
	}
	path = strings.TrimRight(path, "/")
	base := url.URL{Scheme: scheme, Host: strings.ToLower(u.Host), Path: path}
	if _, err := url.Parse(base.String()); err != nil {
		// url.Parse accepts some hosts (an IPv6 zone of odd bytes) that
		// it cannot read back once written.
		return "", Credentials{}, fmt.Errorf("server address %q: %w", redact.URL(s), unwrapURLError(err))
	}
	return base.String(), creds, nil
}

// unwrapURLError drops the *url.Error wrapper, whose text repeats the
// (unredacted) input.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
