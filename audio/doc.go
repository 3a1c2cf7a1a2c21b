// Package audio plays tracks through the sound device: an HTTP (or local)
// source, a beep decoder, a resampler, gain, and one oto output, with a
// queue, gapless joins and events. It knows nothing of Ampache: a Track
// carries its metadata and an Opener for its bytes.
//
// # Pipeline
//
// Each stage does one job and wraps the one before:
//
//	HTTP/File/Memory  →  decoder (mp3, flac, vorbis, wav)  →  resampler  →  ring
//	   (read-ahead,        chosen by the bytes' signature,     to the output
//	    reconnect)         the content type only as a hint)    rate
//
//	ring(s) → sequencer (gapless join / crossfade, ReplayGain) → volume → Output (oto)
//
// A track's producer goroutine runs the first half into a ring of decoded
// frames (DecodeAhead, 500 ms by default). The sequencer runs on the
// output's goroutine and only copies from rings, so a slow network or a
// slow decoder never blocks the audio. The HTTP source reads ahead into a
// bounded buffer (1 MiB) on its own goroutine; after a lost connection it
// resumes with Range from the byte it had reached, or, for a server that
// does not support Range (a transcoded stream), the track is reopened at
// the time reached, through HTTP.OffsetURL when given, with bounded
// retries and exponential backoff with jitter.
//
// # Output
//
// One DeviceOutput per process (an oto limit), at a fixed rate (44.1 or
// 48 kHz, float32 stereo); every track is resampled to it and the device
// is never reopened. Tests use audiotest.Output, which collects samples
// and needs no device.
//
// oto allows one context per process, and a failed attempt uses it up
// (its NewContext marks the context created before trying the drivers),
// so NewOutput first looks, without oto, for a sound server answering on
// its socket ($PULSE_SERVER, $XDG_RUNTIME_DIR/pulse/native,
// pipewire-0), a playback card (/dev/snd/pcmC*p) or an ALSA configuration
// of the user's. With none it fails at once with a *NoDeviceError whose
// Retry is true, prints nothing, and may be called again later (the GUI
// started before the sound server). Once oto has been asked and failed
// (a server or card that does not work), no NewOutput can succeed in this
// process, and the error says to restart Ampdesk after starting the sound
// server. alsa-lib's and libjack's messages ("ALSA lib ...", "jack server
// is not running ...") are silenced before oto tries the ALSA devices.
//
// Latency with the defaults: a pause is heard after the 200 ms device
// buffer; a seek, a new track or a volume change after that and oto's
// 100 ms buffer, plus the few milliseconds it takes to decode the first
// frames. (Buffers of 100 and 50 ms make the process wake twice as often:
// about half a percent of a core more. oto's buffer must hold half the
// device's: PulseAudio asks for that much at once, and oto pads what it
// lacks with silence.) While paused the oto player is
// paused and its context suspended: nothing is pulled or decoded, and the
// process is idle.
//
// # MP3 and CPU
//
// MP3 is decoded by the system's libmpg123, loaded at run time when it is
// installed (any desktop with PulseAudio or PipeWire has it, through
// libsndfile), else by go-mp3 (pure Go, about ten times slower); the
// environment variable AMPDESK_MP3_DECODER=go forces go-mp3. Playing a
// 320 kbps MP3 through PulseAudio costs the whole process about 1 % of a
// core (scripts/bench/audio.sh; docs/benchmarks.md has the figures). A
// track's producer decodes in bursts (it rests until half its ring has
// played) and the HTTP read-ahead refills a quarter of its buffer at a
// time, so the process wakes up as little as the output allows.
//
// # Gapless and crossfade
//
// About PreloadAhead (10 s) before a track ends, the Player opens the next
// one on a new producer; its first frames are decoded before they are
// needed. When the current ring drains, the sequencer continues with the
// next ring within the same buffer: no silence is inserted and no frame is
// dropped. MP3 encoder delay and padding are removed using the LAME tag,
// so MP3 albums are gapless too. With a crossfade (up to 12 s) the last
// seconds of a track are mixed with equal-power gains into the first
// seconds of the next.
//
// # Seeking
//
// Inside the stream when possible: FLAC, Vorbis and WAV seek through their
// decoders over a local file or a server that supports Range; MP3 is
// indexed exactly for local files and estimated from the bitrate over
// HTTP (exact for CBR, about 1 % of the length for VBR). Otherwise the
// track is reopened at the offset (HTTP.OffsetURL, whole seconds) and
// decoded up to the exact position, or, failing that, decoded forward.
//
// # Events
//
// Player.Events delivers events one at a time on one channel, in the order
// they happened: StateChanged, TrackChanged, PositionChanged, QueueChanged,
// StreamTitleChanged, Ended, Failed. A consumer should drain it promptly; a slow one never
// blocks the audio or the Player's commands. Events wait for it in a
// queue where consecutive PositionChanged events merge into the newest;
// past 1024 waiting events, further ones are dropped and an EventsDropped
// event says how many. PositionChanged comes every 200 ms while playing,
// and after a seek; never while paused or stopped. A gapless TrackChanged
// comes when the new track is heard, not when it is decoded. The channel
// is closed by Player.Close.
//
// # Live streams (internet radio)
//
// HTTP.Live marks an endless stream: no Range, no length, no seeking
// (Player.Seek is ignored), and a cut or an end reconnects, with the same
// bounded retries, to the broadcast as it is now: nothing is skipped to
// catch up, and the position goes on counting the time played. Memory
// stays bounded: the read-ahead ring, the decoded ring, and at most a few
// dozen pending titles. With HTTP.ICY the request asks for Shoutcast/
// Icecast metadata; the blocks are removed from the audio exactly (any
// block size, cut anywhere) and each StreamTitle becomes a
// StreamTitleChanged event when the audio it comes before is heard (placed
// by the MP3 bitrate, to within a frame or two); Status.StreamTitle holds
// the last one.
//
// # Concurrency
//
// All Player methods are safe from any goroutine and return at once; they
// queue commands that one goroutine applies in order. A seek or a volume
// change replaces one still waiting, so a dragged slider sends one command,
// not two hundred. Queue is a plain model for that goroutine (and tests).
package audio
