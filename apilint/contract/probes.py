"""Gateway probes: requests whose answer API Gateway itself decides, checked against what it
answers by default or as the definition's gateway responses override
(docs/dev/gateway-facts.md#gateway-answers).
Each probe is its own check (catalog.PROBES); each resource or method is probed once."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from typing import Any

import requests

from apilint.catalog.contract_checks import CONTRACT_CHECKS
from apilint.contract.http import GuardedSession
from apilint.contract.observe import Observation, answer, reproduce
from apilint.contract.secrets import Credentials, Masker
from apilint.model.auth import key_source
from apilint.model.cors import cors_evidence, needs_preflight
from apilint.model.gateway import Api, Method, Resource
from apilint.model.requests import request_sites

ORIGIN = "https://apilint.invalid"
#: Gateway response types: (default status, default message). AWS: supported-gateway-response-types.
MAT = ("MISSING_AUTHENTICATION_TOKEN", 403, "Missing Authentication Token")
INVALID_API_KEY = ("INVALID_API_KEY", 403, "Forbidden")
UNAUTHORIZED = ("UNAUTHORIZED", 401, "Unauthorized")
BAD_REQUEST_BODY = ("BAD_REQUEST_BODY", 400, "Invalid request body")
_HTTP_NOT_FOUND = 404  # HTTP APIs: unmatched routes (second-hand: gateway-facts.md#gateway-answers)
_TRY_VERBS = ("DELETE", "PATCH", "PUT", "POST", "GET")
_WRONG_TYPE = {
    "object": [],
    "array": {},
    "string": 1,
    "integer": "apilint",
    "number": "apilint",
    "boolean": "apilint",
}


@dataclass
class Probe:
    api: Api
    session: GuardedSession
    base_url: str
    creds: Credentials
    sign: Any  # a requests auth for AWS_IAM methods, or None
    mask: Masker
    seed: int

    def send(
        self,
        verb: str,
        path: str,
        headers: dict[str, str],
        body: bytes | None = None,
        signed: bool = False,
    ) -> requests.Response | str:
        """The answer, or why there is none."""
        try:
            return self.session.request(
                verb,
                self.base_url + path,
                headers=headers,
                data=body,
                auth=self.sign if signed else None,
            )
        except requests.RequestException as exc:
            return self.mask(f"no answer ({type(exc).__name__}: {exc})")[:300]

    def signs(self, method: Method) -> bool:
        return self.sign is not None and "iam" in method.auth.kinds

    def call(
        self,
        method: Method,
        headers: dict[str, str],
        body: bytes | None = None,
        any_as: str = "PUT",
        signed: bool = True,
    ) -> requests.Response | str:
        """Send to `method` (an ANY method as `any_as`), SigV4-signed if `signed` and it takes
        IAM auth."""
        verb = any_as if method.verb == "ANY" else method.verb
        return self.send(
            verb, concrete(method.path), headers, body, signed=signed and self.signs(method)
        )

    def status(self, kind: tuple[str, int, str]) -> tuple[int, str]:
        """Status and message API Gateway answers for a gateway response type, with overrides."""
        for name, _, response in self.api.gateway_responses():
            code = response.value.get("statusCode")
            if name == kind[0] and str(code).isdigit():
                return int(code), "as the definition's gateway response sets"
        return kind[1], json.dumps({"message": kind[2]})


def run_probes(
    probe: Probe,
    report: Callable[[Observation], None],
    checks: Collection[str] = frozenset(CONTRACT_CHECKS),
) -> None:
    """Run the probes whose check is in `checks`; the others send nothing."""
    for check, fn in _PROBES.items():
        if check in checks:
            for observation in fn(probe):
                report(observation)


def _observe(
    probe: Probe,
    check: str,
    label: str,
    method: Method | None,
    resource: Resource | None,
    what: str,
    expected: str,
    got: requests.Response | str,
    request: requests.PreparedRequest | None = None,
) -> Observation:
    at = method.at if method is not None else (resource.at if resource is not None else None)
    if isinstance(got, str):
        return Observation(CONTRACT_CHECKS[check], label, at, what, expected, got, "")
    return Observation(
        CONTRACT_CHECKS[check],
        label,
        at,
        what,
        expected,
        answer(got, probe.mask),
        reproduce(request or got.request, probe.mask),
    )


def concrete(path: str) -> str:
    """A request path for a resource: `1` for each parameter, two segments for a greedy one."""
    return re.sub(r"\{[^{}]+\}", "1", re.sub(r"\{[^{}]+\+\}", "apilint/probe", path))


def _pattern(path: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^{}]+\})", path.rstrip("/") or "/")
    regex = "".join(
        ".+" if p.endswith("+}") else "[^/]+" if p.startswith("{") else re.escape(p) for p in parts
    )
    return re.compile(regex + "/?")


def _matching(api: Api, path: str) -> list[Resource]:
    return [r for r in api.resources.values() if r.methods and _pattern(r.path).fullmatch(path)]


def _verbs(resource: Resource) -> list[str]:
    return [v for v in resource.methods if v not in ("OPTIONS", "HEAD")]


def cors_preflight(probe: Probe) -> Iterator[Observation]:
    in_use = cors_evidence(probe.api) is not None
    for resource in probe.api.resources.values():
        verbs = _verbs(resource)
        if not verbs or not (
            "OPTIONS" in resource.methods
            or in_use
            and any(needs_preflight(m) for m in resource.methods.values())
        ):
            continue
        asked = "PUT" if verbs[0] == "ANY" else verbs[0]
        headers = {"Origin": ORIGIN, "Access-Control-Request-Method": asked}
        got = probe.send("OPTIONS", concrete(resource.path), headers)
        expected = (
            "2xx without credentials, with Access-Control-Allow-Origin, "
            f"Access-Control-Allow-Methods covering {', '.join(verbs)} and "
            "Access-Control-Allow-Headers"
        )
        problems = _preflight_problems(got, verbs)
        if problems:
            yield _observe(
                probe,
                "probe/cors-preflight",
                f"OPTIONS {resource.path}",
                resource.methods.get("OPTIONS"),
                resource,
                "the CORS preflight " + "; ".join(problems),
                expected,
                got,
            )


def _preflight_problems(got: requests.Response | str, verbs: list[str]) -> list[str]:
    if isinstance(got, str):
        return ["got no answer"]
    if not 200 <= got.status_code < 300:
        return [f"answered {got.status_code}"]
    problems = []
    missing = [
        h
        for h in (
            "Access-Control-Allow-Origin",
            "Access-Control-Allow-Methods",
            "Access-Control-Allow-Headers",
        )
        if h not in got.headers
    ]
    if missing:
        problems.append("lacks " + ", ".join(missing))
    allowed = {
        m.strip().upper() for m in got.headers.get("Access-Control-Allow-Methods", "").split(",")
    }
    uncovered = [v for v in verbs if v != "ANY" and v not in allowed and "*" not in allowed]
    if "Access-Control-Allow-Methods" in got.headers and uncovered:
        problems.append("does not allow " + ", ".join(uncovered))
    return problems


def _callable(resource_methods: list[Method]) -> Iterator[Method]:
    yield from (m for m in resource_methods if m.verb not in ("OPTIONS", "HEAD"))


def auth_required(probe: Probe) -> Iterator[Observation]:
    for method in _callable(probe.api.methods):
        if not method.auth.authenticated:
            continue
        iam_only = method.auth.kinds & {"lambda", "cognito", "jwt"} == set()
        status, message = probe.status(MAT if iam_only else UNAUTHORIZED)
        got = probe.call(method, probe.creds.request_headers(auth=False), signed=False)
        if isinstance(got, str) or got.status_code != status:
            yield _observe(
                probe,
                "probe/auth-required",
                method.label,
                method,
                None,
                "a request without credentials was not rejected as API Gateway does",
                f"{status} {message}",
                got,
            )


def api_key_required(probe: Probe) -> Iterator[Observation]:
    if key_source(probe.api)[1] == "AUTHORIZER":
        return  # the key comes from the authorizer, not from a header a probe can leave out
    status, message = probe.status(INVALID_API_KEY)
    for method in _callable(probe.api.methods):
        from_root = _root_promises_key(probe.api, method)
        if "api_key" not in method.auth.kinds and not from_root:
            continue
        got = probe.call(method, probe.creds.request_headers(api_key=False))
        # Without credentials for its authorizer the method answers 401 first: still a rejection.
        has_creds = (
            probe.signs(method)
            or probe.creds.bearer
            or any(k.lower() == "authorization" for k in probe.creds.headers)
        )
        accepted = {status} if has_creds or not method.auth.authenticated else {status, 401}
        if isinstance(got, str) or got.status_code not in accepted:
            why = "a request without an API key was not rejected" + (
                " (only the root-level `security` asks for the key, and REST APIs ignore it: "
                "repeat the requirement in the operation)"
                if from_root
                else ""
            )
            yield _observe(
                probe,
                "probe/api-key-required",
                method.label,
                method,
                None,
                why,
                f"{status} {message}",
                got,
            )


def _root_promises_key(api: Api, method: Method) -> bool:
    """The definition asks for an API key only through root-level `security`, which a REST API
    ignores (so the deployed method takes requests without one)."""
    root = api.ws.resolve(api.root_security)
    if (
        api.kind != "rest"
        or method.auth.source != "none"
        or root is None
        or not isinstance(root.value, list)
    ):
        return False
    return any(
        isinstance(req, dict)
        and any(getattr(api.schemes.get(name), "kind", None) == "api_key" for name in req)
        for req in root.value
    )


def _routing_answer(probe: Probe) -> tuple[int, str]:
    if probe.api.kind == "http":
        return _HTTP_NOT_FOUND, json.dumps({"message": "Not Found"})
    return probe.status(MAT)


def unknown_path(probe: Probe) -> Iterator[Observation]:
    candidates = [f"/apilint-probe-{probe.seed}", f"/apilint-probe-{probe.seed}/missing/route"]
    path = next((p for p in candidates if not _matching(probe.api, p)), None)
    if path is None:
        return  # a greedy resource at the root takes every path
    status, message = _routing_answer(probe)
    got = probe.send("GET", path, probe.creds.request_headers())
    if isinstance(got, str) or got.status_code != status:
        yield _observe(
            probe,
            "probe/unknown-path",
            f"GET {path}",
            None,
            None,
            "a path no resource matches reached something other than the gateway's routing answer",
            f"{status} {message}",
            got,
        )


def undeclared_method(probe: Probe) -> Iterator[Observation]:
    status, message = _routing_answer(probe)
    for resource in probe.api.resources.values():
        if not resource.methods or "ANY" in resource.methods:
            continue
        path = concrete(resource.path)
        if _matching(probe.api, path) != [resource]:
            continue  # another resource (a greedy one) could take the request
        verb = next((v for v in _TRY_VERBS if v not in resource.methods), None)
        if verb is None:
            continue
        got = probe.send(verb, path, probe.creds.request_headers())
        if isinstance(got, str) or got.status_code != status:
            yield _observe(
                probe,
                "probe/undeclared-method",
                f"{verb} {resource.path}",
                None,
                resource,
                f"{verb}, which {resource.path} does not declare, reached "
                "something other than the gateway's routing answer",
                f"{status} {message}",
                got,
            )


def request_validator(probe: Probe) -> Iterator[Observation]:
    api = probe.api
    status, message = probe.status(BAD_REQUEST_BODY)
    for method in _callable(api.methods):
        if not api.request_validation(method)[1]:
            continue
        media, invalid = _invalid_body(api, method)
        if media is None:
            continue
        headers = {**probe.creds.request_headers(), "Content-Type": media}
        got = probe.call(method, headers, json.dumps(invalid).encode(), any_as="POST")
        if isinstance(got, str) or got.status_code != status:
            yield _observe(
                probe,
                "probe/request-validator",
                method.label,
                method,
                None,
                f"a body that violates the model ({json.dumps(invalid)}) was not "
                "rejected by the request validator",
                f"{status} {message}",
                got,
            )


def _invalid_body(api: Api, method: Method) -> tuple[str | None, Any]:
    """A JSON media type the model covers and a value of the wrong type for its schema."""
    media = next((m for m in method.request_media_types if "json" in m.lower()), None)
    if media is None:
        return None, None
    # Swagger 2.0 lists the body schema once, for every media type ("").
    site = next((at for m, at in request_sites(api, method) if m in ("", media)), None)
    schema = api.ws.resolve(site)
    value = schema.value if schema is not None and isinstance(schema.value, dict) else {}
    kind = value.get("type")
    if kind is None and "properties" in value:
        kind = "object"
    return (
        (media, _WRONG_TYPE[kind])
        if isinstance(kind, str) and kind in _WRONG_TYPE
        else (None, None)
    )


_PROBES: dict[str, Callable[[Probe], Iterator[Observation]]] = {
    "probe/cors-preflight": cors_preflight,
    "probe/auth-required": auth_required,
    "probe/api-key-required": api_key_required,
    "probe/unknown-path": unknown_path,
    "probe/undeclared-method": undeclared_method,
    "probe/request-validator": request_validator,
}
