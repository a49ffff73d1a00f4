"""The deployment root behind `storyline run`: scheduler, poll job, digest jobs, bot start, health.

It sits above both shells' reach in the layers (`pyproject.toml`): the CLI parses arguments
and calls it; it starts the bot (`bot.runner`), so nothing else in `digests` has to.
"""
