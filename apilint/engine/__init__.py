"""The lint run: configuration, file discovery, the engine that loads, checks and filters, and the filters themselves (suppressions, baseline, --diff-base)."""
