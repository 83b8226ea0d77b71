"""The copy of a definition that schemathesis fuzzes (apilint.contract.normalize)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from helpers import FIXTURES

from apilint.common.errors import LoadError
from apilint.contract.normalize import normalise
from apilint.document.loader import load_document
from apilint.engine.run import Settings, build_model

OAS3_EXPORT = {
    "openapi": "3.0.1",
    "info": {"title": "proxy", "version": "1"},
    "servers": [
        {
            "url": "https://abc.execute-api.eu-west-1.amazonaws.com/{basePath}",
            "variables": {"basePath": {"default": "/prod"}},
        }
    ],
    "x-amazon-apigateway-binary-media-types": ["*/*"],
    "paths": {
        "/{proxy+}": {
            "options": {"responses": {"200": {"description": "cors"}}},
            "x-amazon-apigateway-any-method": {
                "parameters": [
                    {"name": "proxy+", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {},
                "x-amazon-apigateway-integration": {
                    "type": "aws_proxy",
                    "httpMethod": "POST",
                    "uri": "arn:aws:apigateway:x",
                },
            },
        },
        "/pets": {
            "get": {
                "responses": {"200": {"description": "ok"}},
                "servers": [{"url": "https://elsewhere.example.com"}],
            }
        },
        "/pets/{id}": {
            "put": {
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
                ],
                "responses": {"200": {"$ref": "pet.yaml#/ok"}},
            }
        },
    },
}


def _normalised(tmp_path: Path, data: dict):
    (tmp_path / "pet.yaml").write_text(
        "ok: {description: a pet, content: {application/json: "
        "{schema: {$ref: '#/Pet'}}}}\nPet: {type: object}\n"
    )
    path = tmp_path / "api.yaml"
    path.write_text(yaml.safe_dump(data))
    return normalise(build_model(load_document(path), Settings()))


def test_any_is_expanded_proxy_made_plain_and_gateway_parts_dropped(tmp_path: Path) -> None:
    n = _normalised(tmp_path, OAS3_EXPORT)
    assert {(v, p): m.label for (v, p), m in n.methods.items()} == {
        **{(v, "/{proxy}"): "ANY /{proxy+}" for v in ("GET", "POST", "PUT", "DELETE", "PATCH")},
        ("GET", "/pets"): "GET /pets",
        ("PUT", "/pets/{id}"): "PUT /pets/{id}",
    }
    assert "servers" not in n.spec and "x-amazon-apigateway-binary-media-types" not in n.spec
    proxy = n.spec["paths"]["/{proxy}"]
    assert "options" not in proxy
    assert proxy["patch"]["parameters"][0]["name"] == "proxy"
    assert proxy["get"]["parameters"][0] is not proxy["patch"]["parameters"][0]  # not shared
    assert "x-amazon-apigateway-integration" not in proxy["get"]
    assert "servers" not in n.spec["paths"]["/pets"]["get"]
    # a $ref to another file is inlined (with that file's own refs); schemathesis reads no file
    assert n.spec["paths"]["/pets/{id}"]["put"]["responses"]["200"] == {
        "description": "a pet",
        "content": {"application/json": {"schema": {"type": "object"}}},
    }


def test_swagger_export_loses_its_host_and_keeps_local_refs() -> None:
    n = normalise(build_model(load_document(FIXTURES / "contract" / "pets.yaml"), Settings()))
    assert not {"host", "basePath", "schemes"} & set(n.spec)
    assert n.spec["paths"]["/pets/{petId}"]["get"]["responses"]["200"]["schema"] == {
        "$ref": "#/definitions/Pet"
    }
    assert sorted(f"{v} {p}" for v, p in n.methods) == [
        "DELETE /files/{proxy}",
        "DELETE /pets/{petId}",
        "GET /files/{proxy}",
        "GET /orders",
        "GET /pets",
        "GET /pets/{petId}",
        "GET /stats",
        "PATCH /files/{proxy}",
        "POST /files/{proxy}",
        "POST /pets",
        "PUT /files/{proxy}",
    ]


@pytest.mark.parametrize(
    "ref, says",
    [
        pytest.param("https://example.com/pet.yaml#/ok", "remote reference", id="remote"),
        pytest.param("missing.yaml#/ok", "cannot load", id="missing-file"),
    ],
)
def test_refs_it_cannot_inline_are_load_errors(tmp_path: Path, ref: str, says: str) -> None:
    data = yaml.safe_load(yaml.safe_dump(OAS3_EXPORT))
    data["paths"]["/pets/{id}"]["put"]["responses"]["200"] = {"$ref": ref}
    with pytest.raises(LoadError, match=says):
        _normalised(tmp_path, data)
