"""Small HTTP helpers shared by the routes: JSON errors, bounded bodies, security headers."""

from __future__ import annotations

import asyncio
import functools
import hashlib
import hmac
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
       "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
       "frame-ancestors 'none'")
HSTS = "max-age=31536000"
# Content types a cross-site HTML form can send without a CORS preflight.
FORM_TYPES = frozenset({"text/plain", "application/x-www-form-urlencoded", "multipart/form-data"})


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


BODY_TIMEOUT = web.AppKey("body_timeout", float)
"""Seconds a client has to send the whole body (HTTP_BODY_TIMEOUT)."""


async def read_body(request: web.Request, limit: int) -> bytes:
    """The whole body, however many pieces it arrives in, or :class:`BodyError`: 413 as soon
    as it is known to exceed ``limit``, 408 (and the connection closed) when it does not
    arrive within the app's BODY_TIMEOUT."""
    if request.content_length is not None and request.content_length > limit:
        raise too_large(limit)
    chunks, size = [], 0
    try:
        async with asyncio.timeout(request.app.get(BODY_TIMEOUT)):
            while chunk := await request.content.read(limit + 1 - size):
                chunks.append(chunk)
                size += len(chunk)
                if size > limit:
                    raise too_large(limit)
    except TimeoutError:
        response = json_error(408, "timeout", "the request body did not arrive in time")
        response.force_close()
        raise BodyError(response) from None
    return b"".join(chunks)


def parse_json(body: bytes) -> Any:
    """``json.loads``, or :class:`BodyError` (400) for a body that is not JSON or is nested
    too deep to parse."""
    try:
        return json.loads(body)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise BodyError(json_error(400, "bad_json", "the body is not valid JSON")) from None


async def read_json_object(request: web.Request, limit: int) -> dict[str, Any]:
    """The body parsed as a JSON object, or :class:`BodyError` (400/413/415). A body of a
    type that a cross-site form can send is refused, so no other site can post for a user."""
    if request.content_type in FORM_TYPES:
        raise BodyError(json_error(415, "unsupported_media_type",
                                   "send the body as application/json"))
    data = parse_json(await read_body(request, limit))
    if not isinstance(data, dict):
        raise BodyError(json_error(400, "bad_json", "the body must be a JSON object"))
    return data


def same_secret(given: str, expected: str) -> bool:
    """Constant-time comparison (of digests, so that even the length does not leak)."""
    return hmac.compare_digest(hashlib.sha256(given.encode("utf-8", "surrogatepass")).digest(),
                               hashlib.sha256(expected.encode("utf-8")).digest())


TRUST_PROXY = web.AppKey("trust_proxy", int)


def _forwarded(request: web.Request, header: str) -> str | None:
    """The entry of ``header`` that the outermost trusted proxy wrote: with N proxies in front
    (TRUST_PROXY_HEADERS=N) the N-th from the right; entries further left are the client's to
    forge. ``None`` without trusted proxies or without such an entry."""
    hops = request.app.get(TRUST_PROXY, 0)
    entries = [e.strip() for e in request.headers.get(header, "").split(",") if e.strip()]
    return entries[-hops] if hops and len(entries) >= hops else None


def client_key(request: web.Request) -> str:
    """Who is asking, for rate limits: the peer address, or the address the trusted proxies
    saw (X-Forwarded-For, counted from the right)."""
    return (_forwarded(request, "X-Forwarded-For") or request.remote or "unknown")[:64]


def served_over_https(request: web.Request) -> bool:
    """HTTPS to us, or to the outermost trusted proxy (X-Forwarded-Proto)."""
    return request.secure or (_forwarded(request, "X-Forwarded-Proto") or "").lower() == "https"


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
    response.headers.setdefault("X-Frame-Options", "DENY")
    if served_over_https(request):
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response
