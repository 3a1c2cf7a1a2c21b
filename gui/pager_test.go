package gui

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/ampdesk/ampdesk/client"
)

// pagerEnv is an env whose Do serialises with the test through mu.
func pagerEnv() (*env, *sync.Mutex) {
	var mu sync.Mutex
	return &env{do: func(f func()) { mu.Lock(); defer mu.Unlock(); f() }}, &mu
}

// fakeList serves n items (the index as value) in pages, with or
// without a total count, and counts the requests per offset.
type fakeList struct {
	mu       sync.Mutex
	n        int
	total    bool
	requests map[int]int
	fail     bool
}

func (f *fakeList) fetch(ctx context.Context, lo client.ListOptions) (*client.Page[int], error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.requests == nil {
		f.requests = map[int]int{}
	}
	f.requests[lo.Offset]++
	if f.fail {
		return nil, errors.New("boom")
	}
	p := &client.Page[int]{Total: -1, Offset: lo.Offset, Limit: lo.Limit}
	if f.total {
		p.Total = f.n
	}
	for i := lo.Offset; i < min(lo.Offset+lo.Limit, f.n); i++ {
		p.Items = append(p.Items, i)
	}
	return p, nil
}

func waitLocked(t *testing.T, mu *sync.Mutex, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		mu.Lock()
		ok := cond()
		mu.Unlock()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func TestPagerKeepsABoundedWindow(t *testing.T) {
	t.Parallel()
	e, mu := pagerEnv()
	src := &fakeList{n: 100000, total: true}
	var p *pager[int]
	mu.Lock()
	p = newPagerSized(e, context.Background(), 100, src.fetch)
	p.keep = 4
	p.start()
	mu.Unlock()
	waitLocked(t, mu, "the total", func() bool { return p.Len() == 100000 })

	get := func(i int) {
		t.Helper()
		waitLocked(t, mu, "row "+itoa(i), func() bool {
			v, ok := p.Get(i)
			if ok && v != i {
				t.Fatalf("row %d holds %d", i, v)
			}
			return ok
		})
	}
	for _, i := range []int{50, 5050, 99999, 42000, 150, 77777} {
		get(i)
		mu.Lock()
		if n := p.loadedPages(); n > p.keep {
			t.Fatalf("%d pages held after row %d, the window is %d", n, i, p.keep)
		}
		mu.Unlock()
	}
	// The page drawn last is never the one evicted.
	mu.Lock()
	_, ok := p.pages[77777/100]
	mu.Unlock()
	if !ok {
		t.Fatal("the page in view was evicted")
	}
	// A row near a page's end loads the next page too (scrolling ahead).
	get(42098)
	waitLocked(t, mu, "the next page", func() bool { _, ok := p.pages[421]; return ok })
	src.mu.Lock()
	defer src.mu.Unlock()
	for off, n := range src.requests {
		if n > 2 {
			t.Errorf("offset %d fetched %d times", off, n)
		}
	}
}

func TestPagerWithoutATotal(t *testing.T) {
	t.Parallel()
	e, mu := pagerEnv()
	src := &fakeList{n: 250}
	mu.Lock()
	p := newPagerSized(e, context.Background(), 100, src.fetch)
	p.start()
	mu.Unlock()
	// Unknown totals grow as pages arrive, with one "loading" row while
	// a full page promises more.
	waitLocked(t, mu, "the first page", func() bool { return p.Len() == 101 })
	mu.Lock()
	p.Get(100) // the loading row asks for the next page
	mu.Unlock()
	waitLocked(t, mu, "the second page", func() bool { return p.Len() == 201 })
	mu.Lock()
	p.Get(200)
	mu.Unlock()
	waitLocked(t, mu, "the end", func() bool { return p.Len() == 250 })
}

func TestPagerResetAndErrors(t *testing.T) {
	t.Parallel()
	e, mu := pagerEnv()
	src := &fakeList{n: 10, total: true, fail: true}
	var got error
	mu.Lock()
	p := newPagerSized(e, context.Background(), 100, src.fetch)
	p.onError = func(err error) { got = err }
	p.start()
	mu.Unlock()
	waitLocked(t, mu, "the error", func() bool { return got != nil })
	src.mu.Lock()
	src.fail = false
	src.mu.Unlock()
	other := &fakeList{n: 3, total: true}
	mu.Lock()
	p.reset(other.fetch)
	p.start()
	mu.Unlock()
	waitLocked(t, mu, "the new list", func() bool { return p.Len() == 3 })
}
