"""Cognito user pool (REST) and JWT (HTTP) authorizers, against keys the user provides
(--jwt-key: PEM public keys or JWKS files) instead of the issuer's JWKS endpoint: the emulator
never contacts the network. PyJWT (the `serve` extra) is imported only here.

REST Cognito: the token's `iss` must be one of the user pools in providerARNs; with OAuth
scopes on the method an access token carrying one of them is required, else an ID token will
do (apigateway-enable-cognito-user-pool.html). HTTP JWT: `iss` must equal jwtConfiguration.issuer,
`aud` (or an access token's `client_id`) one of the audiences; "If the token doesn't include
any of the route's scopes, API Gateway returns 403" (http-api-jwt-authorizer.html).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from apilint.common.errors import UsageError
from apilint.model.gateway import SecurityScheme
from apilint.serve import identity
from apilint.serve.events import Call
from apilint.serve.responses import GatewayError, NotEmulated

_ALGORITHMS = ["RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256"]


@lru_cache(maxsize=8)
def load_keys(paths: tuple[str, ...]) -> list[Any]:
    """Public keys from PEM files and JWKS documents; a bad file is a UsageError."""
    try:
        import jwt
    except ImportError:
        raise UsageError("--jwt-key needs PyJWT: pip install 'apilint[serve]'") from None
    keys: list[Any] = []
    for path in paths:
        try:
            text = Path(path).read_text(encoding="utf-8")
            if text.lstrip().startswith("{"):
                data = json.loads(text)
                for jwk in data.get("keys", [data]):
                    keys.append(jwt.PyJWK(jwk).key)
            else:
                from cryptography.hazmat.primitives.serialization import load_pem_public_key

                keys.append(load_pem_public_key(text.encode()))
        except (OSError, ValueError, TypeError, KeyError, jwt.PyJWKError) as exc:
            raise UsageError(f"--jwt-key {path}: not a PEM public key or JWKS ({exc})") from None
    return keys


def _issuers(scheme: SecurityScheme, config: dict[str, Any], rest: bool) -> list[str]:
    if not rest:
        jwt_config = config.get("jwtConfiguration") or {}
        return [str(jwt_config.get("issuer", ""))]
    out = []
    for arn in config.get("providerARNs") or []:
        # arn:aws:cognito-idp:REGION:ACCOUNT:userpool/POOL_ID
        parts = str(arn).split(":")
        if len(parts) == 6 and parts[5].startswith("userpool/"):
            out.append(f"https://cognito-idp.{parts[3]}.amazonaws.com/{parts[5][9:]}")
    return out


def authorize_jwt(
    call: Call,
    scheme: SecurityScheme,
    config: dict[str, Any],
    required_scopes: list[str],
    key_paths: tuple[str, ...],
    rest: bool,
) -> dict[str, Any]:
    """The requestContext.authorizer block for a valid token; GatewayError otherwise."""
    if rest:
        source = config.get("identitySource") or f"method.request.header.{scheme.header}"
    else:
        source = config.get("identitySource") or "$request.header.Authorization"
    found = identity.values(identity.sources(source), call)
    if not found:
        raise GatewayError("UNAUTHORIZED", note="no token")
    if not key_paths:
        raise NotEmulated(f"{scheme.kind} authorizer {scheme.name!r} without --jwt-key")
    import jwt

    token = found[0]
    if token.lower().startswith("bearer "):
        token = token[7:].strip()
    claims = None
    for key in load_keys(key_paths):
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=_ALGORITHMS,
                options={"verify_aud": False, "require": ["exp", "iss"]},
            )
            break
        except jwt.InvalidSignatureError:
            continue
        except jwt.PyJWTError as exc:
            raise GatewayError("UNAUTHORIZED", note=f"JWT rejected: {exc}") from None
    if claims is None:
        raise GatewayError("UNAUTHORIZED", note="JWT signature matches none of the --jwt-key keys")
    if claims.get("iss") not in _issuers(scheme, config, rest):
        raise GatewayError("UNAUTHORIZED", note=f"JWT issuer {claims.get('iss')!r} not accepted")
    granted = str(claims.get("scope") or claims.get("scp") or "").split()
    if not rest:
        audiences = (config.get("jwtConfiguration") or {}).get("audience") or []
        aud = claims.get("aud", claims.get("client_id"))
        if not set(aud if isinstance(aud, list) else [aud]) & set(map(str, audiences)):
            raise GatewayError("UNAUTHORIZED", note=f"JWT audience {aud!r} not accepted")
        if required_scopes and not set(granted) & set(required_scopes):
            raise GatewayError("ACCESS_DENIED", note="JWT lacks the route's scopes")
        return {"jwt": {"claims": claims, "scopes": granted or None}}
    if required_scopes and not set(granted) & set(required_scopes):
        raise GatewayError("UNAUTHORIZED", note="access token lacks the method's scopes")
    return {"claims": {k: v if isinstance(v, str) else json.dumps(v) for k, v in claims.items()}}
