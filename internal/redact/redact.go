// Package redact hides session tokens, passwords and API keys in strings and
// URLs before they reach a log line or an error message.
//
// It knows the places Ampache puts secrets: query parameters (auth=, ssid=,
// token=, apikey=, ... also when the URL is itself URL-encoded inside another
// URL), JSON members ("auth": "..."), HTTP bearer tokens, and the userinfo of
// a URL (ampache://user:secret@host, ampache://APIKEY@host,
// https://user:secret@host). Redaction is conservative: when in doubt a value
// is hidden.
package redact

import (
	"regexp"
	"strings"
)

// Mask replaces every hidden value.
const Mask = "REDACTED"

// secretParams are the query parameter and JSON member names whose values are
// secrets, longest first so that alternation prefers the longer name.
var secretParams = []string{
	"streamtoken",
	"passphrase",
	"password",
	"api_key",
	"apikey",
	"secret",
	"token",
	"auth",
	"ssid",
	"key",
}

var (
	// queryRE matches name=value where name is a secret parameter preceded
	// by a delimiter (start, ?, &, ;, whitespace, a quote, or an encoded ?/&)
	// and = may be encoded as %3D. The value runs to the next delimiter,
	// an encoded & (%26) included, so nested encoded URLs are handled too.
	queryRE = regexp.MustCompile(`(?i)(^|[?&;\s"'(,]|%26|%3f)(` + strings.Join(secretParams, "|") + `)(=|%3d)((?:[^&\s"'#<>;,)\]}\\%]|%[^2]|%2[^6])*)`)

	// jsonRE matches "name": "value" for secret JSON members. The opening
	// quote of the name is optional: text with a stray quote before it
	// (a cut or nested JSON string) must not hide the member from a match.
	jsonRE = regexp.MustCompile(`(?i)("?(?:` + strings.Join(secretParams, "|") + `)"\s*:\s*)"(?:[^"\\]|\\.)*"`)

	// bearerRE matches an HTTP bearer or basic credential.
	bearerRE = regexp.MustCompile(`(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+`)

	// userinfoRE matches scheme://userinfo@ in a URL.
	userinfoRE = regexp.MustCompile(`(?i)\b([a-z][a-z0-9+.-]*)://([^/\s?#'"<>]*)@`)
)

// String returns s with every secret value it recognizes replaced by Mask.
func String(s string) string {
	if s == "" {
		return s
	}
	s = redactUserinfo(s)
	s = jsonRE.ReplaceAllString(s, `${1}"`+Mask+`"`)
	s = bearerRE.ReplaceAllString(s, "${1} "+Mask)
	s = queryRE.ReplaceAllString(s, "${1}${2}${3}"+Mask)
	return s
}

// URL returns the URL u with secret query parameters and userinfo secrets
// replaced by Mask. It accepts anything; a string that is not a URL is
// redacted like String.
func URL(u string) string { return String(u) }

// redactUserinfo hides the secret part of every scheme://userinfo@ in s.
// For ampache:// a userinfo without a colon is an API key and is hidden
// whole; elsewhere only the part after the first colon is hidden.
func redactUserinfo(s string) string {
	return userinfoRE.ReplaceAllStringFunc(s, func(m string) string {
		sub := userinfoRE.FindStringSubmatch(m)
		scheme, info := sub[1], sub[2]
		if info == "" {
			return m
		}
		user, _, hasSecret := strings.Cut(info, ":")
		switch {
		case hasSecret && strings.Contains(user, "@"):
			// An unescaped @ before the colon: url.Parse splits at the
			// last @, so the "user" may well hold a key or password the
			// address meant as one; hide it all.
			return scheme + "://" + Mask + "@"
		case hasSecret:
			return scheme + "://" + user + ":" + Mask + "@"
		case strings.EqualFold(scheme, "ampache"):
			return scheme + "://" + Mask + "@"
		default:
			return m
		}
	})
}
