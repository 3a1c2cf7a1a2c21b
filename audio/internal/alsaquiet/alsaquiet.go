// Package alsaquiet stops alsa-lib and libjack from printing to the
// process's stderr while the sound device is opened (oto tries every ALSA
// device, and each failure prints lines such as "ALSA lib pcm.c:...").
package alsaquiet
