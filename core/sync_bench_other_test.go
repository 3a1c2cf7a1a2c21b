//go:build !linux

package core

import "time"

// processCPU and threadCPU are not measured here (see the linux file).
func processCPU() time.Duration { return 0 }

func threadCPU() time.Duration { return 0 }
