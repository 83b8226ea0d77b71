"""The copy of a definition that schemathesis fuzzes
(docs/dev/contract-facts.md#exports): one file, no host,
ANY expanded into concrete methods, greedy `{proxy+}` made an ordinary parameter, gateway
extensions stripped, OPTIONS left to the CORS probe. Each fuzzed operation maps back to the
method of the gateway model, so findings point at the definition the user wrote."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any

from apilint.common.errors import LoadError
from apilint.document.pointer import get
from apilint.document.refs import At, RefError, Workspace
from apilint.model.gateway import ANY_METHOD, Api, Method

#: What an ANY method is fuzzed as. HEAD has no body to check; OPTIONS is the preflight probe's.
ANY_AS = ("GET", "POST", "PUT", "DELETE", "PATCH")
_GREEDY = re.compile(r"\{([^{}]+)\+\}")
_GATEWAY = "x-amazon-apigateway-"
# Where the definition says where it is deployed: apilint test calls --base-url only.
_LOCATION_KEYS = ("host", "basePath", "schemes", "servers")


@dataclass
class Normalised:
    api: Api
    spec: dict[str, Any]
    #: (VERB, path as fuzzed) -> the method it tests.
    methods: dict[tuple[str, str], Method]


def normalise(api: Api) -> Normalised:
    spec = bundle(api.ws, api.root)
    if not isinstance(spec, dict):
        raise LoadError("the definition is not a mapping", api.doc.path)
    for key in list(spec):
        if key in _LOCATION_KEYS or key.startswith(_GATEWAY):
            del spec[key]
    paths: dict[str, Any] = {}
    methods: dict[tuple[str, str], Method] = {}
    for path, item in (spec.get("paths") or {}).items():
        resource = api.resources.get(path)
        if (
            not isinstance(path, str)
            or not path.startswith("/")
            or "$default" in path
            or not isinstance(item, dict)
            or resource is None
            or not resource.methods
        ):
            continue
        fuzzed_path = _GREEDY.sub(r"{\1}", path)
        new_item: dict[str, Any] = {}
        for key, value in item.items():
            if key == "parameters":
                new_item[key] = _plain_parameters(value)
            elif (
                key == "servers"
                or key.startswith(_GATEWAY)
                or key.lower() in ("options", "head", "trace")
            ):
                continue
            elif isinstance(value, dict) and key.upper() in resource.methods:
                new_item[key] = _operation(value)
                methods[(key.upper(), fuzzed_path)] = resource.methods[key.upper()]
        any_op = item.get(ANY_METHOD)
        if isinstance(any_op, dict) and "ANY" in resource.methods:
            for verb in ANY_AS:
                if verb.lower() not in new_item:
                    # bundle's copy is fresh; the verbs of one ANY method must not share it
                    new_item[verb.lower()] = copy.deepcopy(_operation(any_op))
                    methods[(verb, fuzzed_path)] = resource.methods["ANY"]
        if any(k != "parameters" for k in new_item):
            paths[fuzzed_path] = new_item
    spec["paths"] = paths
    return Normalised(api, spec, methods)


def _operation(op: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in op.items() if not k.startswith(_GATEWAY) and k != "servers"}
    if "parameters" in out:
        out["parameters"] = _plain_parameters(out["parameters"])
    return out


def _plain_parameters(params: Any) -> Any:
    """`proxy+` as a parameter name (some exports) becomes `proxy`, like the path template."""
    if not isinstance(params, list):
        return params
    out = []
    for param in params:
        if (
            isinstance(param, dict)
            and isinstance(param.get("name"), str)
            and param.get("in") == "path"
            and param["name"].endswith("+")
        ):
            param = {**param, "name": param["name"][:-1]}
        out.append(param)
    return out


#: Nodes that inlining other files' `$ref`s may copy in: each `$ref` is a full copy, so 9 levels
#: of 9 `$ref`s in another file would be 387 million (within one file they stay `$ref`s).
MAX_INLINED_NODES = 1_000_000


def bundle(ws: Workspace, at: At) -> Any:
    """A copy of `at`'s value with every `$ref` to another file inlined (schemathesis must not
    read files or fetch URLs on its own); `$ref`s within the root document stay."""
    return _inline(ws, at, (), [MAX_INLINED_NODES])


def _inline(
    ws: Workspace, at: At, stack: tuple[tuple[str, tuple[str, ...]], ...], budget: list[int]
) -> Any:
    if stack:  # copying another file's content
        budget[0] -= 1
        if budget[0] < 0:
            raise LoadError(
                f"$refs to other files expand to more than {MAX_INLINED_NODES:,} "
                "nodes when inlined for apilint test (a $ref bomb?)",
                ws.root.path,
            )
    value = at.value
    if isinstance(value, dict):
        ref = value.get("$ref")
        if isinstance(ref, str) and not (at.doc is ws.root and ref.startswith("#")):
            try:
                doc, tokens = ws.target(at.doc, ref)
                target = get(doc.data, tokens)
            except RefError as exc:
                raise LoadError(f"$ref {ref!r}: {exc.detail}", at.doc.path) from None
            except KeyError:
                raise LoadError(f"$ref {ref!r} points at nothing", at.doc.path) from None
            key = (str(doc.abspath), tokens)
            if key in stack:
                raise LoadError(
                    f"$ref {ref!r} is recursive across files; apilint test needs "
                    "it within one file",
                    at.doc.path,
                )
            return _inline(ws, At(doc, tokens, target), stack + (key,), budget)
        return {
            k: _inline(ws, At(at.doc, at.tokens + (str(k),), v), stack, budget)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [
            _inline(ws, At(at.doc, at.tokens + (str(i),), v), stack, budget)
            for i, v in enumerate(value)
        ]
    return value
