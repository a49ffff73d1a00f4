"""Getting rendered messages to a channel: the deliverer seam shared by Discord and console."""
