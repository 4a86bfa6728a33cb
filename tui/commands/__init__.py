"""The `postil` subcommands, one module per area; tui/cli.py imports them lazily by name."""
