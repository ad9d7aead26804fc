import uuid

from .context import audit_context
from .models.audit import Via


def _request_id(header: str | None) -> uuid.UUID:
    # Honour a proxy's X-Request-ID when it is a UUID, so log rows can be matched with the proxy's logs.
    try:
        return uuid.UUID(header) if header else uuid.uuid4()
    except ValueError:
        return uuid.uuid4()


class RequestContextMiddleware:
    """Tags everything done during a request with its request id and whether it came via UI or API."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        via = Via.API if request.path.startswith("/api/") else Via.UI
        with audit_context(via, _request_id(request.headers.get("X-Request-ID"))) as ctx:
            request.request_id = ctx.request_id
            response = self.get_response(request)
        response["X-Request-ID"] = str(ctx.request_id)
        return response
