"""Dataclasses whose generated methods (__repr__, __eq__, __hash__, frozenness) are made without
compiling code.

Python 3.11 exec-compiles each method @dataclass generates, on every start of the process:
__init__, __repr__ and __eq__, and __hash__, __setattr__ and __delattr__ for a frozen one;
50-300 us each for a class of 15-25 fields, ~4 ms for the classes a pre-commit run of
`apilint lint` creates. So those classes write their __init__ and are declared `@record(...)`,
which makes the other methods @dataclass would generate of their fields, without compiling
anything. They stay dataclasses (fields(), replace() and asdict() work), and
tests/test_records.py holds each to the class @dataclass makes of the same fields (signature,
repr, equality, hash, frozenness).
"""

from __future__ import annotations

import reprlib
from collections.abc import Callable
from dataclasses import FrozenInstanceError, dataclass, field, fields
from operator import attrgetter
from typing import TYPE_CHECKING, Any, TypeVar, cast

if TYPE_CHECKING:  # Python 3.11's typing has it, 3.10's not; type checkers read it anyway
    from typing_extensions import dataclass_transform
else:

    def dataclass_transform(**_: Any) -> Callable[[Any], Any]:
        return lambda decorator: decorator


C = TypeVar("C", bound=type)


class _Factory:
    def __repr__(self) -> str:
        return "<factory>"  # as the generated __init__'s signature shows such a default


#: The default of a field with a default_factory in a written __init__, as in the generated
#: one: the parameter's default is this marker, and the factory makes the value (passing None
#: stores None).
FACTORY: Any = _Factory()


def _tuple_of(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """The tuple of these attributes of an object, as the generated methods build it."""
    if len(names) > 1:
        return attrgetter(*names)  # a tuple of them (one name would give the bare value)
    if names:
        name = names[0]
        return lambda obj: (getattr(obj, name),)
    return lambda obj: ()


@dataclass_transform(field_specifiers=(field,))
def record(*, frozen: bool = False, kw_only: bool = False) -> Callable[[C], C]:
    """The class as `@dataclass(frozen=frozen, kw_only=kw_only)` makes it, for a class that
    writes its __init__ (with FACTORY for a field's default_factory): the same fields (it is
    a dataclass), and the __repr__, __eq__, __hash__, and for a frozen class __setattr__ and
    __delattr__, that @dataclass generates, made of the fields without compiling anything.
    Type checkers read it as that @dataclass (dataclass_transform)."""

    def make(cls: C) -> C:
        made = cast("C", dataclass(init=False, repr=False, eq=False, kw_only=kw_only)(cls))
        _value_methods(made, frozen)
        if frozen:
            _freeze(made)
        return made

    return make


def _value_methods(cls: type, frozen: bool) -> None:
    found = fields(cls)
    shown = tuple(f.name for f in found if f.repr)
    compared = _tuple_of(tuple(f.name for f in found if f.compare))
    hashed = _tuple_of(tuple(f.name for f in found if (f.compare if f.hash is None else f.hash)))

    @reprlib.recursive_repr()  # a value that holds itself shows as `...`, as generated ones do
    def __repr__(self: Any) -> str:
        shows = ", ".join(f"{name}={getattr(self, name)!r}" for name in shown)
        return f"{self.__class__.__qualname__}({shows})"

    def __eq__(self: Any, other: object) -> bool:
        if other.__class__ is self.__class__:
            return bool(compared(self) == compared(other))
        return NotImplemented

    def __hash__(self: Any) -> int:
        return hash(hashed(self))

    # @dataclass(eq=True) makes a mutable class unhashable and a frozen one hash its fields.
    _set(cls, {"__repr__": __repr__, "__eq__": __eq__, "__hash__": __hash__ if frozen else None})


def _freeze(cls: type) -> None:
    names = frozenset(f.name for f in fields(cls))
    owner: type[Any] = cls  # where super() starts (the tests below narrow `cls`)

    def __setattr__(self: Any, name: str, value: Any) -> None:
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        super(owner, self).__setattr__(name, value)

    def __delattr__(self: Any, name: str) -> None:
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot delete field {name!r}")
        super(owner, self).__delattr__(name)

    _set(cls, {"__setattr__": __setattr__, "__delattr__": __delattr__})


def _set(cls: type, methods: dict[str, Any]) -> None:
    for name, method in methods.items():
        if method is not None:
            method.__qualname__ = f"{cls.__qualname__}.{name}"
        setattr(cls, name, method)


# Named tuples: typing.NamedTuple turns each field's annotation into a typing.ForwardRef, which
# compiles the annotation's text (`from __future__ import annotations` makes them all text):
# half of the ~0.1 ms each named tuple class costs at every start, 1.5 ms over those a plain
# run creates. `NamedTuple` here makes the same class (collections.namedtuple and the class
# body, with typing's checks) and keeps the annotations as written. Type checkers see
# typing.NamedTuple itself.
if TYPE_CHECKING:
    from typing import NamedTuple as NamedTuple
else:
    import collections

    # as typing.NamedTupleMeta has them (Python 3.11)
    _PROHIBITED = frozenset(
        {
            "__new__",
            "__init__",
            "__slots__",
            "__getnewargs__",
            "_fields",
            "_field_defaults",
            "_make",
            "_replace",
            "_asdict",
            "_source",
        }
    )
    _SPECIAL = frozenset({"__module__", "__name__", "__annotations__"})

    class _NamedTupleMeta(type):
        def __new__(mcls, typename, bases, ns):
            if bases != (_NamedTupleBase,):
                raise TypeError("can only inherit from NamedTuple")
            types = ns.get("__annotations__", {})
            default_names = []
            for field_name in types:
                if field_name in ns:
                    default_names.append(field_name)
                elif default_names:
                    raise TypeError(
                        f"Non-default namedtuple field {field_name} cannot follow default field"
                        f"{'s' if len(default_names) > 1 else ''} {', '.join(default_names)}"
                    )
            made = collections.namedtuple(
                typename,
                list(types),
                defaults=[ns[n] for n in default_names],
                module=ns["__module__"],
            )
            made.__annotations__ = made.__new__.__annotations__ = dict(types)
            for key in ns:
                if key in _PROHIBITED:
                    raise AttributeError("Cannot overwrite NamedTuple attribute " + key)
                if key not in _SPECIAL and key not in made._fields:
                    setattr(made, key, ns[key])
            return made

    _NamedTupleBase = type.__new__(_NamedTupleMeta, "NamedTuple", (), {})

    def NamedTuple(typename, fields=None, /, **kwargs):
        raise TypeError("apilint.common.records.NamedTuple is for class syntax only")

    NamedTuple.__mro_entries__ = lambda bases: (_NamedTupleBase,)
