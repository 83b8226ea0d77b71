"""The seeded-bug app through `apilint serve`: fixtures/serve/seeded serves each contract bug as
the real gateway would, fixtures/serve/correct (its twin) does not. `apilint test --serve` runs
over both; these plain HTTP checks pin what it must find."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from jsonschema import Draft4Validator
from test_serve_support import KEY, SERVE, call, served

KEYED = {"x-api-key": KEY}
PET = {
    "type": "object",
    "required": ["id", "name", "price"],
    "properties": {
        "id": {"type": "integer"},
        "name": {"type": "string"},
        "price": {"type": "number"},
    },
}


@pytest.fixture(scope="module", params=["seeded", "correct"])
def app(request: pytest.FixtureRequest) -> Iterator[tuple[str, str]]:
    name = request.param
    with served(f"{name}/api.yaml", SERVE / name / "handlers.py", api_keys=(KEY,)) as url:
        yield name, url


def test_server_error_on_some_input(app: tuple[str, str]) -> None:
    name, url = app
    reply = call(url, "GET", "/pets?limit=0", headers=KEYED)
    if name == "seeded":
        assert (reply.status, reply.json()) == (500, {"message": "division by zero"})
    else:
        assert (reply.status, reply.json()) == (200, [])


def test_response_against_its_schema(app: tuple[str, str]) -> None:
    name, url = app
    reply = call(url, "GET", "/pets/1", headers=KEYED)
    assert reply.status == 200
    errors = [e.message for e in Draft4Validator(PET).iter_errors(reply.json())]
    assert errors == (["'12.5' is not of type 'number'"] if name == "seeded" else [])


def test_preflight_allow_origin(app: tuple[str, str]) -> None:
    name, url = app
    reply = call(
        url,
        "OPTIONS",
        "/pets",
        headers={"Origin": "https://app.example", "Access-Control-Request-Method": "POST"},
    )
    assert reply.status == 200
    assert reply.header("Access-Control-Allow-Methods") is not None
    assert reply.header("Access-Control-Allow-Origin") == (None if name == "seeded" else "*")


def test_root_security_is_not_enforced_by_the_gateway(app: tuple[str, str]) -> None:
    name, url = app
    reply = call(url, "DELETE", "/pets/1")  # no API key
    if name == "seeded":
        assert (reply.status, reply.body) == (204, b"")
    else:
        assert (reply.status, reply.body) == (403, b'{"message":"Forbidden"}')


def test_undocumented_status(app: tuple[str, str]) -> None:
    name, url = app
    reply = call(
        url,
        "POST",
        "/pets",
        headers={**KEYED, "Content-Type": "application/json"},
        body=b'{"name": "Kit", "price": 2}',
    )
    assert reply.status == (201 if name == "seeded" else 200)
    assert reply.json() == {"id": 3, "name": "Kit", "price": 2}


@pytest.mark.parametrize(
    "method, path, headers, body, status",
    [
        pytest.param("GET", "/pets", {}, None, 403, id="key-required"),
        pytest.param(
            "POST",
            "/pets",
            {**KEYED, "Content-Type": "application/json"},
            b'{"price": -1}',
            400,
            id="validator",
        ),
        pytest.param("GET", "/pets?limit=abc", KEYED, None, 400, id="handler-validates-types"),
        pytest.param("GET", "/pets/9", KEYED, None, 404, id="not-found"),
        pytest.param("PUT", "/pets", KEYED, None, 403, id="undeclared-method"),
    ],
)
def test_shared_gateway_behaviour(
    app: tuple[str, str],
    method: str,
    path: str,
    headers: dict[str, str],
    body: bytes | None,
    status: int,
) -> None:
    assert call(app[1], method, path, headers=headers, body=body).status == status
