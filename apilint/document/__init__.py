"""Reading definitions: bytes → data with a source map, `$ref` resolution, version detection."""

from apilint.document.loader import load_document
from apilint.document.model import Document, NotAnApi

__all__ = ["Document", "NotAnApi", "load_document"]
