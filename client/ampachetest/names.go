package ampachetest

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// Word lists the generated library draws its names from. Read-only.

var accentedArtists = []string{
	"Beyoncé", "Sigur Rós", "Mötley Crüe", "Björk", "Motörhead", "Café Tacvba",
	"Françoise Hardy", "Hüsker Dü", "Ólafur Arnalds", "Maná", "Amadou & Mariam",
	"Jóhann Jóhannsson", "Blue Öyster Cult", "Mägo de Oz", "Zoë Keating",
}

var genreNames = []string{
	"Rock", "Pop", "Jazz", "Blues", "Classical", "Electronic", "Hip-Hop", "Folk",
	"Country", "Reggae", "Soul", "Funk", "Metal", "Punk", "Ambient", "Techno",
	"House", "Drum & Bass", "Dubstep", "Trip-Hop", "Indie Rock", "Alternative",
	"Shoegaze", "Post-Rock", "Synthpop", "New Wave", "Disco", "R&B", "Gospel",
	"Latin", "Bossa Nova", "Samba", "Flamenco", "Afrobeat", "Highlife", "K-Pop",
	"J-Pop", "Chanson", "Fado", "Celtic", "Bluegrass", "Americana", "Grunge",
	"Hard Rock", "Progressive Rock", "Psychedelic", "Krautrock", "Industrial",
	"Darkwave", "Downtempo", "Lo-Fi", "Chillout", "Soundtrack", "Opera",
	"Baroque", "Minimalism", "World", "Ska", "Dub", "Garage", "Emo", "Hardcore",
	"Electronica", "Dance", "Dark Ambient", "Música Popular Brasileira",
}

var adjectives = []string{
	"Silver", "Velvet", "Electric", "Hollow", "Golden", "Crimson", "Quiet",
	"Broken", "Neon", "Paper", "Midnight", "Wild", "Frozen", "Burning", "Lost",
	"Northern", "Southern", "Distant", "Gentle", "Restless", "Bright", "Lonely",
	"Secret", "Hidden", "Wandering", "Scarlet", "Amber", "Iron", "Glass",
	"Faded", "Sleeping", "Dancing", "Falling", "Rising", "Endless", "Little",
	"Ancient", "Modern", "Crooked", "Painted", "Silent", "Static", "Cosmic",
	"Violet", "Copper", "Hazy", "Salty", "Sunlit", "Rusty", "Open", "Blue",
}

var nouns = []string{
	"Harbor", "Lanterns", "Rivers", "Echoes", "Mountains", "Wolves", "Engines",
	"Satellites", "Gardens", "Mirrors", "Horizons", "Sparrows", "Cathedrals",
	"Shadows", "Waves", "Highways", "Foxes", "Ravens", "Circuits", "Tides",
	"Orchards", "Comets", "Ghosts", "Bridges", "Islands", "Deserts", "Signals",
	"Stations", "Windows", "Forests", "Storms", "Machines", "Parades", "Pilots",
	"Dreamers", "Strangers", "Saints", "Sailors", "Monarchs", "Atlas", "Avenue",
	"Canyon", "Valley", "Meadow", "Ocean", "Lighthouse", "Carousel", "Observatory",
	"Telegraph", "Compass", "Glacier", "Volcano", "Orchestra", "Archive",
}

var firstNames = []string{
	"Mara", "Jonas", "Elena", "Theo", "Ines", "Rafael", "Nora", "Felix", "Lena",
	"Oscar", "Ada", "Milo", "Clara", "Hugo", "Ivy", "Leon", "June", "Arlo",
	"Rosa", "Emil", "Vera", "Otis", "Lila", "Tomas", "Greta", "Niko", "Sofia",
	"Bruno", "Alma", "Caleb", "Dora", "Ezra", "Freya", "Gus", "Hana", "Igor",
	"Jade", "Kai", "Luz", "Marek", "Nina", "Omar", "Pia", "Quinn", "Ruth",
	"Sami", "Tess", "Uma", "Viktor", "Wren", "Yara", "Zane",
}

var lastNames = []string{
	"Lindqvist", "Moreau", "Okafor", "Castillo", "Novak", "Hartmann", "Silva",
	"Kowalski", "Bennett", "Tanaka", "Rossi", "Fischer", "Andersen", "Dubois",
	"Petrov", "Nakamura", "Oliveira", "Brennan", "Varga", "Costa", "Keller",
	"Haddad", "Larsen", "Mendes", "Quinlan", "Reyes", "Sato", "Ward", "Young",
	"Zimmer", "Abbott", "Blackwood", "Calloway", "Delacroix", "Everett", "Fontaine",
}

var titleVerbs = []string{
	"Dancing", "Waiting", "Running", "Falling", "Dreaming", "Walking", "Singing",
	"Drifting", "Burning", "Shining", "Breathing", "Calling", "Leaving",
	"Holding", "Chasing", "Floating", "Whispering", "Wandering",
}

var titlePlaces = []string{
	"the Rain", "the Dark", "the City", "the Sea", "Your Arms", "the Light",
	"the Snow", "Slow Motion", "the Static", "the Garden", "the Wire",
	"Silence", "the Morning", "the Desert", "the Fire", "the Night Train",
	"Paris", "Lisbon", "Reykjavík", "São Paulo", "Kyoto", "the Valley",
}

var titleWords = []string{
	"Home", "Afterglow", "Undertow", "Blueprint", "Daybreak", "Vertigo",
	"Kaleidoscope", "Lullaby", "Monsoon", "Nocturne", "Overture", "Paradox",
	"Reverie", "Solstice", "Tangent", "Umbra", "Wanderlust", "Zenith",
	"Elegy", "Fireworks", "Gravity", "Harmony", "Interlude", "Jubilee",
	"Lantern", "Mosaic", "Odyssey", "Prism", "Quartz", "Ripple", "Spectrum",
	"Tidal", "Velocity", "Whirlwind", "Ember", "Halcyon", "Serenade",
}

var podcastTopics = []string{
	"Science", "History", "Design", "Cooking", "Economics", "Space", "Language",
	"Music Theory", "Film", "Philosophy", "Gardening", "Technology", "Travel",
	"Architecture", "Medicine", "Mathematics",
}

var stationNames = []string{
	"Radio Aurora", "Harbor FM", "Night Signal", "Jazz Lounge 24", "Ambient Drift",
	"Lo-Fi Study Radio", "Classic Rock Express", "Electro Pulse", "Folk Roots Radio",
	"Soul Kitchen FM",
}

var romanNumerals = []string{"II", "III", "IV", "V", "VI", "VII"}

func pick[T any](r *rand.Rand, list []T) T { return list[r.IntN(len(list))] }

func artistName(r *rand.Rand) string {
	switch r.IntN(6) {
	case 0:
		return "The " + pick(r, adjectives) + " " + pick(r, nouns)
	case 1:
		return pick(r, firstNames) + " " + pick(r, lastNames)
	case 2:
		return pick(r, adjectives) + " " + pick(r, nouns)
	case 3:
		return pick(r, firstNames) + " & the " + pick(r, nouns)
	case 4:
		return pick(r, nouns) + " of " + pick(r, nouns)
	default:
		return pick(r, lastNames) + " " + pick(r, []string{"Quartet", "Trio", "Ensemble", "Collective", "Orchestra", "Band"})
	}
}

func albumName(r *rand.Rand) string {
	switch r.IntN(7) {
	case 0:
		return pick(r, adjectives) + " " + pick(r, nouns)
	case 1:
		return "Songs from the " + pick(r, nouns)
	case 2:
		return "Live at the " + pick(r, nouns)
	case 3:
		return pick(r, titleWords)
	case 4:
		return pick(r, titleWords) + " " + pick(r, romanNumerals)
	case 5:
		return "The " + pick(r, adjectives) + " " + pick(r, titleWords)
	default:
		return pick(r, titleVerbs) + " in " + pick(r, titlePlaces)
	}
}

func songTitle(r *rand.Rand) string {
	switch r.IntN(6) {
	case 0:
		return pick(r, titleVerbs) + " in " + pick(r, titlePlaces)
	case 1:
		return pick(r, titleWords)
	case 2:
		return pick(r, adjectives) + " " + pick(r, titleWords)
	case 3:
		return "Letter to " + pick(r, firstNames)
	case 4:
		return pick(r, titleWords) + " (" + pick(r, []string{"Reprise", "Live", "Acoustic", "Remix", "Demo", "Interlude"}) + ")"
	default:
		return pick(r, titleVerbs) + " " + strings.ToLower(pick(r, []string{"Home", "Away", "Slowly", "Together", "Alone", "Again"}))
	}
}

func episodeTitle(r *rand.Rand, topic string, n int) string {
	return fmt.Sprintf("Episode %d: %s and the %s %s", n, topic, pick(r, adjectives), pick(r, nouns))
}
