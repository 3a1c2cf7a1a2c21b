package desktop

import (
	"context"
	"fmt"
	"sync"

	"fyne.io/fyne/v2"

	"github.com/ampdesk/ampdesk/core"
	"github.com/ampdesk/ampdesk/storage"
)

// notifier sends desktop notifications on its own goroutine: sending is a
// D-Bus call on Linux, which must not hold up the event goroutine.
type notifier struct {
	ch chan *fyne.Notification

	mu      sync.Mutex
	lastKey string
}

func newNotifier(ctx context.Context, app fyne.App) *notifier {
	n := &notifier{ch: make(chan *fyne.Notification, 4)}
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case note := <-n.ch:
				app.SendNotification(note)
			}
		}
	}()
	return n
}

// send queues a notification; when four are already waiting it is dropped.
func (n *notifier) send(title, body string) {
	select {
	case n.ch <- fyne.NewNotification(title, body):
	default:
	}
}

// trackChanged announces a new current item (once per item, when the
// Notifications setting is on): its title, then "artist — album".
func (n *notifier) trackChanged(e core.TrackChanged, st storage.Settings) {
	key := ""
	if e.Index >= 0 && e.Item.Title != "" {
		key = fmt.Sprintf("%d/%s/%s", e.Index, e.Item.Type, e.Item.ID)
	}
	n.mu.Lock()
	same := key == n.lastKey
	n.lastKey = key
	n.mu.Unlock()
	if key == "" || same || (st.Notifications != nil && !*st.Notifications) {
		return
	}
	n.send(e.Item.Title, trackLine(e.Item))
}

// trackLine is "artist — album", or whichever of them is known.
func trackLine(it core.Item) string {
	switch {
	case it.Artist != "" && it.Album != "":
		return it.Artist + " — " + it.Album
	case it.Artist != "":
		return it.Artist
	}
	return it.Album
}
