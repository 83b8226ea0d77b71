"""YAML → plain JSON-model data with a source map: the rapidyaml fast path when it reads the
text exactly as YAML 1.1 does, else libyaml (apilint.document.libyaml_loader), which also
handles CloudFormation short-form tags, anchors and duplicate keys. PyYAML is imported only when
the fast path declines: most definitions never need it."""

from __future__ import annotations

import os
from typing import Any

from apilint.document.model import KeyIssue


def load_yaml(text: str, path: str, raw: bytes | None = None) -> tuple[Any, Any, list[KeyIssue]]:
    """(data, locator, issues); `raw`: the text's UTF-8 bytes, when read. APILINT_YAML=libyaml
    forces the libyaml path."""
    if os.environ.get("APILINT_YAML") != "libyaml":
        from apilint.document.ryml_loader import load_fast

        fast = load_fast(text, raw)
        if fast is not None:
            return fast[0], fast[1], []
    from apilint.document.libyaml_loader import load_libyaml

    return load_libyaml(text, path)
