"""The fixes the CORS checks share, as edits of the definition's original text: entries added
where `model.preflight` says they belong, and a static comma-separated list mapping value
(`'GET,OPTIONS'`) extended in place."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from apilint.document.edit import add_entries, make_fix, set_value
from apilint.document.refs import At
from apilint.model.preflight import Origin, extended_list, quoted

if TYPE_CHECKING:  # fixes are made only when computed (apilint.document.edit)
    from apilint.common.fixes import Applicability, Fix


def safety(origin: Origin) -> Applicability:
    """Allowing the origin the API already returns is what the author meant; an invented one
    decides who may call the API."""
    return "safe" if origin.known else "unsafe"


def additions_fix(
    title: str, applicability: Applicability, additions: list[tuple[At, dict[str, Any]]]
) -> Fix | None:
    """Add each (mapping, entries) pair; no fix unless every one can be made."""
    return make_fix(
        title,
        applicability,
        *(add_entries(at.doc, at.tokens, entries) for at, entries in additions),
    )


def extend_listed(site: At | None, listed: str, extra: list[str]) -> Fix | None:
    """Append `extra` to the static list `listed` that the mapping value at `site` holds."""
    if site is None:
        return None
    value = quoted(extended_list(listed, extra))
    return make_fix(f"Set it to {value}", "safe", set_value(site.doc, site.tokens, value))
