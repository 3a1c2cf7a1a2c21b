package gui

import (
	"fmt"
	"strconv"
	"time"
)

// clock formats a position or length as m:ss or h:mm:ss.
func clock(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	s := int(d / time.Second)
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// seconds formats a length in seconds as a clock.
func seconds(s int) string { return clock(time.Duration(s) * time.Second) }

// longDuration formats a total length in words: "42 min", "1 h 12 min".
func longDuration(s int) string {
	m := (s + 30) / 60
	if m < 60 {
		return fmt.Sprintf("%d min", max(m, 1))
	}
	return fmt.Sprintf("%d h %d min", m/60, m%60)
}

// plural says "1 song", "3 songs".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func itoa(n int) string { return strconv.Itoa(n) }
