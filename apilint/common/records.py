"""The value methods of a dataclass (__repr__, __eq__, __hash__), made without compiling code.

Python 3.11 exec-compiles each method @dataclass generates, on every start of the process:
__init__, __repr__ and __eq__, and __hash__, __setattr__ and __delattr__ for a frozen one;
50-300 us each for a class of 15-25 fields, ~4 ms for the classes a pre-commit run of
`apilint lint` creates. So those classes are declared `@value_methods` over
`@dataclass(init=False, repr=False, eq=False)` with a written __init__: `value_methods` gives
them the __repr__, __eq__ and __hash__ that @dataclass would generate, built from the fields
without compiling anything. They stay dataclasses (fields(), replace() and asdict() work), and
tests/test_records.py holds each to the class @dataclass makes of the same fields (signature,
repr, equality, hash).
"""

from __future__ import annotations

import reprlib
from collections.abc import Callable
from dataclasses import fields
from operator import attrgetter
from typing import Any, TypeVar

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


def value_methods(cls: C) -> C:
    """Give a dataclass declared with `repr=False, eq=False` the __repr__, __eq__ and (frozen:
    __hash__; else none, it is mutable) that `repr=True, eq=True` would have generated."""
    params = getattr(cls, "__dataclass_params__")  # noqa: B009 - a dataclass's, untyped
    if params.repr or params.eq or params.unsafe_hash:
        raise TypeError(f"{cls.__qualname__}: declare it @dataclass(repr=False, eq=False)")
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

    made: dict[str, Any] = {"__repr__": __repr__, "__eq__": __eq__}
    # @dataclass(eq=True) makes a mutable class unhashable and a frozen one hash its fields.
    made["__hash__"] = __hash__ if params.frozen else None
    for name, method in made.items():
        if method is not None:
            method.__qualname__ = f"{cls.__qualname__}.{name}"
        setattr(cls, name, method)
    return cls
