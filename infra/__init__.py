"""The embedded stack, settings, and the `turing` command line."""
