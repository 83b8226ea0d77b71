"""REST request validators (x-amazon-apigateway-request-validators / -request-validator).

"validateRequestParameters": required query string, header and path parameters must be
"included and non-blank" — not typed; "validateRequestBody": the body is checked against the
model (JSON Schema draft 4) of the request's content type, and "If no matching content type is
found, request validation is not performed" (api-gateway-method-request-validation.html).
Answers: 400 {"message": "Missing required request parameters: [q1]"} and
400 {"message": "Invalid request body"} (api-gateway-request-validation-test).
"""

from __future__ import annotations

import json
import threading
from typing import Any

from apilint.document.pointer import encode
from apilint.model.gateway import Api, Method
from apilint.serve.events import Call
from apilint.serve.responses import GatewayError


def _json_media(media: str) -> bool:
    return media == "application/json" or media.endswith("+json")


class RequestValidation:
    def __init__(self, api: Api) -> None:
        self.api = api
        self._compiled: dict[tuple[int, str], Any] = {}
        self._lock = threading.Lock()

    def check(self, call: Call, method: Method) -> None:
        params, body = self.api.request_validation(method)
        if params:
            missing = [
                p.name
                for p in method.parameters
                if p.value.get("required") is True
                and p.location in ("query", "header")
                and not self._present(call, p)
            ]
            if missing:
                raise GatewayError(
                    "BAD_REQUEST_PARAMETERS",
                    f"Missing required request parameters: [{', '.join(missing)}]",
                )
        if body:
            self._check_body(call, method)

    @staticmethod
    def _present(call: Call, param: Any) -> bool:
        if param.location == "header":
            value = call.request.header(param.name)
        else:
            value = call.request.query_value(param.name)
        return bool(value and value.strip())

    def _schema_pointer(self, method: Method, media: str) -> str | None:
        if self.api.version == "2.0":
            if media not in method.request_media_types:
                return None
            body = next((p for p in method.parameters if p.location == "body"), None)
            schema = body.at.child("schema") if body is not None else None
        else:
            request_body = self.api.dict_child(method.at, "requestBody")
            content = self.api.dict_child(request_body, "content")
            entry = self.api.dict_child(content, media)
            schema = entry.child("schema") if entry is not None else None
        schema = self.api.ws.resolve(schema) if schema is not None else None
        if schema is None or schema.doc is not self.api.doc:
            return None  # a model in another file: API Gateway cannot import those either
        return encode(schema.tokens)

    def _validator(self, method: Method, media: str) -> Any:
        key = (id(method), media)
        with self._lock:
            if key not in self._compiled:
                pointer = self._schema_pointer(method, media)
                self._compiled[key] = None if pointer is None else self._compile(pointer)
            return self._compiled[key]

    def _compile(self, pointer: str) -> Any:
        from jsonschema import Draft4Validator

        from apilint.common.validate import offline_registry

        # The whole document is the root so that "#/components/schemas/..." and
        # "#/definitions/..." resolve; draft 4 ignores the keys beside "$ref".
        root = dict(self.api.doc.data)
        root.pop("id", None)
        root["$ref"] = "#" + pointer
        return Draft4Validator(root, registry=offline_registry())  # never the network

    def _check_body(self, call: Call, method: Method) -> None:
        media = call.request.media_type or "application/json"
        if not _json_media(media):
            return
        validator = self._validator(method, media)
        if validator is None:
            return
        try:
            data = json.loads(call.request.body or b"null")
        except (ValueError, RecursionError):
            raise GatewayError("BAD_REQUEST_BODY", note="body is not JSON") from None
        error = next(iter(validator.iter_errors(data)), None)
        if error is not None:
            raise GatewayError(
                "BAD_REQUEST_BODY",
                note=f"{error.message} at /{'/'.join(map(str, error.absolute_path))}",
            )
