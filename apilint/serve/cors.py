"""HTTP API managed CORS (x-amazon-apigateway-cors): "API Gateway automatically sends a response
to preflight OPTIONS requests, even if there isn't an OPTIONS route configured", adds the
configured headers to integration responses and "ignores CORS headers returned from your
backend integration" (http-api-cors.html). REST APIs have no managed CORS: their preflights are
OPTIONS methods (mock integrations) served like any other method."""

from __future__ import annotations

from typing import Any

from apilint.model.cors import http_cors
from apilint.model.gateway import Api
from apilint.serve.messages import Request, Response


def _joined(value: Any) -> str | None:
    if isinstance(value, list) and value:
        return ",".join(str(v) for v in value)
    return None


class HttpCors:
    def __init__(self, api: Api) -> None:
        at = http_cors(api) if api.kind == "http" else None
        self.config: dict[str, Any] | None = at.value if at is not None else None

    def _origin(self, request: Request) -> str | None:
        """The Access-Control-Allow-Origin value for this request, or None."""
        origin = request.header("origin")
        allowed = self.config.get("allowOrigins") if self.config else None
        if origin is None or not isinstance(allowed, list):
            return None
        if origin in allowed:
            return origin
        return "*" if "*" in allowed else None

    def preflight(self, request: Request) -> Response | None:
        if (
            self.config is None
            or request.method != "OPTIONS"
            or request.header("access-control-request-method") is None
        ):
            return None
        response = Response(204, integration="cors")
        origin = self._origin(request)
        if origin is not None:
            response.headers.append(("Access-Control-Allow-Origin", origin))
            for key, header in (
                ("allowMethods", "Access-Control-Allow-Methods"),
                ("allowHeaders", "Access-Control-Allow-Headers"),
            ):
                value = _joined(self.config.get(key))
                if value:
                    response.headers.append((header, value))
            if self.config.get("maxAge") is not None:
                response.headers.append(("Access-Control-Max-Age", str(self.config["maxAge"])))
            self._credentials(response)
        return response

    def decorate(self, request: Request, response: Response) -> None:
        if self.config is None:
            return
        response.headers = [
            (k, v) for k, v in response.headers if not k.lower().startswith("access-control-")
        ]
        origin = self._origin(request)
        if origin is None:
            return
        response.headers.append(("Access-Control-Allow-Origin", origin))
        exposed = _joined(self.config.get("exposeHeaders"))
        if exposed:
            response.headers.append(("Access-Control-Expose-Headers", exposed))
        self._credentials(response)

    def _credentials(self, response: Response) -> None:
        if self.config and self.config.get("allowCredentials") is True:
            response.headers.append(("Access-Control-Allow-Credentials", "true"))
