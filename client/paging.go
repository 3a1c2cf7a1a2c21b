package client

import (
	"context"
	"iter"
	"reflect"
)

// MaxPageSize is the largest page Ampache serves (its default and maximum
// number of items per call). Iterators use it unless told otherwise.
const MaxPageSize = 5000

// ListOptions pages a list method. The zero value asks for the server's
// default page from the start.
type ListOptions struct {
	Offset int `url:"offset,omitempty"` // index of the first item
	Limit  int `url:"limit,omitempty"`  // items per page; 0: the server's default (5000 at most)
}

func (o *ListOptions) listOptions() *ListOptions { return o }

// pager is implemented by every option struct that embeds ListOptions.
type pager interface{ listOptions() *ListOptions }

// Page is one page of a list method.
//
// Total is the server's total_count: the number of items over all pages.
// Servers before API6 (and some API6 methods) do not send it, and then it
// is -1. Even when sent it can be stale; never assume len(Items) == Total.
type Page[T any] struct {
	Items  []T
	Total  int // -1 when unknown
	Offset int // offset of Items[0]
	Limit  int // limit asked for; 0 for the server's default
}

// Next returns the offset of the page after this one and whether there may
// be one. An empty page is the last. With a Total, a page that reaches it
// and is shorter than the limit asked for is the last too; a full page is
// always followed by another request, since Total may lag behind. Without
// a Total, only an empty page ends the list.
func (p *Page[T]) Next() (offset int, ok bool) {
	n := len(p.Items)
	if n == 0 {
		return p.Offset, false
	}
	next := p.Offset + n
	if p.Total < 0 {
		return next, true
	}
	full := p.Limit > 0 && n >= p.Limit
	return next, next < p.Total || full
}

// iterate walks every item of a list method, page by page, starting at
// opts' offset (opts is a copy owned by the iterator). It stops on an
// empty page, when Page.Next says so, at the first error, or when the
// server repeats a page instead of moving on.
func iterate[T any](ctx context.Context, opts *ListOptions, fetch func(context.Context) (*Page[T], error)) iter.Seq2[T, error] {
	if opts.Limit <= 0 {
		opts.Limit = MaxPageSize
	}
	return func(yield func(T, error) bool) {
		var prevFirst *T
		for {
			if err := ctx.Err(); err != nil {
				var zero T
				yield(zero, err)
				return
			}
			page, err := fetch(ctx)
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			if len(page.Items) > 0 && prevFirst != nil && reflect.DeepEqual(*prevFirst, page.Items[0]) {
				var zero T
				yield(zero, wrapErr("paging", ErrPagingStalled))
				return
			}
			for _, item := range page.Items {
				if !yield(item, nil) {
					return
				}
			}
			next, more := page.Next()
			if !more {
				return
			}
			if len(page.Items) > 0 {
				first := page.Items[0]
				prevFirst = &first
			}
			opts.Offset = next
		}
	}
}
