package core

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/internal/redact"
	"github.com/ampdesk/ampdesk/storage"
)

// Explain says in one sentence what went wrong and, where it can, what to
// do about it. It never returns a secret.
func Explain(err error) string {
	if err == nil {
		return ""
	}
	return redact.String(explain(err))
}

func explain(err error) string {
	var (
		apiErr   *client.Error
		unreach  *client.UnreachableError
		certErr  *client.CertificateError
		status   *client.HTTPStatusError
		decode   *client.DecodeError
		tooLarge *client.ResponseTooLargeError
		unsupp   *client.UnsupportedError
		keyErr   *storage.KeyringError
	)
	switch {
	case errors.As(err, &keyErr):
		return keyErr.Error()
	case errors.Is(err, storage.ErrNoSecret):
		return "no password or API key is saved for this profile: log in again"
	case errors.Is(err, storage.ErrNoProfile):
		return "there is no such profile (ampdesk profiles lists them)"
	case errors.Is(err, client.ErrBadCredentials):
		return "wrong user name, password or API key: the server refused them"
	case errors.As(err, &certErr):
		if certErr.Pinned != "" {
			return fmt.Sprintf("the server %s now shows a different TLS certificate (SHA-256 %s) than the one you trusted (%s); refusing to connect — if the server's certificate was really renewed, trust the new one",
				certErr.Host, certErr.Fingerprint, certErr.Pinned)
		}
		return fmt.Sprintf("the TLS certificate of %s is not trusted by this computer (SHA-256 fingerprint %s); if you recognise it, trust this certificate for this profile",
			certErr.Host, certErr.Fingerprint)
	case errors.As(err, &unreach):
		return fmt.Sprintf("cannot reach the server at %s: %s", unreach.URL, networkReason(unreach.Err))
	case errors.Is(err, client.ErrNotAmpache):
		return "that address does not answer like an Ampache server: check the URL (the address of your Ampache, e.g. https://music.example.com/ampache)"
	case errors.Is(err, client.ErrAPIDisabled):
		return "the server's API is switched off (Access Control is not enabled): ask its administrator to enable it"
	case errors.Is(err, client.ErrFailedAccessCheck):
		return "your account is not allowed to do this on the server" + serverSays(err)
	case errors.Is(err, client.ErrAccessDenied):
		return "this feature is disabled on the server" + serverSays(err)
	case errors.Is(err, client.ErrNotFound):
		return "not found on the server" + serverSays(err)
	case errors.Is(err, client.ErrSessionExpired):
		return "the session expired and could not be renewed: log in again"
	case errors.Is(err, client.ErrBadRequest):
		return "the server refused the request" + serverSays(err)
	case errors.Is(err, client.ErrMissingMethod), errors.Is(err, client.ErrDeprecated):
		return "the server does not offer this function (its API version differs)" + serverSays(err)
	case errors.As(err, &unsupp):
		return fmt.Sprintf("the server's API %d is too old for this (it needs API %d)", unsupp.Have, unsupp.Need)
	case errors.As(err, &apiErr):
		return "the server reported an error" + serverSays(err)
	case errors.Is(err, client.ErrEmptyResponse):
		return "the server sent an empty answer (it may not support the API version asked for)"
	case errors.As(err, &status):
		return fmt.Sprintf("the server answered with HTTP %s", status.Status)
	case errors.As(err, &tooLarge):
		return fmt.Sprintf("the server's answer was larger than %d MB and was not read", tooLarge.Limit>>20)
	case errors.As(err, &decode):
		if decode.Field != "" {
			return fmt.Sprintf("the server's answer to %s could not be read (field %q)", decode.Method, decode.Field)
		}
		return fmt.Sprintf("the server's answer to %s could not be read", decode.Method)
	case errors.Is(err, context.DeadlineExceeded):
		return "the server did not answer in time"
	case errors.Is(err, context.Canceled):
		return "cancelled"
	}
	return err.Error()
}

func serverSays(err error) string {
	var e *client.Error
	if errors.As(err, &e) && strings.TrimSpace(e.Message) != "" {
		return fmt.Sprintf(" (the server says: %s)", strings.TrimSpace(e.Message))
	}
	return ""
}

func networkReason(err error) string {
	var dnsErr *net.DNSError
	switch {
	case err == nil:
		return "no answer"
	case errors.As(err, &dnsErr):
		return "no such host name (" + dnsErr.Name + ")"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "nothing is listening there (connection refused)"
	case errors.Is(err, syscall.ECONNRESET):
		return "the connection was reset"
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return "the network cannot reach that host"
	case errors.Is(err, context.DeadlineExceeded), isTimeout(err):
		return "it did not answer in time"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "the connection was closed before the answer was complete"
	}
	return err.Error()
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
