package ampachetest

// apiMethods is the method table: which API versions have each method and
// whether it changes the server's state. Read-only.
var apiMethods = map[string]method{
	"goodbye": {fn: goodbye, apis: v456},

	// Browsing.
	"artists":       {fn: apiArtists, apis: v456},
	"artist":        {fn: apiArtist, apis: v456},
	"artist_albums": {fn: apiArtistAlbums, apis: v456},
	"artist_songs":  {fn: apiArtistSongs, apis: v456},
	"albums":        {fn: apiAlbums, apis: v456},
	"album":         {fn: apiAlbum, apis: v456},
	"album_songs":   {fn: apiAlbumSongs, apis: v456},
	"songs":         {fn: apiSongs, apis: v456},
	"song":          {fn: apiSong, apis: v456},
	"url_to_song":   {fn: apiURLToSong, apis: v456},
	"genres":        {fn: apiGenres, apis: v456, write: true},
	"genre":         {fn: apiGenre, apis: v456, write: true},
	"genre_artists": {fn: apiGenreArtists, apis: v456},
	"genre_albums":  {fn: apiGenreAlbums, apis: v456},
	"genre_songs":   {fn: apiGenreSongs, apis: v456},
	"tags":          {fn: apiGenres, apis: v456, write: true, deprecated: v56},
	"tag":           {fn: apiGenre, apis: v456, write: true, deprecated: v56},
	"tag_artists":   {fn: apiGenreArtists, apis: v456, deprecated: v56},
	"tag_albums":    {fn: apiGenreAlbums, apis: v456, deprecated: v56},
	"tag_songs":     {fn: apiGenreSongs, apis: v456, deprecated: v56},
	"catalogs":      {fn: apiCatalogs, apis: v456},
	"catalog":       {fn: apiCatalog, apis: v456},
	"live_streams":  {fn: apiLiveStreams, apis: v56},
	"live_stream":   {fn: apiLiveStream, apis: v56},

	// Searching and discovery.
	"search_songs":    {fn: apiSearchSongs, apis: v456},
	"advanced_search": {fn: apiAdvancedSearch, apis: v456},
	"search":          {fn: apiAdvancedSearch, apis: v6},
	"search_group":    {fn: apiSearchGroup, apis: v6},
	"stats":           {fn: apiStats, apis: v456},
	"get_similar":     {fn: apiGetSimilar, apis: v456},
	"now_playing":     {fn: apiNowPlaying, apis: v56},

	// Keeping a copy.
	"index":                    {fn: apiIndex, apis: v6},
	"list":                     {fn: apiListNames, apis: v6},
	"deleted_songs":            {fn: apiDeletedSongs, apis: v56},
	"deleted_podcast_episodes": {fn: apiDeletedPodcastEpisodes, apis: v56},

	// Playlists.
	"playlists":            {fn: apiPlaylists, apis: v456},
	"user_playlists":       {fn: apiUserPlaylists, apis: v6},
	"user_smartlists":      {fn: apiUserSmartlists, apis: v6},
	"smartlists":           {fn: apiSmartlists, apis: v6},
	"smartlist":            {fn: apiPlaylist, apis: v6},
	"smartlist_songs":      {fn: apiPlaylistSongs, apis: v6},
	"smartlist_delete":     {fn: apiSmartlistDelete, apis: v6, write: true},
	"playlist":             {fn: apiPlaylist, apis: v456},
	"playlist_songs":       {fn: apiPlaylistSongs, apis: v456},
	"playlist_create":      {fn: apiPlaylistCreate, apis: v456, write: true},
	"playlist_edit":        {fn: apiPlaylistEdit, apis: v456, write: true},
	"playlist_delete":      {fn: apiPlaylistDelete, apis: v456, write: true},
	"playlist_add_song":    {fn: apiPlaylistAddSong, apis: v456, write: true},
	"playlist_add":         {fn: apiPlaylistAdd, apis: v6, write: true},
	"playlist_remove_song": {fn: apiPlaylistRemoveSong, apis: v456, write: true},
	"playlist_generate":    {fn: apiPlaylistGenerate, apis: v456},
	"playlist_hash":        {fn: apiPlaylistHash, apis: v6},

	// Podcasts.
	"podcasts":               {fn: apiPodcasts, apis: v456},
	"podcast":                {fn: apiPodcast, apis: v456},
	"podcast_episodes":       {fn: apiPodcastEpisodes, apis: v456},
	"podcast_episode":        {fn: apiPodcastEpisode, apis: v456},
	"podcast_create":         {fn: apiPodcastCreate, apis: v456, write: true},
	"podcast_edit":           {fn: apiPodcastEdit, apis: v456, write: true},
	"podcast_delete":         {fn: apiPodcastDelete, apis: v456, write: true},
	"update_podcast":         {fn: apiUpdatePodcast, apis: v456, write: true},
	"podcast_episode_delete": {fn: apiPodcastEpisodeDelete, apis: v456, write: true},

	// Bookmarks.
	"bookmarks":       {fn: apiBookmarks, apis: v56},
	"bookmark":        {fn: apiBookmark, apis: v6},
	"get_bookmark":    {fn: apiGetBookmark, apis: v56},
	"bookmark_create": {fn: apiBookmarkCreate, apis: v56, write: true},
	"bookmark_edit":   {fn: apiBookmarkEdit, apis: v56, write: true},
	"bookmark_delete": {fn: apiBookmarkDelete, apis: v56, write: true},

	// Ratings and plays.
	"rate":        {fn: apiRate, apis: v456, write: true},
	"flag":        {fn: apiFlag, apis: v456, write: true},
	"record_play": {fn: apiRecordPlay, apis: v456, write: true},
	"scrobble":    {fn: apiScrobble, apis: v456, write: true},

	// Shares.
	"shares":       {fn: apiShares, apis: v456},
	"share":        {fn: apiShare, apis: v456},
	"share_create": {fn: apiShareCreate, apis: v456, write: true},
	"share_edit":   {fn: apiShareEdit, apis: v456, write: true},
	"share_delete": {fn: apiShareDelete, apis: v456, write: true},

	// Players.
	"localplay":       {fn: apiLocalplay, apis: v456, write: true},
	"localplay_songs": {fn: apiLocalplaySongs, apis: v56},
	"democratic":      {fn: apiDemocratic, apis: v456, write: true},

	// Media.
	"stream":   {fn: apiStream, apis: v456},
	"download": {fn: apiDownload, apis: v456},
	"get_art":  {fn: apiGetArt, apis: v456},

	// Users and catalogs.
	"user":           {fn: apiUser, apis: v456},
	"users":          {fn: apiUsers, apis: v456},
	"user_create":    {fn: apiUserCreate, apis: v456, write: true},
	"user_edit":      {fn: apiUserEdit, apis: v56, write: true},
	"user_update":    {fn: apiUserEdit, apis: v456, write: true},
	"user_delete":    {fn: apiUserDelete, apis: v456, write: true},
	"catalog_action": {fn: apiCatalogAction, apis: v456},
}
