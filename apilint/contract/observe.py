"""What a fuzz check or a probe saw go wrong, before it becomes a Finding."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import requests

from apilint.catalog.contract_checks import ContractCheck
from apilint.common.text import printable
from apilint.contract.http import cut_at
from apilint.contract.secrets import Masker, curl
from apilint.document.refs import At

_BODY_SHOWN = 160


@dataclass
class Observation:
    check: ContractCheck
    operation: str  # `VERB /path` as the definition writes it
    at: At | None  # where the definition says what was tested (None: the document root)
    what: str  # one phrase: what went wrong
    expected: str
    got: str
    curl: str
    count: int = 1  # how many requests showed it

    @property
    def key(self) -> tuple[str, str]:
        return self.check.id, self.operation


def answer(response: requests.Response | Any, mask: Masker) -> str:
    """`403 {"message":"Forbidden"} (x-amzn-ErrorType: ForbiddenException)`, shortened. The
    body is masked before it is cut, so a secret the server echoes across the cut cannot show
    in part; control characters are escaped (a CR or ESC would rewrite the reader's terminal)."""
    content = response.content or b""
    # Only the part that can show is masked (masking 10 MB took seconds): a secret that starts
    # within the shown part ends within `mask.reach` characters of it.
    window = _BODY_SHOWN + mask.reach
    head = content[: 4 * window].decode("utf-8", "replace")  # 4: the longest UTF-8 character
    body = printable(mask(head[:window]).replace("\n", " "))
    text = f"{response.status_code} {body[:_BODY_SHOWN]}".rstrip()
    if len(body) > _BODY_SHOWN or len(head) > window or len(content) > 4 * window:
        text += "..."
    bound = cut_at(response)
    if bound is not None:
        text += f" [cut after {bound:,} bytes]"
    error_type = response.headers.get("x-amzn-ErrorType")
    return f"{text} (x-amzn-ErrorType: {printable(error_type)})" if error_type else text


def reproduce(request: requests.PreparedRequest, mask: Masker) -> str:
    return curl(request.method or "GET", request.url or "", request.headers, request.body, mask)


def merge(found: list[Observation], new: Observation) -> None:
    """One observation per (check, operation): the first request that showed it, and a count."""
    for seen in found:
        if seen.key == new.key:
            seen.count += new.count
            return
    found.append(new)
