package backoff

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"
)

func TestDelayGrowsAndCaps(t *testing.T) {
	t.Parallel()
	p := Policy{Initial: 100 * time.Millisecond, Max: time.Second, Multiplier: 2, Jitter: 0.5}
	tests := []struct {
		attempt int
		random  float64
		want    time.Duration
	}{
		{0, 0, 100 * time.Millisecond},
		{1, 0, 200 * time.Millisecond},
		{2, 0, 400 * time.Millisecond},
		{3, 0, 800 * time.Millisecond},
		{4, 0, time.Second}, // capped
		{40, 0, time.Second},
		{0, 1, 50 * time.Millisecond}, // full jitter removes at most half
		{4, 0.5, 750 * time.Millisecond},
		{-3, 0, 100 * time.Millisecond}, // negative attempts count as the first
	}
	for _, tt := range tests {
		if got := p.Delay(tt.attempt, tt.random); got != tt.want {
			t.Errorf("Delay(%d, %v) = %v, want %v", tt.attempt, tt.random, got, tt.want)
		}
	}
}

func TestZeroPolicyIsDefault(t *testing.T) {
	t.Parallel()
	var p Policy
	for attempt := range 8 {
		if got, want := p.Delay(attempt, 0.3), DefaultPolicy().Delay(attempt, 0.3); got != want {
			t.Errorf("zero Policy Delay(%d) = %v, want DefaultPolicy's %v", attempt, got, want)
		}
	}
}

func TestDelayStaysInJitterBounds(t *testing.T) {
	t.Parallel()
	p := Policy{Initial: time.Second, Max: time.Minute, Multiplier: 3, Jitter: 0.25}
	for attempt := range 6 {
		hi := p.Delay(attempt, 0)
		for _, r := range []float64{0.1, 0.5, 0.999, 7, -1} {
			d := p.Delay(attempt, r)
			if d > hi || d < hi*3/4 {
				t.Errorf("Delay(%d, %v) = %v, outside [%v, %v]", attempt, r, d, hi*3/4, hi)
			}
		}
	}
}

func TestWaitHonoursContext(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		p := Policy{Initial: time.Hour, Max: time.Hour, Jitter: 0}
		ctx, cancel := context.WithCancel(t.Context())
		go func() {
			time.Sleep(time.Second)
			cancel()
		}()
		start := time.Now()
		if err := p.Wait(ctx, 0); !errors.Is(err, context.Canceled) {
			t.Fatalf("Wait = %v, want context.Canceled", err)
		}
		if got := time.Since(start); got != time.Second {
			t.Errorf("Wait returned after %v, want 1s (when the context was cancelled)", got)
		}
		start = time.Now()
		if err := (Policy{Initial: 3 * time.Second, Max: time.Hour}).Wait(t.Context(), 0); err != nil {
			t.Fatalf("Wait = %v", err)
		}
		if got := time.Since(start); got != 3*time.Second {
			t.Errorf("Wait slept %v, want 3s with no jitter", got)
		}
	})
}
