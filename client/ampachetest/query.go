package ampachetest

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// query is what list methods share: filter/exact on the name, the add and
// update date filters, sort, offset and limit.
type query struct {
	text           string // folded filter text
	exact          bool
	addFrom, addTo int64 // unix seconds; 0 = open
	updFrom, updTo int64
	offset, limit  int
	sortField      string // "" = the method's default order
	sortDesc       bool
}

func (c *call) query() query {
	q := query{text: fold(c.str("filter")), exact: c.flag("exact")}
	q.offset, q.limit = c.paging()
	q.addFrom, q.addTo = parseRange(c.str("add"))
	q.updFrom, q.updTo = parseRange(c.str("update"))
	if s := c.str("sort"); s != "" {
		field, order, _ := strings.Cut(s, ",")
		q.sortField = strings.ToLower(strings.TrimSpace(field))
		q.sortDesc = strings.EqualFold(strings.TrimSpace(order), "DESC")
	}
	return q
}

// parseRange reads an add/update filter: a date (everything changed since
// then) or "from/to". Like the real server (PHP strtotime), a date it cannot
// read filters nothing.
func parseRange(s string) (from, to int64) {
	if s == "" {
		return 0, 0
	}
	a, b, isRange := strings.Cut(s, "/")
	from, _ = parseDate(a)
	if isRange {
		to, _ = parseDate(b)
	}
	return from, to
}

func parseDate(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	if strings.HasPrefix(s, "@") {
		n, err := strconv.ParseInt(s[1:], 10, 64)
		return n, err == nil
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil && len(s) >= 9 {
		return n, true
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, time.UTC); err == nil {
			return t.Unix(), true
		}
	}
	return 0, false
}

func (q query) filtered() bool {
	return q.text != "" || q.addFrom != 0 || q.addTo != 0 || q.updFrom != 0 || q.updTo != 0
}

func (q query) matchName(folded string) bool {
	if q.text == "" {
		return true
	}
	if q.exact {
		return folded == q.text
	}
	return strings.Contains(folded, q.text)
}

func (q query) matchDates(added, updated int64) bool {
	if q.addFrom != 0 && added < q.addFrom || q.addTo != 0 && added > q.addTo {
		return false
	}
	if q.updFrom != 0 && updated < q.updFrom || q.updTo != 0 && updated > q.updTo {
		return false
	}
	return true
}

// selectPage applies q to all (already in the default order): it returns
// the number of matches and the requested page. Without a filter or a sort
// it only slices; with a filter it scans once and keeps only the page.
func selectPage[T any](q query, all []T, match func(T) bool, order func(field string) func(a, b T) int) (int, []T) {
	var cmp func(a, b T) int
	if q.sortField != "" && order != nil {
		cmp = order(q.sortField)
	}
	if cmp == nil && !q.sortDesc {
		if match == nil {
			return len(all), page(all, q.offset, q.limit)
		}
		total := 0
		var out []T
		for _, x := range all {
			if !match(x) {
				continue
			}
			if total >= q.offset && (q.limit < 0 || len(out) < q.limit) {
				out = append(out, x)
			}
			total++
		}
		return total, out
	}
	var sel []T
	if match == nil {
		sel = slices.Clone(all)
	} else {
		for _, x := range all {
			if match(x) {
				sel = append(sel, x)
			}
		}
	}
	if cmp != nil {
		slices.SortStableFunc(sel, cmp)
	}
	if q.sortDesc {
		slices.Reverse(sel)
	}
	return len(sel), page(sel, q.offset, q.limit)
}

// Sort orders by field for each kind of object; nil means the default.

func songOrder(field string) func(a, b *song) int {
	switch field {
	case "id":
		return func(a, b *song) int { return a.id - b.id }
	case "year":
		return func(a, b *song) int { return a.year - b.year }
	case "time":
		return func(a, b *song) int { return a.seconds - b.seconds }
	case "addition_time", "add", "added":
		return func(a, b *song) int { return int(a.added - b.added) }
	case "track":
		return func(a, b *song) int { return a.track - b.track }
	case "playcount", "total_count":
		return func(a, b *song) int { return a.playcount - b.playcount }
	case "album":
		return func(a, b *song) int { return strings.Compare(a.album.fold, b.album.fold) }
	case "artist":
		return func(a, b *song) int { return strings.Compare(a.artist.fold, b.artist.fold) }
	}
	return nil
}

func albumOrder(field string) func(a, b *album) int {
	switch field {
	case "id":
		return func(a, b *album) int { return a.id - b.id }
	case "year", "original_year":
		return func(a, b *album) int { return a.year - b.year }
	case "addition_time", "add", "added":
		return func(a, b *album) int { return int(a.added - b.added) }
	case "artist", "album_artist":
		return func(a, b *album) int { return strings.Compare(a.artist.fold, b.artist.fold) }
	}
	return nil
}

func artistOrder(field string) func(a, b *artist) int {
	switch field {
	case "id":
		return func(a, b *artist) int { return a.id - b.id }
	case "addition_time", "add", "added":
		return func(a, b *artist) int { return int(a.added - b.added) }
	}
	return nil
}

func ids[T any](items []T, id func(T) int) []int {
	out := make([]int, len(items))
	for i, x := range items {
		out[i] = id(x)
	}
	return out
}

func songID(s *song) int     { return s.id }
func albumID(a *album) int   { return a.id }
func artistID(a *artist) int { return a.id }
func genreID(g *genre) int   { return g.id }

// includes reads the include parameter ("albums,songs", "episodes", "1").
func (c *call) includes(what string) bool {
	for _, v := range strings.Split(c.str("include"), ",") {
		v = strings.TrimSpace(strings.ToLower(v))
		if v == what || v == "1" || v == "true" {
			return true
		}
	}
	return false
}
