"""Small HTTP helpers shared by the routes: JSON errors, bounded bodies, security headers."""

from __future__ import annotations

import functools
import json
import logging
import traceback
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

log = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

dumps = functools.partial(json.dumps, ensure_ascii=False)

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'")


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    return web.json_response(data, status=status, headers=headers, dumps=dumps)


def json_error(status: int, error: str, message: str, **extra: Any) -> web.Response:
    """``{"error": code, "message": text, ...}`` with ``status``."""
    return json_response({"error": error, "message": message, **extra}, status=status)


class BodyError(Exception):
    """A request body that cannot be used; ``response`` says why."""

    def __init__(self, response: web.Response):
        super().__init__(response.status)
        self.response = response


def too_large(limit: int) -> BodyError:
    return BodyError(json_error(413, "too_large", f"the request body is larger than {limit} bytes"))


async def read_body(request: web.Request, limit: int) -> bytes:
    """The body, or :class:`BodyError` (413) as soon as it is known to exceed ``limit``."""
    if request.content_length is not None and request.content_length > limit:
        raise too_large(limit)
    body = await request.content.read(limit + 1)
    if len(body) > limit:
        raise too_large(limit)
    return body


async def read_json_object(request: web.Request, limit: int) -> dict[str, Any]:
    """The body parsed as a JSON object, or :class:`BodyError` (400/413)."""
    body = await read_body(request, limit)
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, ValueError):
        raise BodyError(json_error(400, "bad_json", "the body is not valid JSON")) from None
    if not isinstance(data, dict):
        raise BodyError(json_error(400, "bad_json", "the body must be a JSON object"))
    return data


TRUST_PROXY = web.AppKey("trust_proxy", bool)


def client_key(request: web.Request) -> str:
    """Who is asking, for rate limits: the peer address, or the first X-Forwarded-For
    address when the deployment says a proxy sets it (TRUST_PROXY_HEADERS)."""
    if request.app.get(TRUST_PROXY):
        forwarded = request.headers.get("X-Forwarded-For", "").split(",")[0].strip()
        if forwarded:
            return forwarded[:64]
    return request.remote or "unknown"


@web.middleware
async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Security headers on every response; body errors as JSON; no stack traces to clients."""
    try:
        response = await handler(request)
    except BodyError as exc:
        response = exc.response
    except web.HTTPException as exc:
        if exc.status == 413:
            response = json_error(413, "too_large", "the request body is too large")
        elif exc.status >= 400 and exc.content_type != "application/json":
            response = json_error(exc.status, exc.reason.lower().replace(" ", "_"), exc.reason)
            if "Allow" in exc.headers:
                response.headers["Allow"] = exc.headers["Allow"]
        else:
            raise
    except Exception as exc:  # noqa: BLE001 (the last line of defence)
        # Where it failed, but not the message: it may quote the user's text.
        where = "".join(traceback.format_tb(exc.__traceback__))
        log.error("%s while handling %s %s\n%s", type(exc).__name__, request.method,
                  request.path, where)
        response = json_error(500, "internal", "internal error")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("Content-Security-Policy", CSP)
    return response
