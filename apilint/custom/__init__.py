"""An organisation's own rules: declarative rule files (`given` + `then`), Python rules and rule
packs. They produce violations as built-in checks do, and the engine runs them alike."""

from __future__ import annotations

#: What the check names of custom rules start with (never a built-in check's name). Here, not in
#: the loader: the engine tells custom checks apart on every run, custom rules or not, and the
#: package is a cheap import where the loader is not.
CUSTOM_PREFIX = "custom:"
