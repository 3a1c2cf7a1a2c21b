package ampachetest

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ampdesk/ampdesk/internal/testaudio"
)

// generatedEpoch is the "now" of the generated library: additions, plays
// and episodes are dated before it, so the same seed gives the same library
// whatever the clock says.
const generatedEpoch int64 = 1748779200 // 2025-06-01T12:00:00Z

const day = 24 * 60 * 60

// The fixed test tracks: songs 1–8 of every library.
var testTones = []struct {
	clip, format, title string
}{
	{"tone1k", "mp3", "1 kHz Tone (MP3)"},
	{"tone1k", "flac", "1 kHz Tone (FLAC)"},
	{"tone1k", "ogg", "1 kHz Tone (Ogg Vorbis)"},
	{"tone1k", "wav", "1 kHz Tone (WAV)"},
	{"tone440", "mp3", "440 Hz Tone (MP3)"},
	{"tone440", "flac", "440 Hz Tone (FLAC)"},
	{"tone440", "ogg", "440 Hz Tone (Ogg Vorbis)"},
	{"tone440", "wav", "440 Hz Tone (WAV)"},
}

// episodeClip is the audio of podcast episodes: the tune, synthesized as
// 11025 Hz mono WAV so that hour-long episodes stay cheap to serve.
func episodeClip() testaudio.Clip {
	c, _ := testaudio.ByName("tune")
	c.SampleRate, c.Channels = 11025, 1
	return c
}

// generate fills an empty library. It appends records in id order and
// sorts the name indexes once at the end.
func generate(l *library, spec Library, audio *audioLib, adminID, userID int) {
	r := rand.New(rand.NewPCG(uint64(spec.Seed), 0x9e3779b97f4a7c15))
	for _, n := range genreNames {
		l.genreNamed(n)
	}
	tune := audio.clip("tune")

	// Artist 1, album 1: the test tones.
	tones := &artist{id: 1, name: "Ampdesk Test Signals", summary: "Reference tones for testing playback.",
		hasArt: true, added: generatedEpoch - 400*day, updated: generatedEpoch - 400*day}
	tones.fold = fold(tones.name)
	tones.genres = []*genre{l.genreNamed("Electronic")}
	l.artists = append(l.artists, tones)
	toneAlbum := &album{id: 1, name: "Test Tones", artist: tones, year: 2024, genres: tones.genres,
		releaseType: "album", hasArt: true, added: tones.added, updated: tones.added}
	toneAlbum.fold = fold(toneAlbum.name)
	tones.albums = []*album{toneAlbum}
	l.albums = append(l.albums, toneAlbum)
	for i, t := range testTones {
		clip, _ := testaudio.ByName(t.clip)
		s := &song{id: i + 1, title: t.title, album: toneAlbum, artist: tones, disc: 1, track: i + 1,
			year: 2024, genres: toneAlbum.genres, seconds: int(clip.Duration / time.Second),
			src:   audioSource{clip: audio.clip(t.clip), format: t.format, exact: true, duration: clip.Duration},
			added: tones.added, updated: tones.added}
		finishSong(s, audio)
		toneAlbum.songs = append(toneAlbum.songs, s)
		l.songs = append(l.songs, s)
	}

	used := map[string]bool{tones.fold: true}
	for i := 0; i < spec.Artists; i++ {
		var name string
		if i < len(accentedArtists) {
			name = accentedArtists[i]
		} else {
			for name == "" || used[fold(name)] {
				name = artistName(r)
			}
		}
		used[fold(name)] = true
		a := &artist{id: len(l.artists), name: name, fold: fold(name), hasArt: r.IntN(10) < 8}
		primary := l.genreNamed(pick(r, genreNames))
		a.genres = []*genre{primary}
		if r.IntN(3) == 0 {
			if g := l.genreNamed(pick(r, genreNames)); g != primary {
				a.genres = append(a.genres, g)
			}
		}
		started := 1960 + r.IntN(60)
		if r.IntN(2) == 0 {
			a.yearFormed = started
			a.placeFormed = pick(r, cities)
			a.summary = fmt.Sprintf("%s formed in %s in %d and have been making %s records ever since.",
				name, a.placeFormed, started, primary.name)
		}
		if r.IntN(5) == 0 {
			a.mbid = uuid(r)
		}
		l.artists = append(l.artists, a)
		for j := 0; j < spec.AlbumsPerArtist; j++ {
			al := generateAlbum(l, r, a, started, spec.SongsPerAlbum, audio, tune)
			a.albums = append(a.albums, al)
			if a.added == 0 || al.added < a.added {
				a.added = al.added
			}
		}
		slices.SortFunc(a.albums, func(x, y *album) int { return x.year - y.year })
		a.updated = a.added
	}
	generateUserData(l, r, adminID, userID)
	generatePlaylists(l, r, spec.Playlists, adminID, userID)
	generatePodcasts(l, r, spec, audio)
	for i := 0; i < spec.LiveStreams; i++ {
		name := stationNames[i%len(stationNames)]
		if i >= len(stationNames) {
			name = fmt.Sprintf("%s %d", name, i/len(stationNames)+1)
		}
		l.liveStreams = append(l.liveStreams, &liveStream{id: len(l.liveStreams), name: name,
			siteURL: "https://radio.example.org/" + fold(name), genre: pick(r, genreNames)})
	}
	l.rebuildIndexes()
	l.lastUpdate = generatedEpoch
	l.lastClean = generatedEpoch - day
}

var cities = []string{
	"Reykjavík", "Lisbon", "Montréal", "Berlin", "Osaka", "Glasgow", "São Paulo",
	"Melbourne", "Detroit", "Bristol", "Göteborg", "Kraków", "Nashville", "Lagos",
}

func uuid(r *rand.Rand) string {
	return fmt.Sprintf("%08x-%04x-4%03x-%04x-%012x", r.Uint32(), r.Uint32()&0xffff, r.Uint32()&0xfff,
		r.Uint32()&0x3fff|0x8000, r.Uint64()&0xffffffffffff)
}

func generateAlbum(l *library, r *rand.Rand, a *artist, started, songs int, audio *audioLib, tune *testaudio.Clip) *album {
	al := &album{id: len(l.albums), artist: a, hasArt: r.IntN(10) < 9}
	al.name = albumName(r)
	al.fold = fold(al.name)
	al.year = min(2025, started+r.IntN(30))
	al.genres = a.genres[:1]
	if r.IntN(4) == 0 {
		al.genres = []*genre{a.genres[0], l.genreNamed(pick(r, genreNames))}
		if al.genres[1] == al.genres[0] {
			al.genres = al.genres[:1]
		}
	}
	switch {
	case songs <= 3:
		al.releaseType = "single"
	case songs <= 6:
		al.releaseType = "ep"
	case strings.HasPrefix(al.name, "Live"):
		al.releaseType = "live"
	default:
		al.releaseType = "album"
	}
	if r.IntN(4) == 0 {
		al.mbid = uuid(r)
	}
	al.added = generatedEpoch - int64(r.IntN(3*365))*day - int64(r.IntN(day))
	al.updated = al.added
	l.albums = append(l.albums, al)
	twoDiscs := songs >= 12 && r.IntN(8) == 0
	albumGain, albumPeak := nan32(), nan32()
	if r.IntN(10) < 4 {
		albumGain, albumPeak = round2(-12+r.Float64()*14), round2(0.7+r.Float64()*0.3)
	}
	for t := 0; t < songs; t++ {
		s := &song{id: len(l.songs), album: al, artist: a, disc: 1, track: t + 1, year: al.year,
			genres: al.genres, added: al.added, updated: al.added}
		s.rgTrackGain, s.rgTrackPeak, s.rgAlbumGain, s.rgAlbumPeak = nan32(), nan32(), nan32(), nan32()
		if twoDiscs && t >= songs/2 {
			s.disc, s.track = 2, t-songs/2+1
		}
		s.title = songTitle(r)
		s.fold = fold(s.title)
		s.seconds = 95 + r.IntN(326)
		format := "mp3"
		switch p := r.IntN(100); {
		case p >= 95:
			format = "wav"
		case p >= 85:
			format = "ogg"
		case p >= 70:
			format = "flac"
		}
		s.src = audioSource{clip: tune, format: format, duration: time.Duration(s.seconds) * time.Second}
		if r.IntN(10) < 6 {
			s.rgTrackGain, s.rgTrackPeak = round2(-12+r.Float64()*14), round2(0.6+r.Float64()*0.4)
			s.rgAlbumGain, s.rgAlbumPeak = albumGain, albumPeak
		}
		if r.IntN(10) < 3 {
			s.composer = pick(r, firstNames) + " " + pick(r, lastNames)
		}
		if r.IntN(20) == 0 {
			s.comment = "Recorded live to tape"
		}
		if r.IntN(5) == 0 {
			s.mbid = uuid(r)
		}
		finishSong(s, audio)
		al.songs = append(al.songs, s)
		l.songs = append(l.songs, s)
	}
	return al
}

func round2(f float64) float32 { return float32(int(f*100)) / 100 }

func nan32() float32 { return float32(math.NaN()) }

// finishSong fills in what follows from a song's audio: size and bitrate.
func finishSong(s *song, audio *audioLib) {
	f, err := audio.raw(s.src)
	if err != nil {
		panic(err) // embedded clips: a build defect
	}
	s.size = f.Size()
	switch s.src.format {
	case "mp3":
		s.bitrate = audio.mp3[s.src.clip.Name].bitrate
	case "wav":
		s.bitrate = s.src.clip.SampleRate * s.src.clip.Channels * 16
	default:
		s.bitrate = int(s.size * 8 * int64(time.Second) / int64(s.src.duration))
	}
	if s.fold == "" {
		s.fold = fold(s.title)
	}
}

// mode is the bitrate mode of the song's file.
func (s *song) mode() string {
	if s.src.format == "mp3" || s.src.format == "wav" {
		return "cbr"
	}
	return "vbr"
}

// path is where the song's file would be in the catalog.
func (s *song) path() string { return string(s.appendPath(nil)) }

func (s *song) appendPath(b []byte) []byte {
	b = append(b, "/srv/music/"...)
	b = append(b, s.artist.name...)
	b = append(b, '/')
	b = append(b, s.album.name...)
	b = append(b, '/')
	if s.track < 10 {
		b = append(b, '0')
	}
	b = strconv.AppendInt(b, int64(s.track), 10)
	b = append(b, " - "...)
	b = append(b, s.title...)
	b = append(b, '.')
	return append(b, s.src.format...)
}

func generateUserData(l *library, r *rand.Rand, adminID, userID int) {
	users := []int{adminID, userID}
	for _, s := range l.songs[1:] {
		if r.IntN(100) < 15 {
			u := l.user(users[r.IntN(2)])
			n := 1 + r.IntN(30)
			s.playcount += n
			u.plays[s.id] += n
			u.lastPlayed[s.id] = generatedEpoch - int64(r.IntN(400))*day - int64(r.IntN(day))
		}
		if r.IntN(100) < 10 {
			l.user(userID).ratings[objKey{"song", s.id}] = 1 + r.IntN(5)
		}
		if r.IntN(100) < 5 {
			l.user(adminID).ratings[objKey{"song", s.id}] = 1 + r.IntN(5)
		}
		if r.IntN(100) < 3 {
			l.user(userID).flags[objKey{"song", s.id}] = true
		}
	}
	for _, a := range l.albums[1:] {
		if r.IntN(100) < 20 {
			l.user(users[r.IntN(2)]).ratings[objKey{"album", a.id}] = 1 + r.IntN(5)
		}
		if r.IntN(100) < 5 {
			l.user(userID).flags[objKey{"album", a.id}] = true
		}
	}
	for _, a := range l.artists[1:] {
		if r.IntN(100) < 10 {
			l.user(users[r.IntN(2)]).ratings[objKey{"artist", a.id}] = 1 + r.IntN(5)
		}
	}
}

var playlistNames = []string{
	"Road Trip", "Late Night", "Workout Mix", "Sunday Morning", "Favourites",
	"Rainy Day", "Focus", "Dinner Party", "Throwbacks", "Discoveries",
}

func generatePlaylists(l *library, r *rand.Rand, n, adminID, userID int) {
	nsongs := len(l.songs) - 1
	for i := 0; i < n; i++ {
		name := playlistNames[i%len(playlistNames)]
		if i >= len(playlistNames) {
			name = fmt.Sprintf("%s %d", name, i/len(playlistNames)+1)
		}
		p := &playlist{id: l.nextPlaylist, name: name, fold: fold(name), owner: userID, public: i%3 != 0}
		if i%2 == 1 {
			p.owner = adminID
		}
		p.added = generatedEpoch - int64(r.IntN(300))*day
		p.updated = p.added
		for k := 5 + r.IntN(36); k > 0 && nsongs > 0; k-- {
			p.songs = append(p.songs, 1+r.IntN(nsongs))
		}
		l.playlists[p.id] = p
		l.nextPlaylist++
	}
	l.smartlists = []*smartlist{
		{id: 1, name: "Top Rated", owner: adminID, public: true, match: "and",
			rules: []searchRule{{field: "myrating", op: 0, input: "4"}}},
		{id: 2, name: "Recently Added", owner: adminID, public: true, match: "and",
			rules: []searchRule{{field: "recent_added", op: 0, input: "50"}}},
		{id: 3, name: "Never Played", owner: adminID, public: true, match: "and", limit: 100,
			rules: []searchRule{{field: "played_times", op: 2, input: "0"}}},
		{id: 4, name: "My Favourites", owner: userID, public: false, match: "and",
			rules: []searchRule{{field: "favorite", op: 0, input: ""}}},
	}
}

func generatePodcasts(l *library, r *rand.Rand, spec Library, audio *audioLib) {
	for i := 0; i < spec.Podcasts; i++ {
		topic := podcastTopics[i%len(podcastTopics)]
		name := fmt.Sprintf("The %s %s", topic, pick(r, []string{"Hour", "Weekly", "Show", "Podcast", "Hour"}))
		p := newPodcast(l, name, fmt.Sprintf("https://feeds.example.org/%s/%d.xml", fold(topic), i+1))
		p.description = fmt.Sprintf("A weekly conversation about %s, in plain words.", fold(topic))
		p.added = generatedEpoch - 500*day
		p.updated, p.syncDate = generatedEpoch, generatedEpoch
		for e := spec.EpisodesPerPodcast; e >= 1; e-- {
			pub := generatedEpoch - int64(spec.EpisodesPerPodcast-e)*7*day - int64(r.IntN(day))
			addEpisode(l, p, episodeTitle(r, topic, e), 12*60+r.IntN(64*60), pub, audio)
		}
	}
}

func newPodcast(l *library, name, feed string) *podcast {
	p := &podcast{id: len(l.podcasts), name: name, fold: fold(name), feedURL: feed,
		language: "en-us", copyright: "© Example Media", generator: "ampachetest",
		website: feed[:len(feed)-4]}
	p.buildDate = generatedEpoch
	l.podcasts = append(l.podcasts, p)
	l.nPodcasts++
	return p
}

// addEpisode appends an episode (the podcast keeps them newest first).
func addEpisode(l *library, p *podcast, title string, seconds int, pubdate int64, audio *audioLib) *episode {
	e := &episode{id: len(l.episodes), title: title, fold: fold(title), podcast: p, seconds: seconds,
		pubdate: pubdate, author: p.name, category: "Podcast", website: p.website,
		description: "In this episode: " + title + ".", added: pubdate, updated: pubdate}
	e.src = audioSource{clip: audio.episodes, format: "wav", duration: time.Duration(seconds) * time.Second}
	f, _ := audio.raw(e.src)
	e.size = f.Size()
	e.bitrate = e.src.clip.SampleRate * 16
	l.episodes = append(l.episodes, e)
	l.nEpisodes++
	i, _ := slices.BinarySearchFunc(p.episodes, e, func(a, b *episode) int {
		switch {
		case a.pubdate > b.pubdate:
			return -1
		case a.pubdate < b.pubdate:
			return 1
		}
		return a.id - b.id
	})
	p.episodes = slices.Insert(p.episodes, i, e)
	if pubdate > l.lastAdd {
		l.lastAdd = pubdate
	}
	return e
}

// rebuildIndexes sorts the name indexes from the id slices.
func (l *library) rebuildIndexes() {
	l.artistsByName = l.artistsByName[:0]
	for _, a := range l.artists[1:] {
		if a != nil {
			l.artistsByName = append(l.artistsByName, a)
		}
	}
	slices.SortFunc(l.artistsByName, cmpOf(artistLess))
	l.albumsByName = l.albumsByName[:0]
	for _, a := range l.albums[1:] {
		if a != nil {
			l.albumsByName = append(l.albumsByName, a)
			l.lastAdd = max(l.lastAdd, a.added)
		}
	}
	slices.SortFunc(l.albumsByName, cmpOf(albumLess))
	l.songsByTitle = l.songsByTitle[:0]
	for _, s := range l.songs[1:] {
		if s != nil {
			l.songsByTitle = append(l.songsByTitle, s)
		}
	}
	slices.SortFunc(l.songsByTitle, cmpOf(songLess))
	l.podcastsByName = l.podcastsByName[:0]
	for _, p := range l.podcasts[1:] {
		if p != nil {
			l.podcastsByName = append(l.podcastsByName, p)
		}
	}
	slices.SortFunc(l.podcastsByName, cmpOf(podcastLess))
	l.nArtists, l.nAlbums, l.nSongs = len(l.artistsByName), len(l.albumsByName), len(l.songsByTitle)
	l.genreCountsStale = true
}
