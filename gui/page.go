package gui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/core"
)

// PageName says which page a Route shows.
type PageName int

// The pages.
const (
	PageAlbums PageName = iota + 1
	PageArtists
	PageSongs
	PageGenres
	PageSearch
	PageQueue
	PageSettings
	PageAlbum
	PageArtist
	PageGenre
	PageWelcome // not connected: log in or connect a profile
	PagePlaylists
	PagePlaylist
	PagePodcasts
	PagePodcast
	PageRadio
	PageBookmarks
	PageShares
	PageLocalplay
	PageDemocratic
)

// Route is where the window is: a page and, for the pages of one object,
// its id. Routes are comparable values; history holds them.
type Route struct {
	Page PageName
	ID   client.ID
}

// AlbumRoute, ArtistRoute and GenreRoute address the page of one object.
func AlbumRoute(id client.ID) Route  { return Route{Page: PageAlbum, ID: id} }
func ArtistRoute(id client.ID) Route { return Route{Page: PageArtist, ID: id} }
func GenreRoute(id client.ID) Route  { return Route{Page: PageGenre, ID: id} }

// PlaylistRoute and PodcastRoute address a playlist's and a podcast's page.
func PlaylistRoute(id client.ID) Route { return Route{Page: PagePlaylist, ID: id} }
func PodcastRoute(id client.ID) Route  { return Route{Page: PagePodcast, ID: id} }

// Page is what the content area shows.
type Page interface {
	fyne.CanvasObject
	Route() Route
	// Save cancels the page's loads and returns what Back or Forward need
	// to show the page again as it was (sort, filter, scroll, data).
	Save() Saved
}

// Saved is a page put away in the history.
type Saved interface {
	Restore() Page
}

// Optional abilities of a page, found by type assertion.
type (
	// eventPage wants the core's events (the queue page).
	eventPage interface{ onEvent(core.Event) }
	// focusPage has an entry to focus when shown (search, filters).
	focusPage interface{ focusEntry() }
)

// pageBase is what pages share: the env and a context that Save cancels.
type pageBase struct {
	env    *env
	ctx    context.Context
	cancel context.CancelFunc
}

func newPageBase(e *env) pageBase {
	ctx, cancel := context.WithCancel(context.Background())
	return pageBase{env: e, ctx: ctx, cancel: cancel}
}

// navItem is an entry of the sidebar.
type navItem struct {
	section string
	label   string
	icon    fyne.Resource
	route   Route
	// owns are the pages that light this entry up besides its own.
	owns []PageName
}

// navItems is the registry of the sidebar. Only pages with real content
// are listed.
func navItems() []navItem {
	return []navItem{
		{section: "Library", label: "Albums", icon: iconAlbum, route: Route{Page: PageAlbums}, owns: []PageName{PageAlbum}},
		{section: "Library", label: "Artists", icon: iconArtist, route: Route{Page: PageArtists}, owns: []PageName{PageArtist}},
		{section: "Library", label: "Songs", icon: iconSongs, route: Route{Page: PageSongs}},
		{section: "Library", label: "Genres", icon: iconGenre, route: Route{Page: PageGenres}, owns: []PageName{PageGenre}},
		{section: "Library", label: "Playlists", icon: iconPlaylist, route: Route{Page: PagePlaylists}, owns: []PageName{PagePlaylist}},
		{section: "Library", label: "Podcasts", icon: iconPodcast, route: Route{Page: PagePodcasts}, owns: []PageName{PagePodcast}},
		{section: "Library", label: "Radio", icon: iconRadio, route: Route{Page: PageRadio}},
		{section: "", label: "Search", icon: theme.SearchIcon(), route: Route{Page: PageSearch}},
		{section: "", label: "Queue", icon: iconQueue, route: Route{Page: PageQueue}},
		{section: "", label: "Bookmarks", icon: iconBookmark, route: Route{Page: PageBookmarks}},
		{section: "", label: "Shares", icon: iconShare, route: Route{Page: PageShares}},
		{section: "Server", label: "Localplay", icon: iconSpeaker, route: Route{Page: PageLocalplay}},
		{section: "Server", label: "Democratic", icon: iconVote, route: Route{Page: PageDemocratic}},
		{section: "", label: "Settings", icon: theme.SettingsIcon(), route: Route{Page: PageSettings}},
	}
}

// lights reports whether the entry is the one to highlight for r.
func (n navItem) lights(r Route) bool {
	if r.Page == n.route.Page {
		return true
	}
	for _, p := range n.owns {
		if p == r.Page {
			return true
		}
	}
	return false
}
