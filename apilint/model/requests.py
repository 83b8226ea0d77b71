"""Where a method's request and response bodies are described: the schema sites API Gateway
turns into models (Swagger 2.0 body parameters and `schema`, OpenAPI 3 `content`)."""

from __future__ import annotations

from collections.abc import Iterator

from apilint.document.refs import At
from apilint.model.gateway import Api, Method


def schemas_container(api: Api) -> At | None:
    """`definitions` (Swagger 2.0) or `components.schemas`: the named models."""
    if api.version == "2.0":
        return api.dict_child(api.root, "definitions")
    return api.dict_child(api.dict_child(api.root, "components"), "schemas")


def content_schemas(api: Api, holder: At | None) -> Iterator[tuple[str, At]]:
    """(media type, schema site) of an OAS 3 request body or response."""
    content = api.dict_child(holder, "content")
    for media_type in content.value if content is not None else ():
        entry = api.dict_child(content, media_type)
        site = entry.child("schema") if entry is not None else None
        if site is not None and isinstance(site.value, dict):
            yield media_type, site


def response_sites(api: Api, method: Method) -> Iterator[tuple[str, str, At]]:
    """(status, media type or "", schema site) of a method's responses."""
    responses = method.responses
    if responses is None or not isinstance(responses.value, dict):
        return
    for status in responses.value:
        response = api.dict_child(responses, status)
        if response is None:
            continue
        if api.version == "2.0":
            site = response.child("schema")
            if site is not None and isinstance(site.value, dict):
                yield str(status), "", site
        else:
            for media_type, site in content_schemas(api, response):
                yield str(status), media_type, site


def request_sites(api: Api, method: Method) -> Iterator[tuple[str, At]]:
    """(media type or "", schema site) of a method's request body."""
    if api.version == "2.0":
        for param in method.parameters:
            site = param.at.child("schema") if param.location == "body" else None
            if site is not None and isinstance(site.value, dict):
                yield "", site
        return
    yield from content_schemas(api, api.dict_child(method.at, "requestBody"))
