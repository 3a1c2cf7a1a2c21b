//go:build !linux

package storage

import "time"

// processCPU is not measured here (see the linux file).
func processCPU() time.Duration { return 0 }
