package gui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/core"
)

// The server as a remote: what the localplay and democratic panels share,
// and their entries in the actions menu of items elsewhere.

// Default refresh intervals of the remote panels (Deps can change them).
const (
	defaultLocalplayEvery  = 2 * time.Second
	defaultDemocraticEvery = 5 * time.Second
)

var iconSpeaker = materialIcon("speaker", "M17 2H7c-1.1 0-2 .9-2 2v16c0 1.1.9 1.99 2 1.99L17 22c1.1 0 2-.9 2-2V4c0-1.1-.9-2-2-2zm-5 2c1.1 0 2 .9 2 2s-.9 2-2 2c-1.11 0-2-.9-2-2s.89-2 2-2zm0 16c-2.76 0-5-2.24-5-5s2.24-5 5-5 5 2.24 5 5-2.24 5-5 5zm0-8c-1.66 0-3 1.34-3 3s1.34 3 3 3 3-1.34 3-3-1.34-3-3-3z")
var iconVote = materialIcon("how-to-vote", "M18 13h-.68l-2 2h1.91L19 17H5l1.78-2h2.05l-2-2H6l-3 3v4c0 1.1.89 2 1.99 2H19c1.1 0 2-.89 2-2v-4l-3-3zm-1-5.05l-4.95 4.95-3.54-3.54 4.95-4.95L17 7.95zm-4.24-5.66L6.39 8.66c-.39.39-.39 1.02 0 1.41l4.95 4.95c.39.39 1.02.39 1.41 0l6.36-6.36c.39-.39.39-1.02 0-1.41L14.16 2.3c-.38-.4-1.01-.4-1.4-.01z")
var iconThumbUp = materialIcon("thumb-up", "M1 21h4V9H1v12zm22-11c0-1.1-.9-2-2-2h-6.31l.95-4.57.03-.32c0-.41-.17-.79-.44-1.06L14.17 1 7.59 7.59C7.22 7.95 7 8.45 7 9v10c0 1.1.9 2 2 2h9c.83 0 1.54-.5 1.84-1.22l3.02-7.05c.09-.23.14-.47.14-.73v-2z")
var iconThumbUpOutline = materialIcon("thumb-up-outline", "M9 21h9c.83 0 1.54-.5 1.84-1.22l3.02-7.05c.09-.23.14-.47.14-.73v-2c0-1.1-.9-2-2-2h-6.31l.95-4.57.03-.32c0-.41-.17-.79-.44-1.06L14.17 1 7.58 7.59C7.22 7.95 7 8.45 7 9v10c0 1.1.9 2 2 2zM9 9l4.34-4.34L12 10h9v2l-3 7H9V9zM1 9h4v12H1z")
var iconHeadphones = materialIcon("headphones", "M12 1c-4.97 0-9 4.03-9 9v7c0 1.66 1.34 3 3 3h3v-8H5v-2c0-3.87 3.13-7 7-7s7 3.13 7 7v2h-4v8h3c1.66 0 3-1.34 3-3v-7c0-4.97-4.03-9-9-9z")

// remoteFeature names a panel's feature in its explanations.
type remoteFeature struct {
	name   string // "Localplay"
	what   string // what it does, after "so Ampdesk cannot …"
	enable string // where an administrator turns it on
}

var (
	featureLocalplay = remoteFeature{name: "Localplay", what: "play on the server's own speakers",
		enable: "Allow Localplay Playback, with a player such as MPD, VLC, Kodi or UPnP"}
	featureDemocratic = remoteFeature{name: "Democratic play", what: "take part in the shared, voted queue",
		enable: "Allow Democratic Playlists"}
)

// problem says in plain words why a remote panel cannot show its
// feature, and whether it is worth asking again on the next refresh (a
// server that is only unreachable) or only when the user asks (the
// feature is off, the account may not use it).
func (f remoteFeature) problem(err error) (msg string, lasting bool) {
	var apiErr *client.Error
	says := ""
	if errors.As(err, &apiErr) && strings.TrimSpace(apiErr.Message) != "" {
		says = " (The server says: " + strings.TrimSpace(apiErr.Message) + ".)"
	}
	switch {
	case errors.Is(err, client.ErrAccessDenied):
		return fmt.Sprintf("%s is turned off on this server, so Ampdesk cannot %s. The server's administrator can turn it on in the server's settings (%s).",
			f.name, f.what, f.enable), true
	case errors.Is(err, client.ErrFailedAccessCheck):
		return fmt.Sprintf("Your account may not use %s on this server: it needs a higher access level. Ask the server's administrator.",
			strings.ToLower(f.name[:1])+f.name[1:]), true
	case errors.Is(err, client.ErrMissingMethod), errors.Is(err, client.ErrDeprecated):
		return fmt.Sprintf("This server does not offer %s through its API (its Ampache version may be too old).",
			strings.ToLower(f.name[:1])+f.name[1:]), true
	case f == featureLocalplay && errors.Is(err, client.ErrBadRequest):
		return "The server has no localplay player it can reach: its administrator chooses one (MPD, VLC, Kodi, UPnP…) in the server's settings and makes sure it runs." + says, true
	case errors.Is(err, core.ErrOffline):
		return fmt.Sprintf("%s needs the server, which cannot be reached right now: Ampdesk is offline.", f.name), false
	case errors.Is(err, core.ErrNotConnected):
		return fmt.Sprintf("Connect to a server to use %s.", strings.ToLower(f.name[:1])+f.name[1:]), false
	}
	return capitalize(core.Explain(err)) + ".", false
}

// switchPanel shows a panel's problem box in place of its body, or its
// body, laying the panel out again when that changes (a container shown
// or hidden does not lay its parent out by itself).
func switchPanel(root *fyne.Container, body, problem fyne.CanvasObject, showProblem bool) {
	if problem.Visible() == showProblem && body.Visible() == !showProblem {
		return
	}
	if showProblem {
		body.Hide()
		problem.Show()
	} else {
		problem.Hide()
		body.Show()
	}
	root.Refresh()
}

// serverGone reports whether err may mean that the server stopped
// answering (rather than answering with a refusal).
func serverGone(err error) bool {
	var apiErr *client.Error
	return err != nil && !errors.As(err, &apiErr) && !errors.Is(err, context.Canceled) &&
		!errors.Is(err, core.ErrOffline) && !errors.Is(err, core.ErrNotConnected) && !errors.Is(err, client.ErrCommandFailed)
}

// checkServer asks core whether the server is gone after a request
// failed for want of an answer (core then shows the profile offline).
func (e *env) checkServer(err error) {
	if !serverGone(err) {
		return
	}
	c := e.Core
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), defaultTimeout)
		defer cancel()
		_ = c.CheckServer(ctx)
	}()
}

// windowShown reports whether the window is on screen (not hidden to the
// tray): the remote panels poll only then.
func (e *env) windowShown() bool { return e.shell == nil || !e.shell.hidden }

// myVotes remembers the songs this user voted for in the democratic
// queue (the server lists votes, not voters), for the panel's buttons.
type myVotes struct {
	mu    sync.Mutex
	songs map[client.ID]bool
}

func (v *myVotes) set(id client.ID, on bool) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.songs == nil {
		v.songs = map[client.ID]bool{}
	}
	if on {
		v.songs[id] = true
	} else {
		delete(v.songs, id)
	}
}

func (v *myVotes) has(id client.ID) bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.songs[id]
}

// remoteMenuItems are the actions menu's entries for the server as a
// remote: "Send to localplay" (replace the queue, or add to it) and, for
// a song, "Vote for this".
func (e *env) remoteMenuItems(t target) []*fyne.MenuItem {
	var items []*fyne.MenuItem
	switch t.typ {
	case client.TypeSong, client.TypeAlbum, client.TypeArtist, client.TypePlaylist, client.TypeSearch,
		client.TypePodcastEpisode, client.TypeLiveStream:
		items = append(items, &fyne.MenuItem{Label: "Send to localplay", Icon: iconSpeaker, ChildMenu: fyne.NewMenu("",
			&fyne.MenuItem{Label: "Replace the queue", Action: func() { e.sendToLocalplay(t, true) }},
			&fyne.MenuItem{Label: "Add to the queue", Action: func() { e.sendToLocalplay(t, false) }},
		)})
	}
	if t.typ == client.TypeSong {
		items = append(items, &fyne.MenuItem{Label: "Vote for this", Icon: iconVote, Action: func() { e.vote(t.id, t.name, true, nil) }})
	}
	return items
}

// sendToLocalplay puts t on the server player's queue: songs one by one
// (the server's player takes songs, episodes and streams, not albums),
// the first replacing the queue when clear.
func (e *env) sendToLocalplay(t target, clear bool) {
	c := e.Core
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), defaultTimeout)
		defer cancel()
		typ, ids := t.typ, []client.ID{t.id}
		switch t.typ {
		case client.TypeSong, client.TypePodcastEpisode, client.TypeLiveStream:
			if t.typ == client.TypeSong && len(t.songs) > 0 {
				ids = songIDs(t.songs)
			}
		default:
			songs := t.songs
			if len(songs) == 0 {
				var err error
				if songs, err = c.SongsOf(ctx, t.typ, t.id); err != nil {
					e.do(func() { e.notify(capitalize(core.Explain(err))) })
					return
				}
			}
			typ, ids = client.TypeSong, songIDs(songs)
		}
		if len(ids) == 0 {
			e.do(func() { e.notify("There is nothing to send: “" + t.name + "” has no songs.") })
			return
		}
		err := c.LocalplayAdd(ctx, typ, clear, ids...)
		e.do(func() {
			if err != nil {
				msg, _ := featureLocalplay.problem(err)
				if errors.Is(err, client.ErrCommandFailed) {
					msg = "The server's player did not take “" + t.name + "”."
				}
				e.notify(msg)
				e.checkServer(err)
				return
			}
			what := "“" + t.name + "”"
			if typ == client.TypeSong && t.typ != client.TypeSong {
				what = plural(len(ids), "song", "songs")
			}
			if clear {
				e.notify("The server's player now has " + what + " in its queue")
			} else {
				e.notify("Added " + what + " to the server's queue")
			}
			if p, ok := e.shell.current.(*localplayPage); ok {
				p.poll.now()
			}
		})
	}()
}

func songIDs(songs []client.Song) []client.ID {
	ids := make([]client.ID, len(songs))
	for i, s := range songs {
		ids[i] = s.ID
	}
	return ids
}

// vote adds (on) or takes back the user's vote for a song of the
// democratic queue; done, when set, runs on the UI goroutine after a
// success.
func (e *env) vote(id client.ID, name string, on bool, done func()) {
	c := e.Core
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), defaultTimeout)
		defer cancel()
		var err error
		if on {
			err = c.Vote(ctx, id)
		} else {
			err = c.Devote(ctx, id)
		}
		e.do(func() {
			if err != nil {
				msg, _ := featureDemocratic.problem(err)
				e.notify(msg)
				e.checkServer(err)
				return
			}
			e.shell.votes.set(id, on)
			if on {
				e.notify("Voted for “" + name + "” in the democratic queue")
			} else {
				e.notify("Took back your vote for “" + name + "”")
			}
			if done != nil {
				done()
			}
			if p, ok := e.shell.current.(*democraticPage); ok {
				p.poll.now()
			}
		})
	}()
}

// remotePanel is what the localplay and democratic pages share: the
// server's state, polled while the page and the window are shown, and a
// problem shown in place of the panel. Polling stops on a problem that
// refreshing will not solve, until the user or a reconnection asks again.
type remotePanel struct {
	feature remoteFeature
	poll    *poller
	loaded  bool // a state has been shown
	lasting bool // a problem that refreshing will not solve

	notice   *widget.Label // a refresh failed; the last state stays shown
	problem  *fyne.Container
	probText *widget.Label
	body     fyne.CanvasObject
	root     *fyne.Container
}

// fail shows why a refresh failed: in place of the panel when nothing was
// shown yet or when refreshing will not help (and polling stops), else as
// a line over the last state. It reports whether the problem lasts.
func (r *remotePanel) fail(e *env, err error) (lasting bool) {
	msg, lasting := r.feature.problem(err)
	e.checkServer(err)
	if lasting || !r.loaded {
		r.lasting = lasting
		if lasting {
			r.poll.stop()
		}
		r.probText.SetText(msg)
		switchPanel(r.root, r.body, r.problem, true)
		return lasting
	}
	r.notice.SetText(msg)
	r.notice.Show()
	return false
}

// resume forgets a lasting problem and refreshes at once, polling again
// when the window is shown.
func (r *remotePanel) resume(ctx context.Context, e *env) {
	r.lasting = false
	if !r.poll.running() && e.windowShown() {
		r.poll.start(ctx)
	}
	r.poll.now()
}

// followWindow stops polling while the window is hidden to the tray, and
// starts it again when the window is shown (unless a problem lasts).
func (r *remotePanel) followWindow(ctx context.Context, shown bool) {
	switch {
	case !shown:
		r.poll.stop()
	case !r.lasting:
		r.poll.start(ctx)
	}
}

// serverBack reports whether ev means the server answers again:
// connected, or online again.
func serverBack(ev core.Event) bool {
	switch e := ev.(type) {
	case core.Connected:
		return true
	case core.OfflineChanged:
		return !e.Offline
	}
	return false
}
