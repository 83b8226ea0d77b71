"""The address of the memory an object exposes (a bytearray, a memoryview), for offsets into a
buffer that rapidyaml parsed in place: its keys and values are memoryviews into it.

Both are read with `_ctypes`, the C module ctypes is built on: the address of a writable buffer
(`addressof` of an empty array laid over it) and a pointer at an address (`from_address`) need
nothing else, where importing ctypes itself (its ~40 C types, its libraries, its byte-order
module) was 1.3 ms of every run that reports positions. ctypes is imported only for a
read-only buffer, whose address only the buffer protocol gives.
"""

from __future__ import annotations

from _ctypes import Array, _SimpleCData, addressof, sizeof
from collections.abc import Callable
from typing import Any


# The typeshed stubs make these bases generic; at run time they cannot be subscripted.
class _Pointer(_SimpleCData):  # type: ignore[type-arg]  # ctypes.c_void_p
    _type_ = "P"


class _Byte(_SimpleCData):  # type: ignore[type-arg]  # ctypes.c_ubyte
    _type_ = "B"


class _Empty(Array):  # type: ignore[type-arg]  # (ctypes.c_ubyte * 0): fits over any buffer
    _type_ = _Byte
    _length_ = 0


def address(obj: Any) -> int:
    """The address of the memory of any object with the buffer protocol."""
    try:
        return int(addressof(_Empty.from_buffer(obj)))
    except TypeError:  # read-only: the buffer protocol says where
        return _protocol_address(obj)


def _protocol_address(obj: Any) -> int:
    import ctypes

    class PyBuffer(ctypes.Structure):
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

    get_buffer = ctypes.pythonapi.PyObject_GetBuffer
    get_buffer.argtypes = [ctypes.py_object, ctypes.POINTER(PyBuffer), ctypes.c_int]
    release_buffer = ctypes.pythonapi.PyBuffer_Release
    release_buffer.argtypes = [ctypes.POINTER(PyBuffer)]
    view = PyBuffer()
    get_buffer(obj, ctypes.byref(view), 0)
    try:
        return int(view.buf or 0)
    finally:
        release_buffer(ctypes.byref(view))


def _held_at() -> int | None:
    """Where in a memoryview object its memory's address is kept (CPython keeps the view's
    Py_buffer inside the object, `buf` first), found on probes by looking for their memory's
    address; None when no place holds it for every probe."""
    size = sizeof(_Pointer)
    probes = [memoryview(bytearray(64))[i:] for i in (3, 17)]
    places = None
    for probe in probes:
        wanted = address(probe)
        found = {
            at
            for at in range(0, 16 * size, size)
            if _Pointer.from_address(id(probe) + at).value == wanted
        }
        places = found if places is None else places & found
    return min(places) if places else None


def _view_reader() -> Callable[[memoryview], int]:
    held_at = _held_at()
    if held_at is None:
        return address
    read = _Pointer.from_address

    def view_address(view: memoryview) -> int:
        return read(id(view) + held_at).value or 0

    return view_address


#: The address of a memoryview's memory: read from the view object itself, where asking the
#: view for it (address) costs ~1 us; the locator takes two per finding (20,000 on GitHub's
#: definition).
view_address = _view_reader()
