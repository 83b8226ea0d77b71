"""What `apilint serve` (and `apilint.serve.running`) is asked to emulate."""

from __future__ import annotations

from dataclasses import dataclass, field

#: "Payload size 10 MB, not adjustable" (REST and HTTP API quota tables).
MAX_BODY_BYTES = 10 * 1024 * 1024
#: "Total combined size of all header values 10,240 bytes" (REST quota table).
MAX_HEADER_BYTES = 10240
DEFAULT_REST_STAGE = "prod"
#: HTTP APIs' `$default` stage is served from the base of the URL, without a prefix.
HTTP_DEFAULT_STAGE = "$default"


@dataclass(frozen=True)
class ServeConfig:
    stage: str | None = None  # None: "prod" for a REST API, "$default" for an HTTP API
    api_keys: tuple[str, ...] = ()  # the keys a usage plan of the stage would accept
    stage_vars: dict[str, str] = field(default_factory=dict)
    jwt_keys: tuple[str, ...] = ()  # PEM public keys or JWKS files for Cognito/JWT authorizers
    max_body_bytes: int = MAX_BODY_BYTES
    max_header_bytes: int = MAX_HEADER_BYTES

    def stage_for(self, kind: str) -> str:
        if self.stage:
            return self.stage
        return DEFAULT_REST_STAGE if kind == "rest" else HTTP_DEFAULT_STAGE
