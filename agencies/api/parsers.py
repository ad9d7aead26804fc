"""The API's JSON parser: a nesting limit and no lone surrogates, both a 400 with a Swedish message.

DRF's JSONParser hands the body to `json.loads`, which recurses once per level: a body of 100,000 `[`
raised RecursionError (a 500) on every write endpoint. A string escape like "\\ud800" decodes to a lone
surrogate that UTF-8 cannot encode: echoed in a "not a valid choice" message it broke the response renderer,
stored it breaks PostgreSQL. No record the API accepts nests deeper than a few levels, so the limit is low.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 20


def _depth_exceeds(raw: str, limit: int) -> bool:
    """Whether brackets nest deeper than `limit`, counted outside strings, without recursion."""
    depth = 0
    in_string = escaped = False
    for char in raw:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return True
        elif char in "]}":
            depth -= 1
    return False


def _has_lone_surrogate(value) -> bool:
    """Walks the parsed document (already known to be shallow) for a str UTF-8 cannot encode."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


class StrictJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            raw = stream.read().decode(encoding)
        except UnicodeDecodeError:
            raise ParseError(_("Begäran är inte giltig UTF-8.")) from None
        if _depth_exceeds(raw, MAX_DEPTH):
            raise ParseError(_("JSON-data är nästlat för djupt (högst %(levels)s nivåer).") % {"levels": MAX_DEPTH})
        try:
            data = json.loads(raw, parse_constant=_reject_constant)
        except (ValueError, RecursionError):
            raise ParseError(_("Ogiltig JSON.")) from None
        if _has_lone_surrogate(data):
            raise ParseError(_("Texten innehåller ett ogiltigt tecken (ett ensamt surrogattecken)."))
        return data


def _reject_constant(name: str):
    # NaN and Infinity are not JSON; DRF's own parser refuses them too (strict mode).
    raise ValueError(name)
