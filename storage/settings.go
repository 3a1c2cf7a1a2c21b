package storage

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"sync"
)

// Settings are the user's preferences, kept in settings.json. The zero
// value of a field means "use the default" (see DefaultSettings), so a file
// written by an older Ampdesk keeps working.
type Settings struct {
	Theme string `json:"theme,omitempty"` // "system" (default), "light", "dark"

	// Stream quality. Format "raw" asks for the original file whenever it
	// can be decoded here; otherwise the server transcodes to TranscodeFormat.
	StreamFormat    string `json:"stream_format,omitempty"`    // "raw" (default) or "transcode"
	TranscodeFormat string `json:"transcode_format,omitempty"` // "mp3" (default), "ogg"
	MaxBitrateKbps  int    `json:"max_bitrate_kbps,omitempty"` // 0: no cap

	ReplayGain       string   `json:"replaygain,omitempty"` // "off", "track" (default), "album"
	ReplayGainPreamp float64  `json:"replaygain_preamp,omitempty"`
	CrossfadeSeconds float64  `json:"crossfade_seconds,omitempty"` // 0: gapless
	Volume           *float64 `json:"volume,omitempty"`            // 0..1; nil: 0.8

	ArtCacheMB int `json:"art_cache_mb,omitempty"` // default 200

	Notifications *bool `json:"notifications,omitempty"` // default on
	CloseToTray   *bool `json:"close_to_tray,omitempty"` // default on

	// Songs longer than this get automatic bookmarks (podcast episodes always).
	BookmarkSongMinutes int `json:"bookmark_song_minutes,omitempty"` // default 15

	SyncIntervalMinutes int `json:"sync_interval_minutes,omitempty"` // default 30
	OfflineLimitMB      int `json:"offline_limit_mb,omitempty"`      // default 10240
}

// DefaultSettings returns the settings Ampdesk uses when none are saved.
func DefaultSettings() Settings {
	on := true
	vol := 0.8
	return Settings{
		Theme:               "system",
		StreamFormat:        "raw",
		TranscodeFormat:     "mp3",
		ReplayGain:          "track",
		Volume:              &vol,
		ArtCacheMB:          200,
		Notifications:       &on,
		CloseToTray:         &on,
		BookmarkSongMinutes: 15,
		SyncIntervalMinutes: 30,
		OfflineLimitMB:      10240,
	}
}

// withDefaults fills unset fields from DefaultSettings.
func (s Settings) withDefaults() Settings {
	d := DefaultSettings()
	if s.Theme == "" {
		s.Theme = d.Theme
	}
	if s.StreamFormat == "" {
		s.StreamFormat = d.StreamFormat
	}
	if s.TranscodeFormat == "" {
		s.TranscodeFormat = d.TranscodeFormat
	}
	if s.ReplayGain == "" {
		s.ReplayGain = d.ReplayGain
	}
	if s.Volume == nil {
		s.Volume = d.Volume
	}
	if s.ArtCacheMB == 0 {
		s.ArtCacheMB = d.ArtCacheMB
	}
	if s.Notifications == nil {
		s.Notifications = d.Notifications
	}
	if s.CloseToTray == nil {
		s.CloseToTray = d.CloseToTray
	}
	if s.BookmarkSongMinutes == 0 {
		s.BookmarkSongMinutes = d.BookmarkSongMinutes
	}
	if s.SyncIntervalMinutes == 0 {
		s.SyncIntervalMinutes = d.SyncIntervalMinutes
	}
	if s.OfflineLimitMB == 0 {
		s.OfflineLimitMB = d.OfflineLimitMB
	}
	return s
}

// SettingsStore reads and writes settings.json. Safe for concurrent use.
type SettingsStore struct {
	path string
	mu   sync.Mutex
	cur  Settings
}

// OpenSettings reads settings.json from the config dir; a missing file
// gives the defaults.
func OpenSettings(configDir string) (*SettingsStore, error) {
	st := &SettingsStore{path: filepath.Join(configDir, "settings.json")}
	b, err := readFileIfExists(st.path)
	if err != nil {
		return nil, fmt.Errorf("read settings: %w", err)
	}
	var s Settings
	if len(b) > 0 {
		if err := json.Unmarshal(b, &s); err != nil {
			return nil, fmt.Errorf("settings file %s is damaged: %w", st.path, err)
		}
	}
	st.cur = s.withDefaults()
	return st, nil
}

// Get returns the current settings.
func (st *SettingsStore) Get() Settings {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.cur
}

// Update applies change to the settings and saves them.
func (st *SettingsStore) Update(change func(*Settings)) (Settings, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	next := st.cur
	change(&next)
	next = next.withDefaults()
	b, err := json.MarshalIndent(next, "", "  ")
	if err != nil {
		return st.cur, err
	}
	if err := writeFileAtomic(st.path, append(b, '\n'), 0o600); err != nil {
		return st.cur, fmt.Errorf("save settings: %w", err)
	}
	st.cur = next
	return next, nil
}
