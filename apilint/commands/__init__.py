"""The work behind each CLI command, kept apart from argument parsing."""
