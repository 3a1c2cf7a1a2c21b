//go:build cgo && linux

package alsaquiet

/*
#cgo LDFLAGS: -ldl
#include <dlfcn.h>
#include <pthread.h>

// The handlers are set through dlopen, so neither library is needed to
// build or to run; a library that is loaded here stays loaded, and oto's
// (or an ALSA plugin's) own dlopen gets this same instance, handler set.
typedef void (*amp_alsa_handler)(const char *file, int line, const char *function, int err, const char *fmt, ...);

static void amp_quiet_alsa(const char *file, int line, const char *function, int err, const char *fmt, ...) {
	(void)file; (void)line; (void)function; (void)err; (void)fmt;
}

static void amp_quiet_jack(const char *msg) { (void)msg; }

static int amp_result;
static pthread_once_t amp_once = PTHREAD_ONCE_INIT;

static void amp_silence_once(void) {
	void *a = dlopen("libasound.so.2", RTLD_NOW | RTLD_GLOBAL);
	if (a) {
		int (*set)(amp_alsa_handler) = (int (*)(amp_alsa_handler))dlsym(a, "snd_lib_error_set_handler");
		if (set && set(amp_quiet_alsa) == 0) amp_result |= 1;
	}
	void *j = dlopen("libjack.so.0", RTLD_NOW | RTLD_GLOBAL);
	if (j) {
		void (*seterr)(void (*)(const char *)) = (void (*)(void (*)(const char *)))dlsym(j, "jack_set_error_function");
		void (*setinfo)(void (*)(const char *)) = (void (*)(void (*)(const char *)))dlsym(j, "jack_set_info_function");
		if (seterr) seterr(amp_quiet_jack);
		if (setinfo) setinfo(amp_quiet_jack);
		if (seterr && setinfo) amp_result |= 2;
	}
}

static int amp_silence(void) {
	pthread_once(&amp_once, amp_silence_once);
	return amp_result;
}
*/
import "C"

// Silence sets alsa-lib's error handler and libjack's error and info
// handlers to ones that print nothing, for the rest of the process. It
// reports which libraries were found and silenced. Safe to call more than
// once, from any goroutine.
func Silence() (alsa, jack bool) {
	r := C.amp_silence()
	return r&1 != 0, r&2 != 0
}
