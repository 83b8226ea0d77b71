"""Remote `$ref`s, fetched only with `--allow-remote-refs`: http(s) only, bounded in size and
time, each URL once per run. Without the flag apilint never opens a connection while linting.

The flag exists on the command line only, never in a configuration file: a configuration file
arrives with the pull request being linted, and must not be able to make CI fetch URLs.
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from apilint.errors import LoadError
from apilint.files import read_at_most

TIMEOUT_SECONDS = 10
_SCHEMES = ("http", "https")


def fetch(url: str, max_bytes: int) -> str:
    """The text at `url`, or a LoadError naming the URL and what went wrong."""
    import urllib.error
    import urllib.request

    if urlsplit(url).scheme.lower() not in _SCHEMES:
        raise LoadError(f"only http and https URLs are fetched, not {urlsplit(url).scheme}:", url)
    request = urllib.request.Request(url, headers={"User-Agent": "apilint",
                                                   "Accept": "application/json, application/yaml, */*"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:  # noqa: S310
            final = answer.geturl()
            if urlsplit(final).scheme.lower() not in _SCHEMES:
                raise LoadError(f"redirected to a non-http URL {final!r}", url)
            raw = read_at_most(answer, max_bytes + 1)
    except urllib.error.HTTPError as exc:
        raise LoadError(f"the server answered {exc.code} {exc.reason}", url) from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise LoadError(f"cannot fetch: {reason}", url) from None
    if len(raw) > max_bytes:
        raise LoadError(f"over the {max_bytes:,}-byte limit (--max-file-size raises it)", url)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LoadError(f"not UTF-8 text (byte 0x{raw[exc.start]:02x})", url) from None


def stand_in_path(url: str) -> Path:
    """A path no file has, naming a fetched document where a Path is wanted (keys, caches)."""
    digest = hashlib.sha256(url.encode()).hexdigest()[:16]
    name = Path(urlsplit(url).path).name or "document"
    return Path(tempfile.gettempdir()) / "apilint-remote" / digest / name
