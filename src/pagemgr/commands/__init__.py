"""One module per subcommand; each exposes one typed function that returns an exit code."""
