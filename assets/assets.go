// Package assets holds the images Ampdesk embeds: the application icon.
package assets

import (
	_ "embed"
)

// IconPNG is the application icon, 256×256.
//
//go:embed icon.png
var IconPNG []byte
