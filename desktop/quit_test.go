package desktop

import (
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
)

type quitCounter struct {
	fyne.App
	quits atomic.Int32
}

func (q *quitCounter) Quit() { q.quits.Add(1) }

// A Quit after which Run never returns still shuts down, once, and exits.
func TestQuitGuardExitsWhenRunDoesNotReturn(t *testing.T) {
	app := &quitCounter{}
	g := GuardQuit(app, 20*time.Millisecond)
	exited := make(chan int, 2)
	g.exit = func(code int) { exited <- code }
	var shutdowns atomic.Int32
	g.SetShutdown(func() { shutdowns.Add(1) })

	g.Quit()
	g.Quit() // a second Quit (another face) arms nothing more
	select {
	case code := <-exited:
		if code != 0 {
			t.Errorf("exit code %d, want 0", code)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the guard did not exit")
	}
	if n := app.quits.Load(); n != 2 {
		t.Errorf("the app's Quit was called %d times, want 2", n)
	}
	g.Shutdown() // main's, had Run returned after all
	if n := shutdowns.Load(); n != 1 {
		t.Errorf("shutdown ran %d times, want 1", n)
	}
	select {
	case <-exited:
		t.Error("the guard exited twice")
	case <-time.After(100 * time.Millisecond):
	}
}

// Without Quit (the window closed another way), the guard never exits.
func TestQuitGuardIdleWithoutQuit(t *testing.T) {
	g := GuardQuit(&quitCounter{}, time.Millisecond)
	g.exit = func(int) { t.Error("exited without Quit") }
	ran := false
	g.SetShutdown(func() { ran = true })
	time.Sleep(20 * time.Millisecond)
	g.Shutdown()
	if !ran {
		t.Error("Shutdown did not run the shutdown")
	}
}
