"""Reference data the app needs everywhere: the needs taxonomy, the six territories and their boundaries,
Montréal's postal areas (each data file with its SOURCE note and licence)."""
