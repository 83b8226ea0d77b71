"""The custom-rule functions behave as Spectral's (@stoplight/spectral-functions 1.11)."""

from __future__ import annotations

from typing import Any

import pytest

from apilint.custom.functions import MISSING, Context, Problem, apply, options_problem

CTX = Context()


def messages(name: str, value: Any, options: Any = None) -> list[str]:
    return [p.message for p in apply(name, value, options, CTX)]


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        pytest.param({}, True, id="empty-object-is-truthy-in-js"),
        pytest.param([], True, id="empty-array-is-truthy-in-js"),
        pytest.param("x", True, id="string"),
        pytest.param(0, False, id="zero"),
        pytest.param("", False, id="empty-string"),
        pytest.param(None, False, id="null"),
        pytest.param(False, False, id="false"),
        pytest.param(MISSING, False, id="missing"),
        pytest.param(float("nan"), False, id="nan"),
    ],
)
def test_truthy_and_falsy_follow_javascript(value: Any, ok: bool) -> None:
    assert (messages("truthy", value) == []) is ok
    assert (messages("falsy", value) == []) is (not ok)


def test_defined_and_undefined_only_look_at_presence() -> None:
    assert messages("defined", None) == []
    assert messages("defined", MISSING) == ['#{{print("property")}}must be defined']
    assert messages("undefined", MISSING) == []
    assert messages("undefined", 0) == ['#{{print("property")}}must be undefined']


def test_pattern_reads_js_regex_literals_and_skips_non_strings() -> None:
    assert messages("pattern", "Stoplight", {"match": "/^stop/i"}) == []
    assert messages("pattern", "http://x", {"notMatch": "^http://"}) == [
        '#{{print("value")}} must not match the pattern "^http://"'
    ]
    assert messages("pattern", "x", {"match": "^y", "notMatch": "x"}) == [
        '#{{print("value")}} must match the pattern "^y"',
        '#{{print("value")}} must not match the pattern "x"',
    ]
    assert messages("pattern", 5, {"match": "^y"}) == []  # input type not taken: skipped


def test_enumeration_is_strict_equality() -> None:
    assert messages("enumeration", 1, {"values": [1, "a"]}) == []
    assert messages("enumeration", True, {"values": [1]}) == [
        '#{{print("value")}} must be equal to one of the allowed values: 1'
    ]


def test_length_counts_keys_items_characters_and_numbers() -> None:
    assert messages("length", {"a": 1}, {"min": 2}) == [
        '#{{print("property")}}must be longer than 2'
    ]
    assert messages("length", [1, 2, 3], {"max": 2}) == [
        '#{{print("property")}}must be shorter than 2'
    ]
    assert messages("length", "abc", {"min": 1, "max": 3}) == []
    assert messages("length", 7, {"max": 5}) == ['#{{print("property")}}must be shorter than 5']


@pytest.mark.parametrize(
    ("kind", "good", "bad"),
    [
        ("flat", "foo1", "fooBar"),
        ("camel", "fooBar1", "FooBar"),
        ("pascal", "FooBar", "fooBar"),
        ("kebab", "foo-bar", "foo_bar"),
        ("cobol", "FOO-BAR", "Foo-Bar"),
        ("snake", "foo_bar", "foo-bar"),
        ("macro", "FOO_BAR", "foo_bar"),
    ],
)
def test_casing(kind: str, good: str, bad: str) -> None:
    assert messages("casing", good, {"type": kind}) == []
    assert messages("casing", bad, {"type": kind}) == [f"must be {kind} case"]


def test_casing_options() -> None:
    assert messages("casing", "foo1", {"type": "flat", "disallowDigits": True}) == [
        "must be flat case"
    ]
    sep = {"type": "kebab", "separator": {"char": "/", "allowLeading": True}}
    assert messages("casing", "/foo-bar/baz", sep) == []
    assert messages("casing", "/", sep) == []
    assert messages("casing", "/Foo", sep) == ["must be kebab case"]
    assert messages("casing", "", {"type": "flat"}) == []  # minLength 1: not taken


def test_alphabetical_points_at_the_first_unsorted_item() -> None:
    assert apply("alphabetical", ["a", "c", "b"], None, CTX) == [
        Problem('"c" must be placed after "b"', (1,))
    ]
    assert apply("alphabetical", {"b": 1, "a": 2}, None, CTX) == [
        Problem('"b" must be placed after "a"', ("b",))
    ]
    assert apply("alphabetical", [{"n": "b"}, {"n": "a"}], {"keyedBy": "n"}, CTX) == [
        Problem("properties must follow the alphabetical order")
    ]
    assert messages("alphabetical", ["a", "B", "c"]) == []  # locale order, not code points


def test_schema_reports_paths_below_the_value() -> None:
    problems = apply(
        "schema",
        {"a": {"b": "x"}},
        {"schema": {"properties": {"a": {"properties": {"b": {"type": "integer"}}}}}},
        CTX,
    )
    assert [p.path for p in problems] == [("a", "b")]
    assert messages("schema", MISSING, {"schema": {}}) == ['#{{print("property")}}must exist']


def test_xor_and_or() -> None:
    opts = {"properties": ["a", "b"]}
    assert messages("xor", {"a": 1}, opts) == []
    assert messages("xor", {"a": 1, "b": 2}, opts) == ['Just one of "a" and "b" must be defined']
    assert messages("xor", {}, opts) == ['At least one of "a" or "b" must be defined']
    assert messages("or", {"a": 1, "b": 2}, opts) == []
    assert messages("or", {"z": 1}, {"properties": list("abcde")}) == [
        'At least one of "a" or "b" or "c" or 2 other properties must be defined'
    ]


@pytest.mark.parametrize(
    ("name", "options", "problem"),
    [
        ("nope", None, "unknown function 'nope'"),
        ("length", {"min": "2"}, 'min: "2" is not of type "number"'),
        ("truthy", {"x": 1}, "truthy takes no functionOptions"),
        ("casing", {"type": "train"}, "type:"),
        ("pattern", {"match": "(unclosed"}, "match: invalid regular expression"),
        ("enumeration", {}, "values"),
        ("schema", {"schema": {"type": 5}}, "schema"),
    ],
)
def test_options_are_checked_at_load_time(name: str, options: Any, problem: str) -> None:
    found = options_problem(name, options)
    assert found is not None and problem in found


def test_valid_options_pass() -> None:
    assert options_problem("casing", {"type": "camel", "disallowDigits": True}) is None
    assert options_problem("alphabetical", None) is None
    assert options_problem("schema", {"schema": {"type": "object"}, "dialect": "draft4"}) is None
