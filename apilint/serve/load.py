"""Reading the definition to serve: one API, as the linter models it."""

from __future__ import annotations

from apilint.document import NotAnApi
from apilint.document.loader import DEFAULT_MAX_BYTES, load_definitions
from apilint.engine import Settings, build_model
from apilint.errors import ApilintError, LoadError, UsageError
from apilint.model.gateway import Api


def load_api(path: str) -> Api:
    """The gateway model of the definition in `path` (a definition file, or a template holding
    exactly one API); every problem is an ApilintError with a one-line message."""
    try:
        loaded = load_definitions(path, path, DEFAULT_MAX_BYTES)
        if isinstance(loaded, NotAnApi):
            raise LoadError(loaded.reason, path)
        if not loaded.docs:
            raise LoadError(loaded.skip_reason(), path)
        if len(loaded.docs) > 1:
            labels = ", ".join(d.label or d.path for d in loaded.docs)
            raise UsageError(f"holds {len(loaded.docs)} APIs ({labels}); serve one definition "
                             "at a time (give its own file)", path)
        return build_model(loaded.docs[0], Settings())
    except ApilintError:
        raise
    except RecursionError:
        raise LoadError("the document is nested too deeply to process", path) from None
    except Exception as exc:  # noqa: BLE001 - never a traceback for a definition we cannot read
        raise LoadError(f"cannot read the definition ({type(exc).__name__}: {exc})",
                        path) from None
