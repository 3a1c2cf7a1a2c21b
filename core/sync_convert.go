package core

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/storage"
)

// Conversions between the server's objects (package client) and the
// records of the library cache (package storage). Links that carry a
// session token (stream and art URLs) are not kept: the player asks for a
// fresh stream URL and art goes through ArtSource.

// numID parses an object id; "" is 0.
func numID(id client.ID) (int64, error) {
	if id == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(strings.TrimSpace(string(id)), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("unexpected object id %q from the server", id)
	}
	return n, nil
}

// refID parses the id of a reference, where an unreadable one is as good
// as none (API4 sends some references by name only).
func refID(id client.ID) int64 {
	n, _ := numID(id)
	return n
}

func cid(n int64) client.ID {
	if n == 0 {
		return ""
	}
	return client.ID(strconv.FormatInt(n, 10))
}

func intPtrOf(v *client.Int) *int {
	if v == nil {
		return nil
	}
	n := int(*v)
	return &n
}

func floatPtrOf(v *client.Float) *float64 {
	if v == nil {
		return nil
	}
	f := float64(*v)
	return &f
}

func clientInt(v *int) *client.Int {
	if v == nil {
		return nil
	}
	n := client.Int(*v)
	return &n
}

func clientFloat(v *float64) *client.Float {
	if v == nil {
		return nil
	}
	f := client.Float(*v)
	return &f
}

func ctime(t time.Time) client.Time { return client.Time{Time: t} }

func artistRef(r client.ArtistRef) storage.LibRef {
	return storage.LibRef{ID: refID(r.ID), Name: r.Name, Prefix: r.Prefix, Basename: r.Basename}
}

func albumRef(r client.AlbumRef) storage.LibRef {
	return storage.LibRef{ID: refID(r.ID), Name: r.Name, Prefix: r.Prefix, Basename: r.Basename}
}

func artistRefs(rs []client.ArtistRef) []storage.LibRef {
	if len(rs) == 0 {
		return nil
	}
	out := make([]storage.LibRef, len(rs))
	for i, r := range rs {
		out[i] = artistRef(r)
	}
	return out
}

func genreRefs(gs []client.GenreRef) []storage.GenreRef {
	if len(gs) == 0 {
		return nil
	}
	out := make([]storage.GenreRef, len(gs))
	for i, g := range gs {
		out[i] = storage.GenreRef{ID: refID(g.ID), Name: g.Name}
	}
	return out
}

func clientArtistRef(r storage.LibRef) client.ArtistRef {
	return client.ArtistRef{ID: cid(r.ID), Name: r.Name, Prefix: r.Prefix, Basename: r.Basename}
}

func clientArtistRefs(rs []storage.LibRef) client.List[client.ArtistRef] {
	if len(rs) == 0 {
		return nil
	}
	out := make(client.List[client.ArtistRef], len(rs))
	for i, r := range rs {
		out[i] = clientArtistRef(r)
	}
	return out
}

func clientGenreRefs(gs []storage.GenreRef) client.List[client.GenreRef] {
	if len(gs) == 0 {
		return nil
	}
	out := make(client.List[client.GenreRef], len(gs))
	for i, g := range gs {
		out[i] = client.GenreRef{ID: cid(g.ID), Name: g.Name}
	}
	return out
}

func songRecord(s *client.Song) (storage.Song, error) {
	id, err := numID(s.ID)
	if err != nil {
		return storage.Song{}, err
	}
	return storage.Song{
		ID: id, Title: s.Title, Name: s.Name, Artist: artistRef(s.Artist), Artists: artistRefs(s.Artists),
		Album: albumRef(s.Album), AlbumArtist: artistRef(s.AlbumArtist), Disc: int(s.Disc), DiscSubtitle: s.DiscSubtitle,
		Track: int(s.Track), Filename: s.Filename, Genres: genreRefs(s.Genres), Time: int(s.Time), Year: int(s.Year),
		Format: s.Format, Mime: s.Mime, Bitrate: int(s.Bitrate), Rate: int(s.Rate), Mode: s.Mode, Channels: int(s.Channels),
		Size: int64(s.Size), StreamFormat: s.StreamFormat, StreamMime: s.StreamMime, StreamBitrate: int(s.StreamBitrate),
		HasArt: bool(s.HasArt), Flag: bool(s.Flag), Rating: intPtrOf(s.Rating), AvgRating: floatPtrOf(s.AvgRating),
		PlayCount: int(s.PlayCount), Catalog: string(s.Catalog), Composer: s.Composer, Comment: s.Comment,
		License: s.License, Publisher: s.Publisher, Language: s.Language, Lyrics: s.Lyrics, MBID: s.MBID,
		AlbumMBID: s.AlbumMBID, ArtistMBID: s.ArtistMBID, AlbumArtistMBID: s.AlbumArtistMBID,
		ReplayGainTrackGain: floatPtrOf(s.ReplayGainTrackGain), ReplayGainTrackPeak: floatPtrOf(s.ReplayGainTrackPeak),
		ReplayGainAlbumGain: floatPtrOf(s.ReplayGainAlbumGain), ReplayGainAlbumPeak: floatPtrOf(s.ReplayGainAlbumPeak),
		R128TrackGain: floatPtrOf(s.R128TrackGain), R128AlbumGain: floatPtrOf(s.R128AlbumGain),
	}, nil
}

func clientSong(s storage.Song) client.Song {
	return client.Song{
		ID: cid(s.ID), Title: s.Title, Name: s.Name,
		Artist: clientArtistRef(s.Artist), Artists: clientArtistRefs(s.Artists),
		Album:       client.AlbumRef{ID: cid(s.Album.ID), Name: s.Album.Name, Prefix: s.Album.Prefix, Basename: s.Album.Basename},
		AlbumArtist: clientArtistRef(s.AlbumArtist), Disc: client.Int(s.Disc), DiscSubtitle: s.DiscSubtitle,
		Track: client.Int(s.Track), Filename: s.Filename, Genres: clientGenreRefs(s.Genres), Time: client.Int(s.Time),
		Year: client.Int(s.Year), Format: s.Format, Mime: s.Mime, Bitrate: client.Int(s.Bitrate), Rate: client.Int(s.Rate),
		Mode: s.Mode, Channels: client.Int(s.Channels), Size: client.Int(s.Size), StreamFormat: s.StreamFormat,
		StreamMime: s.StreamMime, StreamBitrate: client.Int(s.StreamBitrate), HasArt: client.Bool(s.HasArt),
		Flag: client.Bool(s.Flag), Rating: clientInt(s.Rating), AvgRating: clientFloat(s.AvgRating),
		PlayCount: client.Int(s.PlayCount), Catalog: client.ID(s.Catalog), Composer: s.Composer, Comment: s.Comment,
		License: s.License, Publisher: s.Publisher, Language: s.Language, Lyrics: s.Lyrics, MBID: s.MBID,
		AlbumMBID: s.AlbumMBID, ArtistMBID: s.ArtistMBID, AlbumArtistMBID: s.AlbumArtistMBID,
		ReplayGainTrackGain: clientFloat(s.ReplayGainTrackGain), ReplayGainTrackPeak: clientFloat(s.ReplayGainTrackPeak),
		ReplayGainAlbumGain: clientFloat(s.ReplayGainAlbumGain), ReplayGainAlbumPeak: clientFloat(s.ReplayGainAlbumPeak),
		R128TrackGain: clientFloat(s.R128TrackGain), R128AlbumGain: clientFloat(s.R128AlbumGain),
	}
}

func albumRecord(a *client.Album) (storage.Album, error) {
	id, err := numID(a.ID)
	if err != nil {
		return storage.Album{}, err
	}
	return storage.Album{
		ID: id, Name: a.Name, Prefix: a.Prefix, Basename: a.Basename, Artist: artistRef(a.Artist),
		Artists: artistRefs(a.Artists), SongArtists: artistRefs(a.SongArtists), Time: int(a.Time), Year: int(a.Year),
		SongCount: int(a.SongCount), DiscCount: int(a.DiskCount), Type: a.Type, Genres: genreRefs(a.Genres),
		HasArt: bool(a.HasArt), Flag: bool(a.Flag), Rating: intPtrOf(a.Rating), AvgRating: floatPtrOf(a.AvgRating),
		MBID: a.MBID, MBIDGroup: a.MBIDGroup,
	}, nil
}

func clientAlbum(a storage.Album) client.Album {
	return client.Album{
		ID: cid(a.ID), Name: a.Name, Prefix: a.Prefix, Basename: a.Basename, Artist: clientArtistRef(a.Artist),
		Artists: clientArtistRefs(a.Artists), SongArtists: clientArtistRefs(a.SongArtists), Time: client.Int(a.Time),
		Year: client.Int(a.Year), SongCount: client.Int(a.SongCount), DiskCount: client.Int(a.DiscCount), Type: a.Type,
		Genres: clientGenreRefs(a.Genres), HasArt: client.Bool(a.HasArt), Flag: client.Bool(a.Flag),
		Rating: clientInt(a.Rating), AvgRating: clientFloat(a.AvgRating), MBID: a.MBID, MBIDGroup: a.MBIDGroup,
	}
}

func artistRecord(a *client.Artist) (storage.Artist, error) {
	id, err := numID(a.ID)
	if err != nil {
		return storage.Artist{}, err
	}
	return storage.Artist{
		ID: id, Name: a.Name, Prefix: a.Prefix, Basename: a.Basename, AlbumCount: int(a.AlbumCount),
		SongCount: int(a.SongCount), Time: int(a.Time), Genres: genreRefs(a.Genres), HasArt: bool(a.HasArt),
		Flag: bool(a.Flag), Rating: intPtrOf(a.Rating), AvgRating: floatPtrOf(a.AvgRating), MBID: a.MBID,
		Summary: a.Summary, PlaceFormed: a.PlaceFormed, YearFormed: int(a.YearFormed),
	}, nil
}

func clientArtist(a storage.Artist) client.Artist {
	return client.Artist{
		ID: cid(a.ID), Name: a.Name, Prefix: a.Prefix, Basename: a.Basename, AlbumCount: client.Int(a.AlbumCount),
		SongCount: client.Int(a.SongCount), Time: client.Int(a.Time), Genres: clientGenreRefs(a.Genres),
		HasArt: client.Bool(a.HasArt), Flag: client.Bool(a.Flag), Rating: clientInt(a.Rating),
		AvgRating: clientFloat(a.AvgRating), MBID: a.MBID, Summary: a.Summary, PlaceFormed: a.PlaceFormed,
		YearFormed: client.Int(a.YearFormed),
	}
}

func genreRecord(g *client.Genre) (storage.Genre, error) {
	id, err := numID(g.ID)
	if err != nil {
		return storage.Genre{}, err
	}
	return storage.Genre{ID: id, Name: g.Name, Albums: int(g.Albums), Artists: int(g.Artists), Songs: int(g.Songs),
		Videos: int(g.Videos), Playlists: int(g.Playlists), LiveStreams: int(g.LiveStreams), Hidden: bool(g.Hidden)}, nil
}

func clientGenre(g storage.Genre) client.Genre {
	return client.Genre{ID: cid(g.ID), Name: g.Name, Albums: client.Int(g.Albums), Artists: client.Int(g.Artists),
		Songs: client.Int(g.Songs), Videos: client.Int(g.Videos), Playlists: client.Int(g.Playlists),
		LiveStreams: client.Int(g.LiveStreams), Hidden: client.Bool(g.Hidden)}
}

func playlistRecord(p *client.Playlist) storage.Playlist {
	return storage.Playlist{
		ID: string(p.ID), Name: p.Name, Owner: p.Owner, OwnerID: string(p.User.ID), OwnerName: p.User.Username, Items: int(p.Items), Type: p.Type,
		Smart: bool(p.Smart), HasAccess: bool(p.HasAccess), HasCollaborate: bool(p.HasCollaborate),
		HasArt: bool(p.HasArt), Flag: bool(p.Flag), Rating: intPtrOf(p.Rating), AvgRating: floatPtrOf(p.AvgRating),
		MD5: p.MD5, LastUpdate: p.LastUpdate.Time,
	}
}

func clientPlaylist(p storage.Playlist) client.Playlist {
	return client.Playlist{
		ID: client.ID(p.ID), Name: p.Name, Owner: p.Owner, User: client.UserRef{ID: client.ID(p.OwnerID), Username: p.OwnerName},
		Items: client.Count(p.Items), Type: p.Type, Smart: client.Bool(p.Smart), HasAccess: client.Bool(p.HasAccess),
		HasCollaborate: client.Bool(p.HasCollaborate), HasArt: client.Bool(p.HasArt), Flag: client.Bool(p.Flag),
		Rating: clientInt(p.Rating), AvgRating: clientFloat(p.AvgRating), MD5: p.MD5, LastUpdate: ctime(p.LastUpdate),
	}
}

func podcastRecord(p *client.Podcast) (storage.Podcast, error) {
	id, err := numID(p.ID)
	if err != nil {
		return storage.Podcast{}, err
	}
	return storage.Podcast{
		ID: id, Name: p.Name, Description: p.Description, Language: p.Language, Copyright: p.Copyright,
		FeedURL: p.FeedURL, Generator: p.Generator, Website: p.Website, PublicURL: p.PublicURL,
		BuildDate: p.BuildDate.Time, SyncDate: p.SyncDate.Time, HasArt: bool(p.HasArt), Flag: bool(p.Flag),
		Rating: intPtrOf(p.Rating), AvgRating: floatPtrOf(p.AvgRating),
	}, nil
}

func clientPodcast(p storage.Podcast) client.Podcast {
	return client.Podcast{
		ID: cid(p.ID), Name: p.Name, Description: p.Description, Language: p.Language, Copyright: p.Copyright,
		FeedURL: p.FeedURL, Generator: p.Generator, Website: p.Website, PublicURL: p.PublicURL,
		BuildDate: ctime(p.BuildDate), SyncDate: ctime(p.SyncDate), HasArt: client.Bool(p.HasArt),
		Flag: client.Bool(p.Flag), Rating: clientInt(p.Rating), AvgRating: clientFloat(p.AvgRating),
	}
}

// episodeRecord converts an episode; podcast names the podcast when the
// episode does not (API4/5 send the podcast's id alone, or nothing).
func episodeRecord(e *client.PodcastEpisode, podcast storage.Podcast) (storage.Episode, error) {
	id, err := numID(e.ID)
	if err != nil {
		return storage.Episode{}, err
	}
	pid, pname := refID(e.Podcast.ID), e.Podcast.Name
	if pid == 0 {
		pid = podcast.ID
	}
	if pname == "" {
		pname = podcast.Name
	}
	return storage.Episode{
		ID: id, Title: e.Title, Name: e.Name, PodcastID: pid, PodcastName: pname, Description: e.Description,
		Category: e.Category, Author: e.Author, AuthorFull: e.AuthorFull, Website: e.Website, PubDate: e.PubDate.Time,
		State: e.State, FileLength: e.FileLength, FileSize: e.FileSize, Filename: e.Filename, Mime: e.Mime,
		Time: int(e.Time), Size: int64(e.Size), Bitrate: int(e.Bitrate), StreamBitrate: int(e.StreamBitrate),
		Rate: int(e.Rate), Mode: e.Mode, Channels: int(e.Channels), PublicURL: e.PublicURL, Catalog: string(e.Catalog),
		HasArt: bool(e.HasArt), Flag: bool(e.Flag), Rating: intPtrOf(e.Rating), AvgRating: floatPtrOf(e.AvgRating),
		PlayCount: int(e.PlayCount), Played: bool(e.Played),
	}, nil
}

func clientEpisode(e storage.Episode) client.PodcastEpisode {
	return client.PodcastEpisode{
		ID: cid(e.ID), Title: e.Title, Name: e.Name, Podcast: client.PodcastRef{ID: cid(e.PodcastID), Name: e.PodcastName},
		Description: e.Description, Category: e.Category, Author: e.Author, AuthorFull: e.AuthorFull, Website: e.Website,
		PubDate: ctime(e.PubDate), State: e.State, FileLength: e.FileLength, FileSize: e.FileSize, Filename: e.Filename,
		Mime: e.Mime, Time: client.Int(e.Time), Size: client.Int(e.Size), Bitrate: client.Int(e.Bitrate),
		StreamBitrate: client.Int(e.StreamBitrate), Rate: client.Int(e.Rate), Mode: e.Mode,
		Channels: client.Int(e.Channels), PublicURL: e.PublicURL, Catalog: client.ID(e.Catalog),
		HasArt: client.Bool(e.HasArt), Flag: client.Bool(e.Flag), Rating: clientInt(e.Rating),
		AvgRating: clientFloat(e.AvgRating), PlayCount: client.Int(e.PlayCount), Played: client.Bool(e.Played),
	}
}

// convertAll converts a page of objects.
func convertAll[T, R any](items []T, conv func(*T) (R, error)) ([]R, error) {
	out := make([]R, 0, len(items))
	for i := range items {
		r, err := conv(&items[i])
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

func mapAll[T, R any](items []T, conv func(T) R) []R {
	out := make([]R, len(items))
	for i, v := range items {
		out[i] = conv(v)
	}
	return out
}
