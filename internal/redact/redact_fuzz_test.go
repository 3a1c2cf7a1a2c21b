package redact

import (
	"encoding/hex"
	"net/url"
	"strings"
	"testing"
)

// secretPlaces puts a secret where Ampache and HTTP put them, after any
// text: query parameters (plain and URL-encoded inside another URL), JSON
// members, bearer tokens and the userinfo of connection strings.
var secretPlaces = []func(text, secret string) string{
	func(s, x string) string {
		return s + " https://h/server/json.server.php?action=songs&auth=" + x + "&limit=5"
	},
	func(s, x string) string { return s + "\nhttps://h/play/index.php?ssid=" + x },
	func(s, x string) string { return s + " ?token=" + x },
	func(s, x string) string { return s + " url=" + url.QueryEscape("https://h/a?x=1&auth="+x) },
	func(s, x string) string { return s + ` {"auth":"` + x + `","api":"6.9.2"}` },
	func(s, x string) string { return s + ` {"streamtoken": "` + x + `"}` },
	func(s, x string) string { return s + " Authorization: Bearer " + x },
	func(s, x string) string { return s + " ampache://" + x + "@music.example/ampache" },
	func(s, x string) string { return s + " ampache://alice:" + x + "@music.example/ampache#ssl=true" },
	func(s, x string) string { return s + " https://alice:" + x + "@music.example/" },
	func(s, x string) string { return s + " password=" + x },
	func(s, x string) string { return s + " api_key=" + x + ";" },
}

// FuzzSecretsNeverSurvive: whatever text comes before it, a secret in
// one of the known places is hidden, String is idempotent, and the text
// around the secret is kept.
func FuzzSecretsNeverSurvive(f *testing.F) {
	f.Add("", []byte("0123456789abcdef"), uint8(0))
	f.Add("GET", []byte("\x00\x01\x02\x03\x04\x05\x06\x07"), uint8(4))
	f.Add(`"auth":"`, []byte("secret-token-1234"), uint8(4))
	f.Add("ampache://k@", []byte("AAAAAAAAAAAA"), uint8(7))
	f.Add("a%26auth%3D", []byte("abcdefabcdef"), uint8(3))
	f.Add("https://u:p@h/?", []byte("zzzzzzzzzzzz"), uint8(9))
	f.Fuzz(func(t *testing.T, text string, raw []byte, where uint8) {
		if len(raw) < 6 {
			t.Skip()
		}
		secret := "Zq" + hex.EncodeToString(raw) // letters and digits only
		if strings.Contains(text, secret) {
			t.Skip()
		}
		in := secretPlaces[int(where)%len(secretPlaces)](text, secret)
		out := String(in)
		if strings.Contains(out, secret) {
			t.Fatalf("the secret survives:\n in %q\nout %q", in, out)
		}
		if again := String(out); again != out {
			t.Fatalf("not idempotent: %q then %q", out, again)
		}
		if !strings.Contains(out, Mask) {
			t.Fatalf("nothing masked in %q", out)
		}
	})
}

// FuzzURL: URL never lengthens a URL without secrets beyond the masks it
// adds, and a URL with nothing secret in it comes back unchanged.
func FuzzURL(f *testing.F) {
	f.Add("https://music.example/ampache/server/json.server.php?action=songs&limit=5&offset=0")
	f.Add("https://h/play/index.php?oid=1&uid=2&format=raw&name=Song%20A.mp3")
	f.Add("http://[::1]:8080/image.php?object_id=3&object_type=album&size=300x300")
	f.Fuzz(func(t *testing.T, s string) {
		u, err := url.Parse(s)
		if err != nil || u.User != nil {
			t.Skip()
		}
		lower := strings.ToLower(s)
		for _, name := range secretParams {
			if strings.Contains(lower, name) {
				t.Skip() // may hold a secret: String's job, fuzzed above
			}
		}
		if strings.ContainsAny(lower, "@") || strings.Contains(lower, "bearer") || strings.Contains(lower, "basic") {
			t.Skip()
		}
		if got := URL(s); got != s {
			t.Fatalf("URL(%q) = %q: a URL without secrets was changed", s, got)
		}
	})
}
