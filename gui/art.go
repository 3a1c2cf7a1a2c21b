package gui

import (
	"bytes"
	"container/list"
	"context"
	"errors"
	"fmt"
	"image"
	_ "image/gif" // art may come as GIF
	_ "image/jpeg"
	_ "image/png"
	"math"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
	"golang.org/x/image/draw"
	_ "golang.org/x/image/webp" // and as WebP

	"github.com/ampdesk/ampdesk/client"
)

// Art loading: a cover asks for an object's art at the pixel size it is
// drawn at. The loader fetches the encoded image (disk cache or server,
// through ArtFetcher) at the nearest standard size, decodes it, scales it
// down to the pixels shown and keeps the result in a bounded in-memory
// cache; full-size images are never kept. At most artWorkers loads run at
// once; a load whose cover was rebound (scrolled away) or whose page was
// left is cancelled before it starts.

const (
	artWorkers = 4
	// artMemoryBudget bounds the decoded thumbnails kept in memory.
	artMemoryBudget = 24 << 20
	// maxArtPixels refuses images that would take too much memory to decode.
	maxArtPixels = 4096 * 4096
)

// artRef names one thumbnail: an object at a pixel size.
type artRef struct {
	typ client.ObjectType
	id  client.ID
	px  int
}

// serverSize is the size asked of the server for a thumbnail of px
// pixels: exactly that (servers that resize send it ready to show; the
// few sizes the views use each get their own cached file), capped.
func serverSize(px int) int { return min(px, maxServerArt) }

// maxServerArt caps the art size asked of the server.
const maxServerArt = 1024

type artLoader struct {
	fetch  ArtFetcher
	do     func(func())
	sem    chan struct{}
	ctx    context.Context // ends when the loader is closed
	cancel context.CancelFunc
	wg     sync.WaitGroup // the loads under way
	closed bool           // under mu: no new loads
	budget int            // bytes of thumbnails kept in memory

	mu    sync.Mutex
	mem   map[artRef]*list.Element
	lru   *list.List // of *thumb, most recent first
	bytes int
}

type thumb struct {
	ref artRef
	img image.Image
	n   int // bytes
}

func newArtLoader(fetch ArtFetcher, do func(func())) *artLoader {
	ctx, cancel := context.WithCancel(context.Background())
	return &artLoader{fetch: fetch, do: do, sem: make(chan struct{}, artWorkers), budget: artMemoryBudget,
		ctx: ctx, cancel: cancel, mem: map[artRef]*list.Element{}, lru: list.New()}
}

// close cancels the loads under way and waits for them to end, so that
// none fetches or hands an image to the window afterwards. Loads asked
// for later do nothing.
func (l *artLoader) close() {
	l.mu.Lock()
	l.closed = true
	l.mu.Unlock()
	l.cancel()
	l.wg.Wait()
}

// cached returns a thumbnail already in memory.
func (l *artLoader) cached(r artRef) (image.Image, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	el, ok := l.mem[r]
	if !ok {
		return nil, false
	}
	l.lru.MoveToFront(el)
	return el.Value.(*thumb).img, true
}

func (l *artLoader) keep(r artRef, img image.Image) {
	b := img.Bounds()
	n := b.Dx() * b.Dy() * 4
	l.mu.Lock()
	defer l.mu.Unlock()
	if el, ok := l.mem[r]; ok {
		l.bytes -= el.Value.(*thumb).n
		l.lru.Remove(el)
	}
	l.mem[r] = l.lru.PushFront(&thumb{ref: r, img: img, n: n})
	l.bytes += n
	for l.bytes > l.budget && l.lru.Len() > 1 {
		el := l.lru.Back()
		t := el.Value.(*thumb)
		l.lru.Remove(el)
		delete(l.mem, t.ref)
		l.bytes -= t.n
	}
}

// memoryUse returns the bytes and number of thumbnails in memory.
func (l *artLoader) memoryUse() (int, int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.bytes, l.lru.Len()
}

// load fetches a thumbnail on a new goroutine and hands it to apply on the
// UI goroutine, unless ctx ended first. Failures keep the placeholder.
func (l *artLoader) load(ctx context.Context, r artRef, apply func(image.Image)) {
	if l.fetch == nil {
		return
	}
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return
	}
	l.wg.Add(1)
	l.mu.Unlock()
	go func() {
		defer l.wg.Done()
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		defer context.AfterFunc(l.ctx, cancel)()
		select {
		case l.sem <- struct{}{}:
		case <-ctx.Done():
			return
		}
		if ctx.Err() != nil { // both were ready: the cover moved on
			<-l.sem
			return
		}
		img, err := l.get(ctx, r)
		<-l.sem
		if err != nil || ctx.Err() != nil {
			return
		}
		l.do(func() {
			if ctx.Err() == nil {
				apply(img)
			}
		})
	}()
}

func (l *artLoader) get(ctx context.Context, r artRef) (image.Image, error) {
	if img, ok := l.cached(r); ok {
		return img, nil
	}
	b, err := l.fetch.Art(ctx, r.typ, r.id, serverSize(r.px))
	if err != nil {
		return nil, err
	}
	img, err := decodeThumb(b, r.px)
	if err != nil {
		return nil, err
	}
	l.keep(r, img)
	return img, nil
}

// decodeThumb decodes an image and scales it to fit px×px.
func decodeThumb(b []byte, px int) (image.Image, error) {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("art: %w", err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > maxArtPixels {
		return nil, errors.New("art: image too large")
	}
	src, _, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("art: %w", err)
	}
	sb := src.Bounds()
	scale := math.Min(float64(px)/float64(sb.Dx()), float64(px)/float64(sb.Dy()))
	if scale >= 1 {
		return src, nil
	}
	w, h := max(1, int(math.Round(float64(sb.Dx())*scale))), max(1, int(math.Round(float64(sb.Dy())*scale)))
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.CatmullRom.Scale(dst, dst.Bounds(), src, sb, draw.Src, nil)
	return dst, nil
}

// cover shows an object's art at a fixed size, a neutral placeholder until
// the art arrives (or when there is none).
type cover struct {
	widget.BaseWidget
	env    *env
	parent context.Context
	size   float32
	round  float32

	bg   *canvas.Rectangle
	icon *widget.Icon
	img  *canvas.Image

	ref    artRef
	cancel context.CancelFunc
}

// newCover makes a cover of size (in Fyne units) whose loads end with
// parent (the page's context).
func newCover(e *env, parent context.Context, size float32, placeholder fyne.Resource) *cover {
	c := &cover{env: e, parent: parent, size: size, round: 6}
	c.bg = canvas.NewRectangle(themeColor(e.App, colorNamePlaceholderArt))
	c.bg.CornerRadius = c.round
	c.icon = widget.NewIcon(muted(placeholder))
	c.img = &canvas.Image{FillMode: canvas.ImageFillContain, ScaleMode: canvas.ImageScaleSmooth, CornerRadius: c.round}
	c.img.Hide()
	c.ExtendBaseWidget(c)
	return c
}

func (c *cover) CreateRenderer() fyne.WidgetRenderer {
	iconBox := container.New(&centerRatio{ratio: 0.36}, c.icon)
	return widget.NewSimpleRenderer(container.NewStack(c.bg, iconBox, c.img))
}

func (c *cover) MinSize() fyne.Size { return fyne.NewSquareSize(c.size) }

func (c *cover) Refresh() {
	c.bg.FillColor = themeColor(c.env.App, colorNamePlaceholderArt)
	c.BaseWidget.Refresh()
}

// pixels is the cover's size in device pixels.
func (c *cover) pixels() int {
	scale := float32(1)
	if c.env.Window != nil {
		if s := c.env.Window.Canvas().Scale(); s > 0 {
			scale = s
		}
	}
	return int(math.Ceil(float64(c.size * scale)))
}

// set shows the art of an object; an empty id shows the placeholder.
func (c *cover) set(typ client.ObjectType, id client.ID) {
	r := artRef{typ: typ, id: id, px: c.pixels()}
	if r == c.ref {
		return
	}
	if c.cancel != nil {
		c.cancel()
		c.cancel = nil
	}
	c.ref = r
	if id == "" {
		c.show(nil)
		return
	}
	if img, ok := c.env.art.cached(r); ok {
		c.show(img)
		return
	}
	c.show(nil)
	ctx, cancel := context.WithCancel(c.parent)
	c.cancel = cancel
	c.env.art.load(ctx, r, func(img image.Image) {
		if c.ref == r {
			c.show(img)
		}
	})
}

func (c *cover) show(img image.Image) {
	if img == nil {
		if c.img.Visible() {
			c.img.Image = nil
			c.img.Hide()
			c.icon.Show()
		}
		return
	}
	c.img.Image = img
	c.img.Show()
	c.icon.Hide()
	c.img.Refresh()
}

// hasArt reports whether the art (not the placeholder) is shown.
func (c *cover) hasArt() bool { return c.img.Visible() && c.img.Image != nil }
