"""Drift: does a stage run what the definition says? Compares the gateway models of a
definition and of a stage's export (`apilint drift`)."""

# Nothing imported here: `apilint lint` loads the drift check module (for its rule names) on
# every run; the comparison (apilint.model.drift.diff) loads only when a drift rule runs.
