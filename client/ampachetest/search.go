package ampachetest

import (
	"cmp"
	"math/rand/v2"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Searches: search_songs, advanced_search (and its API6 alias search), and
// the rules smartlists are made of.

// searchRule is one rule_N of an advanced search.
type searchRule struct {
	field string
	op    int
	input string
}

// Rule kinds and their operators, as the real server numbers them.
const (
	ruleText  = iota // 0 contains, 1 not contains, 2 starts with, 3 ends with, 4 is, 5 is not, 6 sounds like, 7 not sounds like, 8 regex, 9 not regex
	ruleNum          // 0 >=, 1 <=, 2 =, 3 !=, 4 >, 5 <
	ruleDate         // 0 before, 1 after
	ruleBool         // 0 true, 1 false
	ruleCount        // recent_played, recent_added: the N most recent (operator ignored)
)

// ruleKind returns the kind of a field for an object type, or -1.
func ruleKind(typ, field string) int {
	switch field {
	case "title", "name", "album", "artist", "album_artist", "genre", "file", "composer", "comment", "favorite", "summary", "placeformed":
		return ruleText
	case "year", "time", "bitrate", "rating", "myrating", "averagerating", "played_times", "track", "disk", "songcount", "albumcount", "yearformed":
		return ruleNum
	case "added", "updated":
		return ruleDate
	case "played", "myplayed", "has_image":
		return ruleBool
	case "recent_played", "recent_added", "recent_updated":
		return ruleCount
	}
	return -1
}

// ruleAliases maps other names clients use to the server's rule names.
var ruleAliases = map[string]string{
	"recently_played": "recent_played", "recently_added": "recent_added", "recently_updated": "recent_updated",
	"played_count": "played_times", "length": "time", "song": "title", "song_title": "title",
}

// readRules reads rule_1, rule_1_operator, rule_1_input, rule_2, ...
func (c *call) readRules(typ string) ([]searchRule, *apiError) {
	var rules []searchRule
	for i := 1; ; i++ {
		p := "rule_" + strconv.Itoa(i)
		field := c.str(p)
		if field == "" {
			break
		}
		if alias, ok := ruleAliases[field]; ok {
			field = alias
		}
		if ruleKind(typ, field) < 0 {
			return nil, errBad(p, field)
		}
		op, err := strconv.Atoi(c.str(p + "_operator"))
		if err != nil {
			return nil, errMissing(p + "_operator")
		}
		if !c.form.Has(p + "_input") {
			return nil, errMissing(p + "_input")
		}
		rules = append(rules, searchRule{field: field, op: op, input: c.str(p + "_input")})
	}
	if len(rules) == 0 {
		return nil, errMissing("rule_1")
	}
	return rules, nil
}

// textMatch applies a text operator to a folded value.
func textMatch(op int, value, input string) bool {
	in := fold(input)
	switch op {
	case 0:
		return strings.Contains(value, in)
	case 1:
		return !strings.Contains(value, in)
	case 2:
		return strings.HasPrefix(value, in)
	case 3:
		return strings.HasSuffix(value, in)
	case 4:
		return value == in
	case 5:
		return value != in
	case 6, 7:
		like := soundsLike(value) == soundsLike(in)
		return like == (op == 6)
	case 8, 9:
		re, err := regexp.Compile("(?i)" + input)
		m := err == nil && re.MatchString(value)
		return m == (op == 8)
	}
	return false
}

// soundsLike is a rough phonetic key: letters without vowels and repeats.
func soundsLike(s string) string {
	var b strings.Builder
	var last rune
	for i, r := range s {
		if r < 'a' || r > 'z' || i > 0 && strings.ContainsRune("aeiouyhw", r) || r == last {
			continue
		}
		b.WriteRune(r)
		last = r
	}
	return b.String()
}

func numMatch(op int, v, in float64) bool {
	switch op {
	case 0:
		return v >= in
	case 1:
		return v <= in
	case 2:
		return v == in
	case 3:
		return v != in
	case 4:
		return v > in
	case 5:
		return v < in
	}
	return false
}

// songRule evaluates one rule on a song for a user.
func (c *call) songRule(s *song, r searchRule, recent map[int]bool) bool {
	u := c.l.users[c.user.id]
	switch ruleKind("song", r.field) {
	case ruleText:
		var v string
		switch r.field {
		case "title", "name":
			v = s.fold
		case "album":
			v = s.album.fold
		case "artist":
			v = s.artist.fold
		case "album_artist":
			v = s.album.artist.fold
		case "file":
			v = fold(s.path())
		case "composer":
			v = fold(s.composer)
		case "comment":
			v = fold(s.comment)
		case "favorite":
			if u == nil || !u.flags[objKey{"song", s.id}] {
				return false
			}
			v = s.fold
		case "genre":
			// Negative operators (1, 5, 7, 9) hold when no genre matches.
			neg := r.op == 1 || r.op == 5 || r.op == 7 || r.op == 9
			op := r.op
			if neg {
				op--
			}
			hit := false
			for _, g := range s.genres {
				if textMatch(op, g.fold, r.input) {
					hit = true
					break
				}
			}
			return hit != neg
		}
		return textMatch(r.op, v, r.input)
	case ruleNum:
		in, err := strconv.ParseFloat(r.input, 64)
		if err != nil {
			return false
		}
		var v float64
		switch r.field {
		case "year":
			v = float64(s.year)
		case "time":
			v = float64(s.seconds) / 60
		case "bitrate":
			v = float64(s.bitrate / 1000)
		case "rating", "myrating":
			rt, ok := c.rating("song", s.id)
			if !ok && r.field == "myrating" {
				return numMatch(r.op, 0, in)
			}
			v = float64(rt)
		case "averagerating":
			sum, n := 0, 0
			for _, us := range c.l.users {
				if x, ok := us.ratings[objKey{"song", s.id}]; ok {
					sum += x
					n++
				}
			}
			if n > 0 {
				v = float64(sum) / float64(n)
			}
		case "played_times":
			v = float64(s.playcount)
		case "track":
			v = float64(s.track)
		case "disk":
			v = float64(s.disc)
		default:
			return false
		}
		return numMatch(r.op, v, in)
	case ruleDate:
		t, ok := parseDate(r.input)
		if !ok {
			return false
		}
		v := s.added
		if r.field == "updated" {
			v = s.updated
		}
		if r.op == 0 {
			return v < t
		}
		return v > t
	case ruleBool:
		var yes bool
		switch r.field {
		case "played":
			yes = s.playcount > 0
		case "myplayed":
			yes = u != nil && u.plays[s.id] > 0
		case "has_image":
			yes = s.album.hasArt
		}
		return yes == (r.op == 0)
	case ruleCount:
		return recent[s.id]
	}
	return false
}

// recentSets precomputes the "N most recent" rules.
func (c *call) recentSets(rules []searchRule) map[int]bool {
	var set map[int]bool
	for _, r := range rules {
		if ruleKind("song", r.field) != ruleCount {
			continue
		}
		n, _ := strconv.Atoi(r.input)
		if set == nil {
			set = map[int]bool{}
		}
		var order []*song
		switch r.field {
		case "recent_played":
			u := c.l.users[c.user.id]
			if u == nil {
				continue
			}
			for id := range u.lastPlayed {
				if s := c.l.song(id); s != nil {
					order = append(order, s)
				}
			}
			slices.SortFunc(order, func(a, b *song) int { return cmp.Compare(u.lastPlayed[b.id], u.lastPlayed[a.id]) })
		case "recent_added", "recent_updated":
			order = slices.Clone(c.l.songsByTitle)
			slices.SortStableFunc(order, func(a, b *song) int {
				if r.field == "recent_updated" {
					return cmp.Compare(b.updated, a.updated)
				}
				return cmp.Compare(b.added, a.added)
			})
		}
		for _, s := range order[:min(n, len(order))] {
			set[s.id] = true
		}
	}
	return set
}

// matchSongs returns the songs (in title order) matching rules joined by
// "and" or "or".
func (c *call) matchSongs(rules []searchRule, or bool) []*song {
	recent := c.recentSets(rules)
	var out []*song
	for _, s := range c.l.songsByTitle {
		ok := !or
		for _, r := range rules {
			m := c.songRule(s, r, recent)
			if or && m {
				ok = true
				break
			}
			if !or && !m {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, s)
		}
	}
	return out
}

// albumRule and artistRule test an album or artist through its songs where
// the rule is about songs, and directly for names, years and ratings.
func (c *call) groupRule(typ string, id int, name string, year int, songs []*song, r searchRule, recent map[int]bool) bool {
	switch r.field {
	case "title", "name":
		return textMatch(r.op, name, r.input)
	case "year":
		in, err := strconv.ParseFloat(r.input, 64)
		return err == nil && numMatch(r.op, float64(year), in)
	case "rating", "myrating":
		in, err := strconv.ParseFloat(r.input, 64)
		rt, _ := c.rating(typ, id)
		return err == nil && numMatch(r.op, float64(rt), in)
	case "songcount":
		in, err := strconv.ParseFloat(r.input, 64)
		return err == nil && numMatch(r.op, float64(len(songs)), in)
	}
	for _, s := range songs {
		if c.songRule(s, r, recent) {
			return true
		}
	}
	return false
}

func combine(or bool, rules []searchRule, test func(searchRule) bool) bool {
	for _, r := range rules {
		m := test(r)
		if or && m {
			return true
		}
		if !or && !m {
			return false
		}
	}
	return !or
}

// apiAdvancedSearch runs rules over songs, albums or artists.
func apiAdvancedSearch(c *call) *apiError {
	typ := c.str("type")
	if typ == "" {
		typ = "song"
	}
	rules, err := c.readRules(typ)
	if err != nil {
		return err
	}
	or := strings.EqualFold(c.str("operator"), "or")
	offset, limit := c.paging()
	random := c.flag("random")
	recent := c.recentSets(rules)
	switch typ {
	case "song":
		all := c.matchSongs(rules, or)
		if random {
			shuffle(all)
		}
		c.songList(len(all), offset, page(all, offset, limit))
	case "album":
		var all []*album
		for _, a := range c.l.albumsByName {
			if combine(or, rules, func(r searchRule) bool { return c.groupRule("album", a.id, a.fold, a.year, a.songs, r, recent) }) {
				all = append(all, a)
			}
		}
		if random {
			shuffle(all)
		}
		c.albumList(len(all), page(all, offset, limit))
	case "artist", "album_artist", "song_artist":
		var all []*artist
		for _, a := range c.l.artistsByName {
			songs := artistSongs(a)
			if combine(or, rules, func(r searchRule) bool { return c.groupRule("artist", a.id, a.fold, a.yearFormed, songs, r, recent) }) {
				all = append(all, a)
			}
		}
		if random {
			shuffle(all)
		}
		c.artistList(len(all), page(all, offset, limit))
	default:
		return errBad("type", typ)
	}
	return nil
}

// apiSearchSongs searches song titles, artists and albums.
func apiSearchSongs(c *call) *apiError {
	text := fold(c.str("filter"))
	offset, limit := c.paging()
	q := query{offset: offset, limit: limit}
	total, items := selectPage(q, c.l.songsByTitle, func(s *song) bool {
		return strings.Contains(s.fold, text) || strings.Contains(s.artist.fold, text) || strings.Contains(s.album.fold, text)
	}, nil)
	c.songList(total, offset, items)
	return nil
}

func shuffle[T any](s []T) {
	rand.Shuffle(len(s), func(i, j int) { s[i], s[j] = s[j], s[i] })
}
