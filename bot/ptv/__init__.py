"""PTV (Palvelutietovaranto, suomi.fi) import: read PTV API v11 JSON from files or the API,
map services and their channels to catalogue format version 1, write a catalogue file."""
