// Package storage keeps what Ampdesk stores on this computer: settings and
// server profiles, secrets (in the OS keyring only), and later the library
// cache, art cache, bookmark journal and downloads.
package storage

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Dirs are the folders Ampdesk writes to.
type Dirs struct {
	Config string // settings.json, profiles.json
	Cache  string // art, library cache (safe to delete)
	Data   string // journal, downloads (keep)
}

// EnvConfigDir overrides the folders when set (as does --config-dir): the
// config goes there, cache and data in its "cache" and "data" subfolders.
const EnvConfigDir = "AMPDESK_CONFIG_DIR"

// ResolveDirs picks the folders: override (from --config-dir), else
// $AMPDESK_CONFIG_DIR, else the XDG base directories (os.UserConfigDir and
// os.UserCacheDir; data under $XDG_DATA_HOME or ~/.local/share).
func ResolveDirs(override string) (Dirs, error) {
	if override == "" {
		override = os.Getenv(EnvConfigDir)
	}
	if override != "" {
		abs, err := filepath.Abs(override)
		if err != nil {
			return Dirs{}, fmt.Errorf("config dir %q: %w", override, err)
		}
		return Dirs{Config: abs, Cache: filepath.Join(abs, "cache"), Data: filepath.Join(abs, "data")}, nil
	}
	cfg, err := os.UserConfigDir()
	if err != nil {
		return Dirs{}, fmt.Errorf("no config folder: %w", err)
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		return Dirs{}, fmt.Errorf("no cache folder: %w", err)
	}
	data := os.Getenv("XDG_DATA_HOME")
	if data == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return Dirs{}, fmt.Errorf("no data folder: %w", err)
		}
		data = filepath.Join(home, ".local", "share")
	}
	return Dirs{
		Config: filepath.Join(cfg, "ampdesk"),
		Cache:  filepath.Join(cache, "ampdesk"),
		Data:   filepath.Join(data, "ampdesk"),
	}, nil
}

// Ensure creates the folders (mode 0700) if they are missing.
func (d Dirs) Ensure() error {
	for _, p := range []string{d.Config, d.Cache, d.Data} {
		if err := os.MkdirAll(p, 0o700); err != nil {
			return fmt.Errorf("create %s: %w", p, err)
		}
	}
	return nil
}

// writeFileAtomic writes data to path through a temporary file in the same
// folder, fsyncs it and renames it over path, so a crash leaves either the
// old or the new file, never half of one.
func writeFileAtomic(path string, data []byte, perm os.FileMode) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err := f.Chmod(perm); err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return err
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// readFileIfExists returns nil, nil when path does not exist.
func readFileIfExists(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	return b, err
}
