"""SigV4 signing for methods with AWS_IAM authorization (`--sigv4`), with botocore's own signer
and credential chain. schemathesis cannot sign (docs/dev/contract-facts.md#exports): the
signature must cover the final serialised body, so it is applied as a requests auth hook after
the request is built.
"""

from __future__ import annotations

import re
from typing import Any

import requests

from apilint.common.errors import UsageError

_REGION = re.compile(r"\.execute-api\.([a-z0-9-]+)\.amazonaws\.com", re.IGNORECASE)


def region_of(base_url: str, explicit: str | None) -> str:
    if explicit:
        return explicit
    found = _REGION.search(base_url)
    if found:
        return found.group(1)
    import botocore.session

    region = botocore.session.Session().get_config_variable("region")
    if not region:
        raise UsageError("--sigv4 needs a Region: --region, AWS_REGION, or an execute-api URL")
    return str(region)


class SigV4(requests.auth.AuthBase):
    """Signs each request for `execute-api` in `region` with the default credential chain."""

    def __init__(self, region: str) -> None:
        import botocore.session

        credentials = botocore.session.Session().get_credentials()
        if credentials is None:
            raise UsageError(
                "--sigv4: no AWS credentials found (environment, profile or instance role)"
            )
        self.credentials = credentials
        self.region = region

    def secrets(self) -> list[str | None]:
        frozen = self.credentials.get_frozen_credentials()
        return [frozen.secret_key, frozen.token, frozen.access_key]

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        from botocore.auth import SigV4Auth
        from botocore.awsrequest import AWSRequest

        headers: dict[str, Any] = {
            k: v
            for k, v in request.headers.items()
            if k.lower() not in ("authorization", "x-amz-date", "x-amz-security-token")
        }
        aws = AWSRequest(
            method=request.method, url=request.url, data=request.body or b"", headers=headers
        )
        SigV4Auth(self.credentials.get_frozen_credentials(), "execute-api", self.region).add_auth(
            aws
        )
        for name in ("Authorization", "X-Amz-Date", "X-Amz-Security-Token", "X-Amz-Content-SHA256"):
            if name in aws.headers:
                request.headers[name] = aws.headers[name]
        return request
