"""Positions on the second core: a forked process builds the rapidyaml tree of a large file and
locates its findings while the rules still run.

Locating findings is a large part of linting a big definition (Stripe's 4.9 MB: 90 of 335 ms,
a third of it the tree), and a run that lints one file leaves the other cores idle. So, when
the run allows it (`offloading`), reading a file of ASIDE_MIN_BYTES or more forks a process
that parses the same bytes for positions while this one parses them for data; the engine
hands it the pointers of each rule's findings as they are found (`Document.ahead`), and by the
time the findings are placed the process has located nearly all of them.

The process parses exactly what the in-process locator would (the same bytes, the same code),
so the answers are the same; any trouble with it (it died, it could not parse, an answer is
missing) and the document locates its findings in this process, as without it. It writes
nothing to the terminal, holds nothing of the user's but the bytes it was forked with, and is
ended when the run's `offloading` ends. Fork only (it inherits the loaded modules and the bytes
without a copy): where there is none, nothing changes.
"""

from __future__ import annotations

import marshal
import os
import struct
from array import array
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, BinaryIO

from apilint.common.findings import Span
from apilint.document.pointer import Tokens

#: Smaller files are located in a few milliseconds: less than a fork costs in the whole run.
ASIDE_MIN_BYTES = 1024 * 1024

_HEADER = struct.Struct("<BQ")  # message kind, length of the marshalled pointers
_AHEAD, _ASK, _CHECKED = 0, 1, 2
#: Linux's default pipe holds 64 KB: one rule's findings on a big definition (GitHub's 5,130
#: AGW251) are 360 KB of pointers, and a full pipe stalls the rules until the process reads.
_PIPE_BYTES = 1024 * 1024


class _Run:
    allowed = False
    started: Aside | None = None  # the run's (one: the second core is one)


@contextmanager
def offloading(allowed: bool) -> Iterator[None]:
    """While inside, reading a large file may start its positions process (one per run: the
    second core is one); every process started is ended on the way out."""
    before = _Run.allowed
    _Run.allowed = allowed and _can_fork()
    try:
        yield
    finally:
        _Run.allowed = before
        started, _Run.started = _Run.started, None
        if started is not None:
            started.close()


def _can_fork() -> bool:
    return hasattr(os, "fork") and (os.cpu_count() or 1) > 1


def start(raw: bytes, as_json: bool) -> Aside | None:
    """The positions process for a file's bytes (`as_json`: read as JSON, else as YAML), or
    None when the run does not allow one or the file is small. For JSON it also runs the
    checks that decide whether orjson's reading stands (json_loader.load_json_bytes), which
    the reader may then leave to it (`Aside.checks`)."""
    if not _Run.allowed or _Run.started is not None or len(raw) < ASIDE_MIN_BYTES:
        return None
    try:
        aside = Aside(raw, json_tree, _fast_json) if as_json else Aside(raw, yaml_tree)
    except OSError:  # no fork or pipe to be had: located here, as always
        return None
    _Run.started = aside
    return aside


def unconfirmed() -> bool:
    """Whether a file of the run was read before its checks ran (`Aside.checks`) and they
    failed, or its process cannot say: what was made of the file must be made again, with the
    checks in this process. A process is asked once."""
    aside = _Run.started
    return aside is not None and aside.checks and aside.verdict is None and not aside.confirmed()


def json_tree(raw: bytes) -> Any:
    """The locator JsonLocator uses for a JSON file that repeats no key (None: it has none)."""
    from apilint.document.ryml_loader import json_locator

    return json_locator(raw)


def yaml_tree(raw: bytes) -> Any:
    """The locator load_fast builds for a YAML file."""
    from apilint.document.ryml_loader import ryml_locator

    return ryml_locator(raw)


def _fast_json(raw: bytes) -> bool:
    """Whether the JSON fast path takes the file (orjson reads it as the stdlib does)."""
    from apilint.document.json_loader import load_json_bytes

    return load_json_bytes(raw) is not None


class Aside:
    """The parent's end of one positions process."""

    #: The reader took the file on the process's word (the JSON fast path's checks left to
    #: it): its verdict must be asked before what was made of the file is used (unconfirmed).
    checks = False
    #: The process's verdict once asked (False too when it could not give one).
    verdict: bool | None = None
    #: The locator it answers for (the reader's): a document with another locator asks its own.
    locator: Any = None

    def __init__(
        self,
        raw: bytes,
        build: Callable[[bytes], Any],
        check: Callable[[bytes], bool] | None = None,
    ) -> None:
        inbox, to_child = os.pipe()  # read, write ends: the process reads pointers from inbox
        from_child, outbox = os.pipe()  # and writes its answers to outbox
        try:
            import fcntl

            fcntl.fcntl(to_child, getattr(fcntl, "F_SETPIPE_SZ", 1031), _PIPE_BYTES)
        except (ImportError, OSError):
            pass  # a smaller pipe only makes the rules wait sometimes
        self.pid = os.fork()
        if self.pid == 0:  # the process: never returns
            os.close(to_child)
            os.close(from_child)
            try:
                _serve(raw, build, check, inbox, outbox)
            finally:
                os._exit(1)  # never back into the parent's code, whatever _serve did
        os.close(inbox)
        os.close(outbox)
        # Non-blocking, every wait bounded (_written, _answer): a process stuck in a bug of
        # ours must not hang the run, neither on an answer nor on a full pipe.
        os.set_blocking(to_child, False)
        os.set_blocking(from_child, False)
        self._send: int | None = to_child
        self._receive: int | None = from_child

    def ahead(self, pointers: Sequence[Tokens]) -> None:
        """Have the process locate these now (no answer awaited)."""
        if self._send is not None:
            try:
                self._message(_AHEAD, pointers)
            except (OSError, ValueError):
                self.close()

    def spans(self, pointers: Sequence[Tokens]) -> list[Span] | None:
        """The span of each pointer, or None when the process cannot say (the caller locates
        them itself)."""
        answer = self._asked(_ASK, pointers)
        if answer is None:
            return None
        flat = array("q")
        flat.frombytes(answer)
        if len(flat) != 4 * len(pointers):  # the process failed: it answers with nothing
            self.close()
            return None
        return list(map(Span, flat[0::4], flat[1::4], flat[2::4], flat[3::4]))

    def confirmed(self) -> bool:
        """The process's verdict on the file (the check it was started with): True when the
        reading stands; False when it does not, or the process cannot say."""
        if self.verdict is None:
            self.verdict = False
            self.verdict = self._asked(_CHECKED, []) == b"\x01"
        return self.verdict

    def _asked(self, kind: int, pointers: Sequence[Tokens]) -> bytes | None:
        """The body of the process's answer to a question, or None (and the process ended)
        when it cannot give one."""
        if self._send is None or self._receive is None:
            return None
        try:
            self._message(kind, pointers)
            size = _HEADER.unpack(_answer(self._receive, _HEADER.size))[1]
            return _answer(self._receive, size)
        except (OSError, ValueError, EOFError, struct.error):
            self.close()
            return None

    def _message(self, kind: int, pointers: Sequence[Tokens]) -> None:
        assert self._send is not None
        body = marshal.dumps(list(pointers))
        _written(self._send, _HEADER.pack(kind, len(body)) + body)

    def close(self) -> None:
        """End the process (its answers are no longer wanted) and reap it."""
        for fd in (self._send, self._receive):
            if fd is not None:
                try:
                    os.close(fd)
                except OSError:
                    pass
        self._send = self._receive = None
        if self.pid:
            pid, self.pid = self.pid, 0
            try:
                import signal  # only once a process was started: 0.4 ms of every run

                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            except (OSError, ChildProcessError):
                pass


#: How long the parent waits on the process, for an answer or for room in the pipe: its work
#: is a walk per pointer, done in well under a second on the largest definitions; one that
#: has not answered or read by then is stuck (a bug of ours), and the run goes on without it
#: rather than hang a commit hook.
ANSWER_SECONDS = 60.0


def _written(fd: int, data: bytes) -> None:
    """Write all of `data` to the process's pipe, or raise EOFError when it has not taken it
    within ANSWER_SECONDS."""
    import select
    import time

    view, deadline = memoryview(data), time.monotonic() + ANSWER_SECONDS
    while view:
        try:
            view = view[os.write(fd, view) :]
        except BlockingIOError:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([], [fd], [], left)[1]:
                raise EOFError("the positions process does not read") from None


def _answer(fd: int, size: int) -> bytes:
    """`size` bytes of the process's answer, or EOFError when they do not come within
    ANSWER_SECONDS (or the process ended)."""
    import select
    import time

    chunks, deadline = [], time.monotonic() + ANSWER_SECONDS
    while size:
        try:
            chunk = os.read(fd, size)
        except BlockingIOError:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise EOFError("the positions process did not answer") from None
            continue
        if not chunk:
            raise EOFError("the positions process ended")
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def _read(stream: BinaryIO, size: int) -> bytes:
    data = stream.read(size)
    if len(data) != size:
        raise EOFError
    return data


#: The operations' keys under a path (x-amazon-apigateway-any-method is ANY).
_OPERATIONS = frozenset(
    ("get", "put", "post", "delete", "options", "head", "patch", "trace")
    + ("x-amazon-apigateway-any-method",)
)
#: Pointers located per look at the pipe while guessing.
_GUESSES_AT_ONCE = 64


def _guess(locator: Any, inbox: BinaryIO) -> None:
    """Until the parent's first pointers arrive, locate those findings point at most: every
    operation (authorization, integration, CORS, request validation...) and every named
    model. On Stripe's definition they are a sixth of its 5,000 places and arrive last, after
    the schema rules' bursts: located now, they are answered from what is known then."""
    import select

    guesses = [
        ("paths", path, verb)
        for path in locator.keys(("paths",))
        for verb in locator.keys(("paths", path))
        if verb.lower() in _OPERATIONS
    ]
    for models in (("components", "schemas"), ("definitions",)):
        guesses += [(*models, name) for name in locator.keys(models)]
    for i in range(0, len(guesses), _GUESSES_AT_ONCE):
        if select.select([inbox], [], [], 0)[0]:
            return  # the rules have begun: their pointers come first
        locator.spans(guesses[i : i + _GUESSES_AT_ONCE])


def _serve(
    raw: bytes,
    build: Callable[[bytes], Any],
    check: Callable[[bytes], bool] | None,
    inbox: int,
    outbox: int,
) -> None:
    """The process: build the locator (and run the check), then answer until the parent
    closes the pipe."""
    code = 0
    try:
        # Nothing of this process may reach the terminal (rapidyaml's C++ error handler writes
        # to fd 2), and Ctrl-C is the parent's to handle: it ends this process by closing.
        import signal

        signal.signal(signal.SIGINT, signal.SIG_IGN)
        quiet = os.open(os.devnull, os.O_WRONLY)
        os.dup2(quiet, 1)
        os.dup2(quiet, 2)
        receive, send = open(inbox, "rb"), open(outbox, "wb")  # noqa: SIM115
        # The check first: what it parses is freed before the tree is built (this process's
        # peak is the larger of the two, not their sum), and both are done before the rules'
        # first findings come.
        try:
            passed = check is not None and check(raw)
        except Exception:  # noqa: BLE001 - the parent reads the file itself
            passed = False
        try:
            locator = build(raw)
        except Exception:  # noqa: BLE001 - answered below: the parent locates them itself
            locator = None
        try:
            if locator is not None:
                locator.lines.prepare()  # while the parent still parses: the rules come later
                _guess(locator, receive)
        except Exception:  # noqa: BLE001 - answered below: the parent locates them itself
            locator = None
        while True:
            header = receive.read(_HEADER.size)
            if len(header) != _HEADER.size:
                break  # the parent is done
            kind, size = _HEADER.unpack(header)
            pointers = marshal.loads(_read(receive, size))
            if kind == _CHECKED:
                send.write(_HEADER.pack(kind, 1) + (b"\x01" if passed else b"\x00"))
                send.flush()
                continue
            try:
                found = locator.spans(pointers) if locator is not None else None
            except Exception:  # noqa: BLE001 - the parent locates them itself
                locator = found = None
            if kind == _ASK:
                flat = array("q", [n for span in found for n in span] if found else [])
                body = flat.tobytes()
                send.write(_HEADER.pack(kind, len(body)))
                send.write(body)
                send.flush()
    except BaseException:  # noqa: BLE001 - the parent sees the pipe close and goes on alone
        code = 1
    finally:
        os._exit(code)  # no interpreter teardown, no flush of the buffers it was forked with
