"""Who is asking and through which door, for the access log. Set once per request, task or command."""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from .models.audit import Via


@dataclass(frozen=True)
class AuditContext:
    via: str
    request_id: uuid.UUID


_current: ContextVar[AuditContext | None] = ContextVar("gvi_audit_context", default=None)


def current() -> AuditContext:
    # Outside a request, task or command (a shell, say) work is still logged, as command-line work.
    return _current.get() or AuditContext(via=Via.CLI, request_id=uuid.uuid4())


@contextmanager
def audit_context(via: str, request_id: uuid.UUID | None = None) -> Iterator[AuditContext]:
    ctx = AuditContext(via=via, request_id=request_id or uuid.uuid4())
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)
