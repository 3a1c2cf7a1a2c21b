package client

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/ampdesk/ampdesk/internal/redact"
)

// Error is an error object from the server: Ampache answers HTTP 200 with
// {"error": {...}} when a call fails. API5 and API6 send errorCode,
// errorAction, errorType and errorMessage; API3/API4 send an older
// {"code": "404", "message": "..."} shape whose codes are mapped to the
// nearest 47xx code (LegacyCode keeps the original).
//
// Compare with errors.Is against the sentinels (ErrNotFound, ...), which
// match on the code alone.
type Error struct {
	Code       int    // 47xx
	Action     string // the method that failed
	Type       string // "system", "account", or the offending parameter
	Message    string // the server's text, as is
	LegacyCode int    // the API3/API4 code (400, 401, ...), 0 otherwise
}

// The error codes of the Ampache API (API5 and later).
const (
	CodeAPIDisabled       = 4700 // Access Control not enabled: the API is off
	CodeSession           = 4701 // invalid handshake, expired or unknown session
	CodeAccessDenied      = 4703 // the method's feature is disabled on the server
	CodeNotFound          = 4704 // no such object
	CodeMissingMethod     = 4705 // the method does not exist
	CodeDeprecated        = 4706 // the method has been removed
	CodeBadRequest        = 4710 // a parameter is missing or wrong
	CodeFailedAccessCheck = 4742 // the user's access level is too low
)

// Sentinel errors for errors.Is; each matches any *Error with its code.
var (
	ErrAPIDisabled       = &Error{Code: CodeAPIDisabled}
	ErrSessionExpired    = &Error{Code: CodeSession}
	ErrAccessDenied      = &Error{Code: CodeAccessDenied}
	ErrNotFound          = &Error{Code: CodeNotFound}
	ErrMissingMethod     = &Error{Code: CodeMissingMethod}
	ErrDeprecated        = &Error{Code: CodeDeprecated}
	ErrBadRequest        = &Error{Code: CodeBadRequest}
	ErrFailedAccessCheck = &Error{Code: CodeFailedAccessCheck}
)

var codeNames = map[int]string{
	CodeAPIDisabled:       "API disabled",
	CodeSession:           "invalid session",
	CodeAccessDenied:      "access denied",
	CodeNotFound:          "not found",
	CodeMissingMethod:     "missing method",
	CodeDeprecated:        "deprecated method",
	CodeBadRequest:        "bad request",
	CodeFailedAccessCheck: "failed access check",
}

// legacyCodes maps the API3/API4 codes to their API5 equivalents.
var legacyCodes = map[int]int{
	400: CodeBadRequest,
	401: CodeSession,
	403: CodeAccessDenied,
	404: CodeNotFound,
	405: CodeMissingMethod,
	412: CodeFailedAccessCheck,
	501: CodeAPIDisabled,
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("server error ")
	b.WriteString(strconv.Itoa(e.Code))
	if name, ok := codeNames[e.Code]; ok {
		b.WriteString(" (" + name + ")")
	}
	if e.LegacyCode != 0 {
		b.WriteString(" [API4 code " + strconv.Itoa(e.LegacyCode) + "]")
	}
	if e.Type != "" {
		b.WriteString(" [" + e.Type + "]")
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	return redact.String(b.String())
}

// Is reports whether target is an *Error with the same code (a sentinel).
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// ErrBadCredentials means the server refused the handshake: wrong user name,
// password or API key (or a disabled account). The *Error the server sent
// is in the chain too.
var ErrBadCredentials = errors.New("the server refused the user name, password or API key")

// ErrNotAmpache means the URL answers, but not as an Ampache server does:
// an HTML page, a 404, or JSON that is not an Ampache reply. The URL is
// probably wrong (a missing or extra path such as /ampache).
var ErrNotAmpache = errors.New("the address does not answer like an Ampache server")

// ErrEmptyResponse means the server answered with an empty body. Ampache
// does this for requests it cannot serve in JSON (e.g. a handshake asking
// for API4 by the dotted version "4.4.0"); it is never an empty result.
var ErrEmptyResponse = errors.New("the server sent an empty answer")

// ErrNotLoggedIn means the call needs a session and the client has neither
// a session nor credentials to make one (after Goodbye, or without
// WithCredentials).
var ErrNotLoggedIn = errors.New("not logged in")

// ErrCommandFailed means a localplay or democratic command was accepted by
// the server but reported as not done (its result was false).
var ErrCommandFailed = errors.New("the server could not carry out the command")

// ErrPagingStalled means an iterator saw the server return the same page
// again for a new offset, so it stopped rather than loop forever.
var ErrPagingStalled = errors.New("the server repeated a page; stopped paging")

// UnreachableError means the server could not be reached at all: DNS,
// connection refused or reset, timeout. The session is untouched.
type UnreachableError struct {
	URL string // the server's base URL, without secrets
	Err error
}

func (e *UnreachableError) Error() string {
	return redact.String("cannot reach " + e.URL + ": " + e.Err.Error())
}

func (e *UnreachableError) Unwrap() error { return e.Err }

// HTTPStatusError is an HTTP status other than 2xx. Ampache's data methods
// always answer 200, so this comes from a proxy, a wrong URL or the server's
// binary methods (stream, download, get_art).
type HTTPStatusError struct {
	StatusCode int
	Status     string // e.g. "502 Bad Gateway"
	URL        string // redacted
}

func (e *HTTPStatusError) Error() string {
	s := e.Status
	if s == "" {
		s = strconv.Itoa(e.StatusCode)
	}
	return redact.String("HTTP " + s + " from " + e.URL)
}

// DecodeError means a reply could not be read as the method's model. Field
// names the offending JSON member as a dotted path (e.g. "song.time") when
// known; Offset is the byte offset of a syntax error, -1 when unknown.
type DecodeError struct {
	Method string
	Field  string
	Offset int64
	Err    error
}

func (e *DecodeError) Error() string {
	var b strings.Builder
	b.WriteString("cannot read the answer to " + e.Method)
	if e.Field != "" {
		b.WriteString(": field " + e.Field)
	}
	if e.Offset >= 0 {
		b.WriteString(" at byte " + strconv.FormatInt(e.Offset, 10))
	}
	if e.Err != nil {
		b.WriteString(": " + e.Err.Error())
	}
	return redact.String(b.String())
}

func (e *DecodeError) Unwrap() error { return e.Err }

// ResponseTooLargeError means a reply was larger than the client accepts
// (see WithMaxResponseSize); it was not read further.
type ResponseTooLargeError struct {
	Limit int64
}

func (e *ResponseTooLargeError) Error() string {
	return fmt.Sprintf("the answer is larger than %d bytes", e.Limit)
}

// CertificateError means the server's TLS certificate was refused: it is
// not trusted by the system, or it is not the pinned one. Fingerprint is
// the SHA-256 fingerprint of the server's leaf certificate (hex pairs
// separated by colons), which a user can compare and then trust with
// WithPinnedCertificate.
type CertificateError struct {
	Host        string
	Fingerprint string
	Pinned      string // the pinned fingerprint when it did not match, else ""
	Err         error
}

func (e *CertificateError) Error() string {
	if e.Pinned != "" {
		return "the certificate of " + e.Host + " (SHA-256 " + e.Fingerprint +
			") is not the trusted one (SHA-256 " + e.Pinned + ")"
	}
	msg := "the certificate of " + e.Host + " is not trusted"
	if e.Fingerprint != "" {
		msg += " (SHA-256 " + e.Fingerprint + ")"
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return redact.String(msg)
}

func (e *CertificateError) Unwrap() error { return e.Err }

// UnsupportedError means the method needs a newer API than the session
// speaks. It matches errors.ErrUnsupported.
type UnsupportedError struct {
	Method string
	Need   int // API major version the method needs
	Have   int // API major version of the session
}

func (e *UnsupportedError) Error() string {
	return fmt.Sprintf("%s needs API %d; the session speaks API %d", e.Method, e.Need, e.Have)
}

// Is matches errors.ErrUnsupported.
func (e *UnsupportedError) Is(target error) bool { return target == errors.ErrUnsupported }

// opError carries the method name and keeps secrets out of the message.
type opError struct {
	method string
	err    error
}

func (e *opError) Error() string {
	return redact.String("ampache " + e.method + ": " + e.err.Error())
}

func (e *opError) Unwrap() error { return e.err }

// wrapErr wraps err with the method name, once.
func wrapErr(method string, err error) error {
	if err == nil {
		return nil
	}
	var op *opError
	if errors.As(err, &op) {
		return err
	}
	return &opError{method: method, err: err}
}

// credentialsError is a handshake refusal: it is ErrBadCredentials and
// unwraps to the server's *Error.
type credentialsError struct{ err error }

func (e *credentialsError) Error() string {
	return ErrBadCredentials.Error() + " (" + e.err.Error() + ")"
}

func (e *credentialsError) Is(target error) bool { return target == ErrBadCredentials }
func (e *credentialsError) Unwrap() error        { return e.err }

// notAmpacheError is ErrNotAmpache with the reason; it unwraps to the
// underlying cause (e.g. an *HTTPStatusError).
type notAmpacheError struct {
	reason string
	err    error
}

func (e *notAmpacheError) Error() string {
	msg := ErrNotAmpache.Error() + ": " + e.reason
	if e.err != nil {
		msg += ": " + e.err.Error()
	}
	return redact.String(msg)
}

func (e *notAmpacheError) Is(target error) bool { return target == ErrNotAmpache }
func (e *notAmpacheError) Unwrap() error        { return e.err }
