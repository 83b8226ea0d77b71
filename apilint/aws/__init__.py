"""Read-only AWS look-ups (Lambda functions and policies, API exports). Imported only by
`lint --aws`, `export` and `audit`: plain linting never loads boto3 or touches the network.

Credentials come from boto3's standard chain (environment, shared config/SSO, instance role)
and are never printed: messages name the profile and region, not keys.
"""

from __future__ import annotations

import re
from typing import Any

from apilint.common.errors import UsageError

#: Bounded concurrency of look-ups (Lambda's control plane throttles at ~15 requests/s).
WORKERS = 8


def session(region: str | None, profile: str | None) -> Any:
    """A boto3 session that has credentials, or a UsageError saying what to do."""
    try:
        import boto3
        import botocore.exceptions as bx
    except ImportError:
        raise UsageError("this needs boto3: pip install 'apilint[aws]'") from None
    try:
        made = boto3.Session(region_name=region, profile_name=profile)
    except bx.ProfileNotFound:
        raise UsageError(f"--profile {profile}: no such AWS profile in the shared config") from None
    if made.region_name is None:
        raise UsageError("no AWS region: pass --region or set AWS_REGION / a profile region")
    try:
        credentials = made.get_credentials()
    except bx.BotoCoreError as exc:
        raise UsageError(f"cannot load AWS credentials: {exc}") from None
    if credentials is None:
        raise UsageError(
            "no AWS credentials found (environment, shared config, SSO or "
            "instance role); configure them or drop --aws"
        )
    return made


def client(made: Any, service: str, region: str | None = None) -> Any:
    from botocore.config import Config

    # Standard retries back off on throttling; a short connect timeout keeps a wrong endpoint
    # from hanging a CI job.
    config = Config(
        retries={"mode": "standard", "max_attempts": 4},
        connect_timeout=10,
        read_timeout=30,
        max_pool_connections=WORKERS,
    )
    return made.client(service, region_name=region or made.region_name, config=config)


def error_code(exc: BaseException) -> str:
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        return str(response.get("Error", {}).get("Code", ""))
    return ""


def describe(exc: BaseException) -> str:
    """One line about a failed call, without request ids or signatures."""
    code = error_code(exc)
    if code:
        message = exc.response.get("Error", {}).get("Message", "")  # type: ignore[attr-defined]
        text = f"{code}: {message}".rstrip(": ")
    else:
        text = f"{type(exc).__name__}: {exc}"
    text = " ".join(re.sub(r"<[^>]*>", " ", text).split())  # an HTML error page, on one line
    return text if len(text) <= 200 else text[:197] + "..."
