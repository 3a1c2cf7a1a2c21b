package storage

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"
)

func openTestJournal(t testing.TB, path string) *Journal {
	t.Helper()
	j, err := OpenJournal(context.Background(), path)
	if err != nil {
		t.Fatalf("open journal: %v", err)
	}
	t.Cleanup(func() { j.Close() })
	return j
}

func entry(id string, pos time.Duration, updated time.Time, state JournalState) JournalEntry {
	return JournalEntry{Scope: "http://srv/ampache\nadmin\ntest", ObjectType: "podcast_episode", ObjectID: id,
		Position: pos, Duration: time.Hour, Updated: updated, State: state, Title: "Episode " + id, Album: "Pod"}
}

func TestJournalRecordAndReopen(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "data", "bookmark-journal.db")
	j, err := OpenJournal(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.UnixMilli(1_750_000_000_123)
	want := entry("7", 7*time.Minute+30*time.Second+250*time.Millisecond, t0, JournalPendingSet)
	if ok, err := j.Record(ctx, want); err != nil || !ok {
		t.Fatalf("record: %v %v", ok, err)
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("journal file mode: %v %v", st.Mode(), err)
	}

	j = openTestJournal(t, path)
	got, ok, err := j.Get(ctx, want.Scope, want.ObjectType, want.ObjectID)
	if err != nil || !ok {
		t.Fatalf("get after reopen: %v %v", ok, err)
	}
	if got != want {
		t.Fatalf("after reopen:\n got %+v\nwant %+v", got, want)
	}
	if _, ok, err := j.Get(ctx, want.Scope, "song", "7"); ok || err != nil {
		t.Fatalf("other type: %v %v", ok, err)
	}
}

// TestJournalSurvivesSIGKILL records positions in a child process that
// then kills itself with SIGKILL (no Close, no deferred code), and reads
// them back.
func TestJournalSurvivesSIGKILL(t *testing.T) {
	t.Parallel()
	if os.Getenv("AMPDESK_JOURNAL_CHILD") != "" {
		return // the child runs in TestJournalChild
	}
	path := filepath.Join(t.TempDir(), "bookmark-journal.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestJournalChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), "AMPDESK_JOURNAL_CHILD="+path)
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("child should die of SIGKILL, got %v\n%s", err, out)
	}
	j := openTestJournal(t, path)
	all, err := j.All(context.Background(), entry("", 0, time.Time{}, 0).Scope)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 1 {
		t.Fatalf("after SIGKILL: %d entries, want 1: %+v", len(all), all)
	}
	// The child recorded 0:01 ... 0:50 in order; the last one must be there.
	if all[0].Position != 50*time.Second || all[0].State != JournalPendingSet {
		t.Fatalf("after SIGKILL: %+v", all[0])
	}
}

// TestJournalChild is the child of TestJournalSurvivesSIGKILL.
func TestJournalChild(t *testing.T) {
	path := os.Getenv("AMPDESK_JOURNAL_CHILD")
	if path == "" {
		t.Skip("runs as the child of TestJournalSurvivesSIGKILL")
	}
	j, err := OpenJournal(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Now()
	for i := 1; i <= 50; i++ {
		e := entry("1", time.Duration(i)*time.Second, t0.Add(time.Duration(i)*time.Second), JournalPendingSet)
		if _, err := j.Record(context.Background(), e); err != nil {
			t.Fatal(err)
		}
	}
	syscall.Kill(os.Getpid(), syscall.SIGKILL)
	select {} // never reached
}

func TestJournalNeverGoesBackInTime(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	j := openTestJournal(t, filepath.Join(t.TempDir(), "j.db"))
	t0 := time.UnixMilli(1_750_000_000_000)
	newer := entry("1", 10*time.Minute, t0.Add(time.Minute), JournalPendingSet)
	older := entry("1", 3*time.Minute, t0, JournalSynced)
	if ok, err := j.Record(ctx, newer); !ok || err != nil {
		t.Fatal(ok, err)
	}
	ok, err := j.Record(ctx, older)
	if err != nil || ok {
		t.Fatalf("an older position was stored: %v %v", ok, err)
	}
	got, _, _ := j.Get(ctx, newer.Scope, newer.ObjectType, newer.ObjectID)
	if got.Position != newer.Position || got.State != JournalPendingSet || !got.Updated.Equal(newer.Updated) {
		t.Fatalf("got %+v", got)
	}
	// The same time replaces (the later call wins), a newer one too.
	finished := entry("1", 58*time.Minute, newer.Updated, JournalPendingDelete)
	if ok, err := j.Record(ctx, finished); !ok || err != nil {
		t.Fatal(ok, err)
	}
	// Empty title and unknown duration keep what was known.
	later := entry("1", 20*time.Minute, t0.Add(2*time.Minute), JournalPendingSet)
	later.Title, later.Duration = "", 0
	if ok, err := j.Record(ctx, later); !ok || err != nil {
		t.Fatal(ok, err)
	}
	got, _, _ = j.Get(ctx, later.Scope, later.ObjectType, later.ObjectID)
	if got.Title != "Episode 1" || got.Duration != time.Hour || got.Position != 20*time.Minute {
		t.Fatalf("got %+v", got)
	}
}

func TestJournalPendingOrderAndSync(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	j := openTestJournal(t, filepath.Join(t.TempDir(), "j.db"))
	t0 := time.UnixMilli(1_750_000_000_000)
	// Recorded out of order; replayed oldest first.
	for _, e := range []JournalEntry{
		entry("3", time.Minute, t0.Add(3*time.Second), JournalPendingSet),
		entry("1", time.Minute, t0.Add(1*time.Second), JournalPendingDelete),
		entry("4", time.Minute, t0.Add(4*time.Second), JournalSynced),
		entry("2", time.Minute, t0.Add(2*time.Second), JournalPendingSet),
	} {
		if _, err := j.Record(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	other := entry("9", time.Minute, t0, JournalPendingSet)
	other.Scope = "another server"
	if _, err := j.Record(ctx, other); err != nil {
		t.Fatal(err)
	}
	pending, err := j.Pending(ctx, entry("", 0, t0, 0).Scope)
	if err != nil {
		t.Fatal(err)
	}
	if ids := idsOf(pending); ids != "1,2,3" {
		t.Fatalf("pending order %s, want 1,2,3", ids)
	}

	// A position taken while "2" was being pushed keeps it pending.
	if _, err := j.Record(ctx, entry("2", 2*time.Minute, t0.Add(10*time.Second), JournalPendingSet)); err != nil {
		t.Fatal(err)
	}
	for _, e := range pending {
		if _, err := j.MarkSynced(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	pending, _ = j.Pending(ctx, pending[0].Scope)
	if ids := idsOf(pending); ids != "2" || pending[0].Position != 2*time.Minute {
		t.Fatalf("after sync: pending %s %+v", ids, pending)
	}
	// The finished one is gone, the synced ones stay for resuming offline.
	all, _ := j.All(ctx, pending[0].Scope)
	if ids := idsOf(all); ids != "2,4,3" {
		t.Fatalf("all (newest first) %s, want 2,4,3", ids)
	}
	e3, _, _ := j.Get(ctx, pending[0].Scope, "podcast_episode", "3")
	if e3.State != JournalSynced {
		t.Fatalf("3 is %v", e3.State)
	}

	// Failures are counted until the next record.
	if err := j.MarkFailed(ctx, pending[0], errors.New("cannot reach the server")); err != nil {
		t.Fatal(err)
	}
	if err := j.MarkFailed(ctx, pending[0], errors.New("cannot reach the server")); err != nil {
		t.Fatal(err)
	}
	e2, _, _ := j.Get(ctx, pending[0].Scope, "podcast_episode", "2")
	if e2.Attempts != 2 || e2.LastError != "cannot reach the server" {
		t.Fatalf("failures: %+v", e2)
	}

	// Drop only removes what was read; Forget removes whatever is there.
	stale := e3
	stale.Updated = stale.Updated.Add(-time.Second)
	if ok, err := j.Drop(ctx, stale); ok || err != nil {
		t.Fatalf("drop of a changed entry: %v %v", ok, err)
	}
	if ok, err := j.Drop(ctx, e3); !ok || err != nil {
		t.Fatalf("drop: %v %v", ok, err)
	}
	if err := j.Forget(ctx, e2.Scope, e2.ObjectType, e2.ObjectID); err != nil {
		t.Fatal(err)
	}
	all, _ = j.All(ctx, e2.Scope)
	if ids := idsOf(all); ids != "4" {
		t.Fatalf("after drop and forget: %s", ids)
	}
	if n, _ := j.All(ctx, "another server"); len(n) != 1 {
		t.Fatalf("the other scope was touched: %+v", n)
	}
}

func idsOf(es []JournalEntry) string {
	s := ""
	for i, e := range es {
		if i > 0 {
			s += ","
		}
		s += e.ObjectID
	}
	return s
}

func TestJournalRejectsBadEntries(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	j := openTestJournal(t, filepath.Join(t.TempDir(), "j.db"))
	for _, e := range []JournalEntry{
		{ObjectType: "song", ObjectID: "1", Updated: time.Now()},
		{Scope: "s", ObjectID: "1", Updated: time.Now()},
		{Scope: "s", ObjectType: "song", Updated: time.Now()},
		{Scope: "s", ObjectType: "song", ObjectID: "1", Position: -time.Second, Updated: time.Now()},
	} {
		if ok, err := j.Record(ctx, e); err == nil || ok {
			t.Errorf("Record(%+v) = %v, %v; want an error", e, ok, err)
		}
	}
	if all, _ := j.All(ctx, "s"); len(all) != 0 {
		t.Fatalf("bad entries were stored: %+v", all)
	}
}

func TestJournalDamagedFileIsMovedAside(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "bookmark-journal.db")
	garbage := []byte("this is not an SQLite database, it is a damaged file of some kind...")
	for len(garbage) < 8192 {
		garbage = append(garbage, garbage...)
	}
	if err := os.WriteFile(path, garbage, 0o600); err != nil {
		t.Fatal(err)
	}
	j := openTestJournal(t, path)
	if j.Moved() == "" {
		t.Fatal("Moved is empty")
	}
	if b, err := os.ReadFile(j.Moved()); err != nil || string(b) != string(garbage) {
		t.Fatalf("the damaged file was not kept: %v", err)
	}
	if _, err := j.Record(context.Background(), entry("1", time.Second, time.Now(), JournalPendingSet)); err != nil {
		t.Fatalf("new journal: %v", err)
	}
}

func TestJournalTooNew(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "j.db")
	j := openTestJournal(t, path)
	if _, err := j.db.ExecContext(ctx, `PRAGMA user_version = 99`); err != nil {
		t.Fatal(err)
	}
	j.Close()
	_, err := OpenJournal(ctx, path)
	if !errors.Is(err, ErrJournalTooNew) {
		t.Fatalf("got %v, want ErrJournalTooNew", err)
	}
}

// Two handles on one file (the window and the command line) write at the
// same time without "database is locked" errors.
func TestJournalTwoWriters(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "j.db")
	a, b := openTestJournal(t, path), openTestJournal(t, path)
	t0 := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, 2)
	for w, j := range []*Journal{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 40 {
				e := entry(strconv.Itoa(w*100+i), time.Second, t0.Add(time.Duration(i)*time.Millisecond), JournalPendingSet)
				if _, err := j.Record(ctx, e); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	all, err := a.All(ctx, entry("", 0, t0, 0).Scope)
	if err != nil || len(all) != 80 {
		t.Fatalf("%d entries, %v", len(all), err)
	}
}

// BenchmarkJournalRecord measures one durable position save (one
// statement, fsynced): the cost paid every 5 s while playing.
func BenchmarkJournalRecord(b *testing.B) {
	j := openTestJournal(b, filepath.Join(b.TempDir(), "j.db"))
	ctx := context.Background()
	t0 := time.Now()
	b.ResetTimer()
	for i := range b.N {
		e := entry(fmt.Sprint(i%20), time.Duration(i)*time.Second, t0.Add(time.Duration(i)*time.Millisecond), JournalPendingSet)
		if _, err := j.Record(ctx, e); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkJournalPending measures reading what to replay.
func BenchmarkJournalPending(b *testing.B) {
	j := openTestJournal(b, filepath.Join(b.TempDir(), "j.db"))
	ctx := context.Background()
	t0 := time.Now()
	for i := range 200 {
		state := JournalSynced
		if i%10 == 0 {
			state = JournalPendingSet
		}
		if _, err := j.Record(ctx, entry(fmt.Sprint(i), time.Second, t0.Add(time.Duration(i)*time.Millisecond), state)); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for range b.N {
		if p, err := j.Pending(ctx, entry("", 0, t0, 0).Scope); err != nil || len(p) != 20 {
			b.Fatal(len(p), err)
		}
	}
}

// BenchmarkJournalOpen measures opening an existing journal, which every
// core (so every command line run) does at start.
func BenchmarkJournalOpen(b *testing.B) {
	path := filepath.Join(b.TempDir(), "j.db")
	openTestJournal(b, path).Close()
	ctx := context.Background()
	b.ResetTimer()
	for range b.N {
		j, err := OpenJournal(ctx, path)
		if err != nil {
			b.Fatal(err)
		}
		j.Close()
	}
}
