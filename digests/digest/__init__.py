"""Building a digest from what is new, and rendering it for Discord and the terminal (pure)."""
