package audio

import "time"

// Track is one thing the Player can play: its metadata, its loudness
// information, and where its bytes are. The audio package does not look
// inside ID; the caller uses it to know which song or episode this is.
type Track struct {
	ID       string
	Title    string
	Artist   string
	Album    string
	Duration time.Duration // as the server reports it; 0 when unknown
	Gain     GainInfo      // ReplayGain / R128 values from the tags, if any
	Source   Opener        // how to open the bytes: HTTP, File, Memory, ...
	// Data is for the caller (e.g. the server's song object); the audio
	// package never reads it.
	Data any
}
