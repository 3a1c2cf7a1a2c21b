//go:build !race

package ampachetest

// raceBuild is false: tests decode whole streams (see race_on_test.go).
const raceBuild = false
