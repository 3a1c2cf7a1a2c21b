//go:build race

package ampachetest

// raceBuild: the race detector slows audio decoding some 25 times, so
// tests decode only the start of long streams and take lengths from the
// decoders' headers.
const raceBuild = true
