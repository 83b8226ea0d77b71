"""Reading definitions: bytes → data with a source map, `$ref` resolution, version detection."""

from apilint.document.model import Document, NotAnApi
from apilint.document.loader import load_document

__all__ = ["Document", "NotAnApi", "load_document"]
