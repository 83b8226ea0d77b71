"""Calling a local handler as Lambda would: `handler(event, context)` with a context object,
bounded by the integration timeout. A handler that raises, even SystemExit, is an error result,
never the server's end."""

from __future__ import annotations

import threading
import time
import traceback
import uuid
from dataclasses import dataclass, field
from typing import Any

from apilint.serve.handlers import Handler

REGION = "us-east-1"
ACCOUNT_ID = "123456789012"


@dataclass
class LambdaContext:
    """The attributes of the Python runtime's context object that handlers use
    (https://docs.aws.amazon.com/lambda/latest/dg/python-context.html)."""

    function_name: str
    timeout_s: float
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    function_version: str = "$LATEST"
    memory_limit_in_mb: int = 128
    identity: Any = None
    client_context: Any = None
    _started: float = field(default_factory=time.monotonic)

    @property
    def invoked_function_arn(self) -> str:
        return f"arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:{self.function_name}"

    @property
    def log_group_name(self) -> str:
        return f"/aws/lambda/{self.function_name}"

    @property
    def log_stream_name(self) -> str:
        return "apilint-serve"

    def get_remaining_time_in_millis(self) -> int:
        left = self.timeout_s - (time.monotonic() - self._started)
        return max(0, int(left * 1000))


@dataclass
class Outcome:
    value: Any = None
    error: str | None = None  # "ExceptionType: message"
    message: str | None = None  # the exception's message (authorizers check "Unauthorized")
    trace: str | None = None
    timed_out: bool = False
    exception: BaseException | None = None  # what the handler raised, to raise it again

    @property
    def ok(self) -> bool:
        return self.error is None and not self.timed_out


def invoke(handler: Handler, event: dict[str, Any], name: str, timeout_s: float) -> Outcome:
    """Run the handler in its own thread and wait at most `timeout_s`; a handler still running
    then is abandoned (its thread is a daemon and cannot block the server's exit)."""
    outcome = Outcome()
    context = LambdaContext(name, timeout_s)

    def run() -> None:
        try:
            outcome.value = handler(event, context)
        except BaseException as exc:  # noqa: BLE001 - SystemExit in a handler is its error too
            outcome.exception = exc
            outcome.error = f"{type(exc).__name__}: {exc}"
            outcome.message = str(exc)
            # The handler's frames only: ours above it say nothing to the user.
            tb = exc.__traceback__.tb_next if exc.__traceback__ else None
            outcome.trace = "".join(traceback.format_exception(type(exc), exc, tb))

    worker = threading.Thread(target=run, name=f"lambda:{name}", daemon=True)
    worker.start()
    worker.join(timeout_s)
    if worker.is_alive():
        return Outcome(timed_out=True, error="timed out")
    return outcome
