"""The one way an API view answers a create: 201, the body, and `Location` as a plain `str`.

DRF's hyperlinked fields put a `Hyperlink` (a `str` subclass) in `serializer.data["url"]`. gunicorn lets it
through, but the WSGI layer of `manage.py runserver` (wsgiref) accepts header values whose type is exactly
`str` and answered every create with a 500 after the record was saved — a client that retried made a
duplicate. `gvi_portal/tests/test_wsgi_headers.py` runs creates through wsgiref's validator.
"""

from rest_framework import status
from rest_framework.response import Response


def created(body) -> Response:
    """201 with `body` and a `Location` header naming `body["url"]`."""
    return Response(body, status=status.HTTP_201_CREATED, headers={"Location": str(body["url"])})
