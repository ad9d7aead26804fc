"""Project-wide response headers that are not one app's business."""

from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    """`Cache-Control: no-store` (and private, no-cache) on every response that may carry personal data.

    That is every API response and every page a signed-in user gets: a browser's cache or a shared proxy
    must not keep a person's details after the session ends. Static files never reach here (WhiteNoise
    answers them first), and the login page of an anonymous visitor keeps the default.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if request.path.startswith("/api/") or (user is not None and user.is_authenticated):
            add_never_cache_headers(response)
        return response
