"""Actions with rules, shared by every shell: the CLI and the bot call these instead of the
store, so a rule (a feed URL the fetcher would refuse is never stored; a follow without a
schedule takes its storyline's) is written once. Each takes the store handle it runs on, so
the bot can call it from its worker threads."""
