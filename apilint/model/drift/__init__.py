"""Drift: does a stage run what the definition says? Compares the gateway models of a
definition and of a stage's export (`apilint drift`)."""

from apilint.model.drift.diff import compare
from apilint.model.drift.difference import Difference

__all__ = ["Difference", "compare"]
