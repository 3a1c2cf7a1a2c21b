//go:build cgo && linux

package mpg123

/*
#cgo LDFLAGS: -ldl
#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>

// The few parts of mpg123.h used here (libmpg123.so.0, stable since 1.0).
// The header is not needed to build: the library is optional at run time.
typedef struct mpg123_handle_struct mpg123_handle;
enum {
	AMP_MPG123_OK = 0, AMP_MPG123_NEED_MORE = -10, AMP_MPG123_NEW_FORMAT = -11, AMP_MPG123_DONE = -12,
	AMP_MPG123_FLAGS = 1,
	AMP_MPG123_FORCE_STEREO = 0x8, AMP_MPG123_QUIET = 0x20, AMP_MPG123_IGNORE_INFOFRAME = 0x4000,
	AMP_MPG123_STEREO = 2, AMP_MPG123_ENC_FLOAT_32 = 0x200,
};

static int (*amp_init)(void);
static mpg123_handle *(*amp_new)(const char *, int *);
static void (*amp_delete)(mpg123_handle *);
static int (*amp_param)(mpg123_handle *, int, long, double);
static int (*amp_format_none)(mpg123_handle *);
static int (*amp_format)(mpg123_handle *, long, int, int);
static int (*amp_open_feed)(mpg123_handle *);
static int (*amp_feed)(mpg123_handle *, const unsigned char *, size_t);
static int (*amp_read)(mpg123_handle *, void *, size_t, size_t *);
static int (*amp_getformat)(mpg123_handle *, long *, int *, int *);
static const char *(*amp_strerror)(mpg123_handle *);
static const char *(*amp_plain_strerror)(int);

static int amp_loaded; // 1: usable
static pthread_once_t amp_once = PTHREAD_ONCE_INIT;

static void amp_load(void) {
	void *h = dlopen("libmpg123.so.0", RTLD_NOW | RTLD_LOCAL);
	if (!h) return;
	amp_init = dlsym(h, "mpg123_init");
	amp_new = dlsym(h, "mpg123_new");
	amp_delete = dlsym(h, "mpg123_delete");
	amp_param = dlsym(h, "mpg123_param2");
	if (!amp_param) amp_param = dlsym(h, "mpg123_param");
	amp_format_none = dlsym(h, "mpg123_format_none");
	amp_format = dlsym(h, "mpg123_format");
	amp_open_feed = dlsym(h, "mpg123_open_feed");
	amp_feed = dlsym(h, "mpg123_feed");
	amp_read = dlsym(h, "mpg123_read");
	amp_getformat = dlsym(h, "mpg123_getformat");
	amp_strerror = dlsym(h, "mpg123_strerror");
	amp_plain_strerror = dlsym(h, "mpg123_plain_strerror");
	if (!amp_init || !amp_new || !amp_delete || !amp_param || !amp_format_none || !amp_format ||
	    !amp_open_feed || !amp_feed || !amp_read || !amp_getformat || !amp_strerror || !amp_plain_strerror) {
		dlclose(h);
		return;
	}
	if (amp_init() != AMP_MPG123_OK) return; // a no-op since 1.27, required before
	amp_loaded = 1;
}

static int amp_available(void) {
	pthread_once(&amp_once, amp_load);
	return amp_loaded;
}

static const long amp_rates[] = {8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000};

// amp_open makes a handle in feed mode that writes float32 stereo at the
// stream's own rate: quiet, no gapless trimming, Info frames decoded as
// ordinary frames (the caller trims), no resampling.
static mpg123_handle *amp_open(int *err) {
	mpg123_handle *mh = amp_new(NULL, err);
	if (!mh) return NULL;
	if ((*err = amp_param(mh, AMP_MPG123_FLAGS, AMP_MPG123_QUIET | AMP_MPG123_FORCE_STEREO | AMP_MPG123_IGNORE_INFOFRAME, 0)) != AMP_MPG123_OK ||
	    (*err = amp_format_none(mh)) != AMP_MPG123_OK) {
		amp_delete(mh);
		return NULL;
	}
	for (size_t i = 0; i < sizeof amp_rates / sizeof amp_rates[0]; i++) {
		if ((*err = amp_format(mh, amp_rates[i], AMP_MPG123_STEREO, AMP_MPG123_ENC_FLOAT_32)) != AMP_MPG123_OK) {
			amp_delete(mh);
			return NULL;
		}
	}
	if ((*err = amp_open_feed(mh)) != AMP_MPG123_OK) {
		amp_delete(mh);
		return NULL;
	}
	return mh;
}

static void amp_close(mpg123_handle *mh) { amp_delete(mh); }

static int amp_feed_bytes(mpg123_handle *mh, const unsigned char *p, size_t n) { return amp_feed(mh, p, n); }

// amp_read_floats decodes into out (room for n floats); *done gets the
// number of floats written, *rate the output rate after a format change.
static int amp_read_floats(mpg123_handle *mh, float *out, size_t n, size_t *done, long *rate) {
	size_t bytes = 0;
	int ret = amp_read(mh, out, n * sizeof(float), &bytes);
	*done = bytes / sizeof(float);
	if (ret == AMP_MPG123_NEW_FORMAT) {
		int ch, enc;
		amp_getformat(mh, rate, &ch, &enc);
	}
	return ret;
}

static const char *amp_error(mpg123_handle *mh) { return amp_strerror(mh); }
static const char *amp_plain_error(int code) { return amp_plain_strerror(code); }
*/
import "C"

import (
	"errors"
	"runtime"
	"unsafe"
)

// Available reports whether libmpg123 could be loaded.
func Available() bool { return C.amp_available() == 1 }

// Decoder decodes one MPEG audio stream fed to it into interleaved float32
// stereo (mono is doubled) at the stream's own rate. It is not safe for
// concurrent use. Close it to free the library's memory (a forgotten
// Decoder is freed by the garbage collector).
type Decoder struct {
	h       *handle
	rate    int
	cleanup runtime.Cleanup
}

type handle struct{ mh *C.mpg123_handle }

// New returns a decoder waiting for its first bytes.
func New() (*Decoder, error) {
	if !Available() {
		return nil, ErrUnavailable
	}
	var code C.int
	mh := C.amp_open(&code)
	if mh == nil {
		return nil, errors.New("mpg123: " + C.GoString(C.amp_plain_error(code)))
	}
	d := &Decoder{h: &handle{mh: mh}}
	d.cleanup = runtime.AddCleanup(d, func(h *handle) { C.amp_close(h.mh) }, d.h)
	return d, nil
}

// Feed hands the decoder more of the stream. It copies p.
func (d *Decoder) Feed(p []byte) error {
	if d.h == nil {
		return errors.New("mpg123: decoder closed")
	}
	if len(p) == 0 {
		return nil
	}
	if ret := C.amp_feed_bytes(d.h.mh, (*C.uchar)(unsafe.Pointer(&p[0])), C.size_t(len(p))); ret != C.AMP_MPG123_OK {
		return d.err()
	}
	return nil
}

// Read decodes into out (interleaved stereo float32) and returns the number
// of floats written. It returns ErrNeedMore, possibly with n > 0, when the
// bytes fed so far are used up.
func (d *Decoder) Read(out []float32) (n int, err error) {
	if d.h == nil {
		return 0, errors.New("mpg123: decoder closed")
	}
	if len(out) == 0 {
		return 0, nil
	}
	for {
		var done C.size_t
		var rate C.long
		ret := C.amp_read_floats(d.h.mh, (*C.float)(unsafe.Pointer(&out[n])), C.size_t(len(out)-n), &done, &rate)
		n += int(done)
		switch ret {
		case C.AMP_MPG123_OK:
			if n == len(out) || done == 0 {
				return n, nil
			}
		case C.AMP_MPG123_NEW_FORMAT:
			d.rate = int(rate)
		case C.AMP_MPG123_NEED_MORE, C.AMP_MPG123_DONE:
			return n, ErrNeedMore
		default:
			return n, d.err()
		}
		if n == len(out) {
			return n, nil
		}
	}
}

// Rate is the output rate, 0 before the first frame was decoded.
func (d *Decoder) Rate() int { return d.rate }

// Close frees the decoder.
func (d *Decoder) Close() {
	if d.h == nil {
		return
	}
	d.cleanup.Stop()
	C.amp_close(d.h.mh)
	d.h = nil
}

func (d *Decoder) err() error {
	return errors.New("mpg123: " + C.GoString(C.amp_error(d.h.mh)))
}
