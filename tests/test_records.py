"""The dataclasses whose __init__ is written and whose value methods apilint.common.records makes
(to spare their compilation at every start) behave as the ones @dataclass generates."""

from __future__ import annotations

import dataclasses
import inspect
import pickle
import re
import typing
from pathlib import Path
from typing import Any

import pytest
from helpers import ROOT

from apilint.catalog.registry import Option, Rule
from apilint.commands.lint import Options
from apilint.common import records
from apilint.common.findings import FileResult, Finding, Severity, Span
from apilint.document.model import Document, Sources
from apilint.engine.config import Config
from apilint.engine.run import Settings
from apilint.model.gateway import Api, Method, Resource

WRITTEN = [
    Rule,
    Option,
    Options,
    FileResult,
    Settings,
    Config,
    Sources,
    Document,
    Method,
    Resource,
    Api,
]


def _made_here(cls: type, method: str = "__repr__") -> bool:
    return getattr(getattr(cls, method), "__module__", None) == "apilint.common.records"


def _frozen(cls: type) -> bool:
    return bool(cls.__dataclass_params__.frozen or _made_here(cls, "__setattr__"))


def _generated(cls: type) -> Any:
    """The class @dataclass makes of `cls`'s fields, with every method generated."""
    params = getattr(cls, "__dataclass_params__")  # noqa: B009
    spec = []
    for f in dataclasses.fields(cls):
        kw: dict[str, Any] = {
            "init": f.init,
            "repr": f.repr,
            "compare": f.compare,
            "hash": f.hash,
            "kw_only": f.kw_only,
        }
        if f.default is not dataclasses.MISSING:
            kw["default"] = f.default
        if f.default_factory is not dataclasses.MISSING:
            kw["default_factory"] = f.default_factory
        spec.append((f.name, f.type, dataclasses.field(**kw)))
    valued = _made_here(cls)
    return dataclasses.make_dataclass(
        cls.__name__,
        spec,
        namespace={"__module__": cls.__module__, "__qualname__": cls.__qualname__},
        frozen=_frozen(cls),
        repr=valued or params.repr,
        eq=valued or params.eq,
    )


def _arguments(cls: type) -> dict[str, Any]:
    """A distinct value for each field the __init__ takes."""
    return {f.name: f"{f.name}-value" for f in dataclasses.fields(cls) if f.init}


@pytest.mark.parametrize("cls", WRITTEN, ids=lambda c: c.__name__)
def test_the_written_init_takes_what_the_generated_one_takes(cls: type) -> None:
    ours = list(inspect.signature(cls).parameters.values())
    theirs = list(inspect.signature(_generated(cls)).parameters.values())
    assert [str(p) for p in ours] == [str(p) for p in theirs]


@pytest.mark.parametrize("cls", WRITTEN, ids=lambda c: c.__name__)
def test_instances_hold_and_show_what_generated_ones_do(cls: type) -> None:
    generated = _generated(cls)
    required = {
        f.name: f"{f.name}-value"
        for f in dataclasses.fields(cls)
        if f.init and f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    }
    for given in (required, _arguments(cls)):
        ours, theirs = cls(**given), generated(**given)
        assert vars(ours) == vars(theirs)
        if _made_here(cls):
            assert repr(ours) == repr(theirs)
        assert (cls.__hash__ is None) == (generated.__hash__ is None)
        if generated.__hash__ is not None and generated.__dataclass_params__.eq:
            assert hash(ours) == hash(theirs)
    defaults = cls(**required)
    for f in dataclasses.fields(cls):  # a factory makes a new value for each instance
        if f.default_factory is not dataclasses.MISSING:
            assert getattr(defaults, f.name) is not getattr(cls(**required), f.name)


@pytest.mark.parametrize("cls", WRITTEN, ids=lambda c: c.__name__)
def test_equality_compares_what_generated_equality_compares(cls: type) -> None:
    generated = _generated(cls)
    given = _arguments(cls)
    assert (cls(**given) == cls(**given)) == (generated(**given) == generated(**given))
    for name in given:
        other = {**given, name: "another value"}
        assert (cls(**given) == cls(**other)) == (generated(**given) == generated(**other)), name
    assert cls(**given) != generated(**given)  # another class: never equal, as generated


@pytest.mark.parametrize("cls", [c for c in WRITTEN if _made_here(c)], ids=lambda c: c.__name__)
def test_frozen_stays_frozen(cls: type) -> None:
    generated = _generated(cls)
    for name in [f.name for f in dataclasses.fields(cls)] + ["other"]:
        for attempt in (
            lambda made: setattr(made, name, "changed"),  # noqa: B023 - called at once
            lambda made: delattr(made, name),  # noqa: B023
        ):
            ours, theirs = cls(**_arguments(cls)), generated(**_arguments(cls))
            outcomes = []
            for made in (ours, theirs):
                try:
                    attempt(made)
                    outcomes.append("done")
                except (dataclasses.FrozenInstanceError, AttributeError) as exc:
                    outcomes.append(f"{type(exc).__name__}: {exc}")
            assert outcomes[0] == outcomes[1], name
            assert vars(ours) == vars(theirs)


def test_a_value_holding_itself_shows_as_generated_reprs_do() -> None:
    result = FileResult("api.yaml")
    result.notes.append(result)  # type: ignore[arg-type]
    generated = _generated(FileResult)("api.yaml")
    generated.notes.append(generated)
    assert repr(result) == repr(generated)


def test_every_class_with_written_methods_is_checked_here() -> None:
    declared = {
        (path.relative_to(ROOT).as_posix(), name)
        for path in (ROOT / "apilint").rglob("*.py")
        for name in re.findall(
            # a dataclass whose __init__ is written, and every class made by @record (its
            # arguments may span lines; a comment may follow it)
            r"(?:@dataclass\([^)]*init=False[^)]*\)|@record\([^)]*\)[^\n]*)\nclass (\w+)",
            path.read_text(encoding="utf-8"),
        )
    }
    checked = {
        (Path(inspect.getfile(cls)).relative_to(ROOT).as_posix(), cls.__name__) for cls in WRITTEN
    }
    assert declared <= checked, sorted(declared - checked)


# -- named tuples -----------------------------------------------------------------------------


def _sample(base: Any) -> Any:
    class Sample(base):  # type: ignore[misc, valid-type]
        """A doc."""

        a: int
        b: str | None
        c: tuple[str, ...] = ()
        d: Finding | None = None

        @property
        def twice(self) -> int:
            return 2 * self.a

        def shown(self) -> str:
            return f"{self.a}:{self.b}"

    return Sample


def test_a_named_tuple_is_the_one_typing_makes_but_for_its_annotations() -> None:
    ours, theirs = _sample(records.NamedTuple), _sample(typing.NamedTuple)
    assert ours.__mro__[1:] == theirs.__mro__[1:] == (tuple, object)
    for name in ("__name__", "__qualname__", "__module__", "__doc__", "_fields", "_field_defaults"):
        assert getattr(ours, name) == getattr(theirs, name), name
    # typing makes each annotation's text a ForwardRef; these keep the text
    assert ours.__annotations__ == {k: v.__forward_arg__ for k, v in theirs.__annotations__.items()}
    assert [(p.name, p.kind, p.default) for p in inspect.signature(ours).parameters.values()] == [
        (p.name, p.kind, p.default) for p in inspect.signature(theirs).parameters.values()
    ]
    for args in [(1, "x"), (2, None, ("y",))]:
        one, other = ours(*args), theirs(*args)
        assert (repr(one), one._asdict(), one.twice, one.shown()) == (
            repr(other),
            other._asdict(),
            other.twice,
            other.shown(),
        )
        assert one == other and hash(one) == hash(other)
        assert one._replace(a=5) == other._replace(a=5)
        assert ours._make(one) == theirs._make(other)


def test_named_tuples_refuse_what_typing_refuses() -> None:
    for base in (records.NamedTuple, typing.NamedTuple):
        with pytest.raises(TypeError, match="Non-default namedtuple field b cannot follow"):

            class Bad(base):  # type: ignore[misc, valid-type]
                a: int = 0
                b: int

        with pytest.raises(AttributeError, match="Cannot overwrite NamedTuple attribute _fields"):

            class Worse(base):  # type: ignore[misc, valid-type]
                a: int
                _fields = ("b",)


def test_apilint_named_tuples_pickle() -> None:
    # the parallel lint sends findings back from its workers
    made = Finding("AGW301", "x", Severity.WARNING, "m", "a.yaml", "/a", Span(1, 2, 3, 4))
    assert pickle.loads(pickle.dumps(made)) == made
    assert type(pickle.loads(pickle.dumps(made))) is Finding
