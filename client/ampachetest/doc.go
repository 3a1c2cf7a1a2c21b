// Package ampachetest is an in-process Ampache server for tests, benchmarks
// and the demo mode, shaped like net/http/httptest.
//
// It speaks Ampache's JSON API (API6 by default; API5 and API4 on request)
// over a generated library, with the real server's shapes, errors and
// semantics. See the package documentation at the end of development for
// the full list of methods, accounts, test tracks and faults.
package ampachetest
