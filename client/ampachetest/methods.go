package ampachetest

// apiMethods is the method table: which API versions have each method and
// whether it changes the server's state. Read-only.
var apiMethods = map[string]method{
	"goodbye": {fn: goodbye, apis: v456},

	"artists":        {fn: apiArtists, apis: v456},
	"artist":         {fn: apiArtist, apis: v456},
	"artist_albums":  {fn: apiArtistAlbums, apis: v456},
	"artist_songs":   {fn: apiArtistSongs, apis: v456},
	"albums":         {fn: apiAlbums, apis: v456},
	"album":          {fn: apiAlbum, apis: v456},
	"album_songs":    {fn: apiAlbumSongs, apis: v456},
	"songs":          {fn: apiSongs, apis: v456},
	"song":           {fn: apiSong, apis: v456},
	"url_to_song":    {fn: apiURLToSong, apis: v456},
	"genres":         {fn: apiGenres, apis: v456, write: true},
	"genre":          {fn: apiGenre, apis: v456, write: true},
	"genre_artists":  {fn: apiGenreArtists, apis: v456},
	"genre_albums":   {fn: apiGenreAlbums, apis: v456},
	"genre_songs":    {fn: apiGenreSongs, apis: v456},
	"tags":           {fn: apiGenres, apis: v456, write: true, deprecated: v56},
	"tag":            {fn: apiGenre, apis: v456, write: true, deprecated: v56},
	"tag_artists":    {fn: apiGenreArtists, apis: v456, deprecated: v56},
	"tag_albums":     {fn: apiGenreAlbums, apis: v456, deprecated: v56},
	"tag_songs":      {fn: apiGenreSongs, apis: v456, deprecated: v56},
	"catalogs":       {fn: apiCatalogs, apis: v456},
	"catalog":        {fn: apiCatalog, apis: v456},
	"catalog_action": {fn: apiCatalogAction, apis: v456},
}
