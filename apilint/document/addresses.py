"""The address of the memory an object exposes (a bytearray, a memoryview), for offsets into a
buffer that rapidyaml parsed in place: its keys and values are memoryviews into it."""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable
from typing import Any


class _PyBuffer(ctypes.Structure):
    _fields_ = [
        ("buf", ctypes.c_void_p),
        ("obj", ctypes.py_object),
        ("len", ctypes.c_ssize_t),
        ("itemsize", ctypes.c_ssize_t),
        ("readonly", ctypes.c_int),
        ("ndim", ctypes.c_int),
        ("format", ctypes.c_char_p),
        ("shape", ctypes.c_void_p),
        ("strides", ctypes.c_void_p),
        ("suboffsets", ctypes.c_void_p),
        ("internal", ctypes.c_void_p),
    ]


_get_buffer = ctypes.pythonapi.PyObject_GetBuffer
_get_buffer.argtypes = [ctypes.py_object, ctypes.POINTER(_PyBuffer), ctypes.c_int]
_release_buffer = ctypes.pythonapi.PyBuffer_Release
_release_buffer.argtypes = [ctypes.POINTER(_PyBuffer)]


def address(obj: Any) -> int:
    """The address of the memory of any object with the buffer protocol."""
    view = _PyBuffer()
    _get_buffer(obj, ctypes.byref(view), 0)
    try:
        return int(view.buf or 0)
    finally:
        _release_buffer(ctypes.byref(view))


def _held_at() -> int | None:
    """Where in a memoryview object its memory's address is kept (CPython keeps the view's
    Py_buffer inside the object, `buf` first), found on probes by looking for the address the
    buffer protocol gives; None when no place holds it for every probe."""
    size = ctypes.sizeof(ctypes.c_void_p)
    probes = [memoryview(bytearray(64))[i:] for i in (3, 17)]
    places = None
    for probe in probes:
        raw = ctypes.string_at(id(probe), 16 * size)
        wanted = address(probe).to_bytes(size, sys.byteorder)
        found = {at for at in range(0, len(raw), size) if raw[at : at + size] == wanted}
        places = found if places is None else places & found
    return min(places) if places else None


def _view_reader() -> Callable[[memoryview], int]:
    held_at = _held_at()
    if held_at is None:
        return address
    read = ctypes.c_void_p.from_address

    def view_address(view: memoryview) -> int:
        return read(id(view) + held_at).value or 0

    return view_address


#: The address of a memoryview's memory: read from the view object itself, where the buffer
#: protocol (address) costs 1 us through ctypes' argument conversions and a release; the
#: locator takes two per finding (20,000 on GitHub's definition).
view_address = _view_reader()
