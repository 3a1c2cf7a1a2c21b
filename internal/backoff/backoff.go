// Package backoff computes retry delays that grow exponentially, are capped,
// and carry random jitter so that many clients do not retry in step.
package backoff

import (
	"context"
	"math"
	"math/rand/v2"
	"time"
)

// Policy describes how long to wait before each retry. The zero value is
// usable and means Default.
type Policy struct {
	// Initial is the delay before the first retry (attempt 0).
	Initial time.Duration
	// Max caps every delay.
	Max time.Duration
	// Multiplier is the growth factor between attempts; values below 1 mean 2.
	Multiplier float64
	// Jitter is the fraction of each delay that is random, from 0 (none) to
	// 1 (anywhere between 0 and the delay). Values outside [0, 1] are clamped.
	Jitter float64
}

// DefaultPolicy waits about 250 ms, 500 ms, 1 s, 2 s, 4 s, then 5 s, each
// with up to half of it random.
func DefaultPolicy() Policy {
	return Policy{Initial: 250 * time.Millisecond, Max: 5 * time.Second, Multiplier: 2, Jitter: 0.5}
}

// Delay returns the delay before retry number attempt (0 for the first
// retry). random is a value in [0, 1); pass rand.Float64() or, in tests, a
// fixed value. The delay lies in [(1-Jitter)·d, d] where d is the capped
// exponential delay.
func (p Policy) Delay(attempt int, random float64) time.Duration {
	p = p.normalized()
	attempt = max(attempt, 0)
	d := float64(p.Initial) * math.Pow(p.Multiplier, float64(attempt))
	d = math.Min(d, float64(p.Max))
	random = math.Min(math.Max(random, 0), 1)
	return time.Duration(d * (1 - p.Jitter*random))
}

// Wait sleeps for the delay before retry number attempt, with fresh
// jitter. It returns ctx.Err() early if ctx is done first.
func (p Policy) Wait(ctx context.Context, attempt int) error {
	t := time.NewTimer(p.Delay(attempt, rand.Float64()))
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func (p Policy) normalized() Policy {
	if p == (Policy{}) {
		return DefaultPolicy()
	}
	if p.Initial <= 0 {
		p.Initial = DefaultPolicy().Initial
	}
	if p.Max < p.Initial {
		p.Max = p.Initial
	}
	if p.Multiplier < 1 {
		p.Multiplier = 2
	}
	p.Jitter = math.Min(math.Max(p.Jitter, 0), 1)
	return p
}
