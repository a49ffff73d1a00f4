"""The Discord shell: the only package that imports `discord`.

`client` holds the bot, `commands/` one module per slash command (Discord classes thin, logic
in plain functions), `delivery` the `Deliverer` that posts digests, `runner` the entry point
`storyline run` awaits beside the scheduler.
"""
