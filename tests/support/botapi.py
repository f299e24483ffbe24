"""A small stand-in of the Telegram Bot API, for tests.

It keeps just enough of Telegram's behaviour to hold a real conversation with a bot:
the bot's calls are validated the way Telegram validates them (HTML parse mode, 4096
characters, 64-byte callback data, answering a query twice, "message is not modified"…),
every call is recorded, and a test pushes updates as a user would cause them.

Two transports share one :class:`BotApiState`:

* :class:`BotApiStandIn` serves it over real HTTP on 127.0.0.1 (aiohttp). A bot reaches it
  with PTB's ``base_url`` (``api.base_url``; the token is appended). Updates go out through
  ``getUpdates`` (long polling honours ``timeout``) or, after ``setWebhook``, are POSTed to
  the webhook URL one at a time, in order, with ``X-Telegram-Bot-Api-Secret-Token``.
* :class:`RecordingRequest` is a PTB ``BaseRequest`` that answers in-process, for
  handler-level tests with ``Application.process_update``.

Example::

    async with BotApiStandIn() as api:
        start_bot(base_url=api.base_url, token=api.token)       # polling or webhook
        calls = await api.exchange(api.message_update("/start"))
        reply = api.sent(chat_id=api.default_user["id"])[-1]
        calls = await api.exchange(api.callback_update(reply, reply["reply_markup"]
                                                       ["inline_keyboard"][0][0]["callback_data"]))

:meth:`BotApiStandIn.sync` and :meth:`BotApiStandIn.exchange` rely on two things every
well-behaved bot does: it handles updates in order, and it answers every callback query
(even one whose data it does not know). The stand-in checks neither HTTPS nor ports of a
webhook URL, and it does not retry a failed webhook delivery (push the update again).
"""

from __future__ import annotations

import asyncio
import copy
import html
import itertools
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any, Self

from aiohttp import ClientSession, ClientTimeout, web
from telegram.request import BaseRequest, RequestData

TOKEN = "123456789:AAH-stand-in-token_for_tests"
MAX_TEXT = 4096
MAX_CALLBACK_DATA = 64
MAX_CALLBACK_ANSWER = 200
MAX_INLINE_RESULTS = 50
UPDATE_KINDS = ("message", "edited_message", "callback_query", "inline_query")
ALLOWED_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
                "span", "tg-spoiler", "blockquote", "tg-emoji"}
CHAT_ACTIONS = {"typing", "upload_photo", "record_video", "upload_video", "record_voice",
                "upload_voice", "upload_document", "choose_sticker", "find_location",
                "record_video_note", "upload_video_note"}
COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")
SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
STRING_PARAMS = {"text", "parse_mode", "callback_query_id", "inline_query_id", "url",
                 "secret_token", "language_code", "next_offset", "action", "ip_address",
                 "inline_message_id"}


class ApiError(Exception):
    """An error answer of the Bot API (``ok: false``)."""

    def __init__(self, code: int, description: str):
        super().__init__(description)
        self.code = code
        self.description = description


@dataclass
class Call:
    """One method call the bot made, with decoded parameters and what it got back."""

    seq: int
    method: str
    params: dict[str, Any]
    result: Any = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def utf16_len(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


class _TelegramHtml(HTMLParser):
    """Telegram's HTML parse mode: allowed tags only, balanced, every <, > and & escaped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        self.stack: list[str] = []

    @staticmethod
    def fail(why: str) -> None:
        raise ApiError(400, f"Bad Request: can't parse entities: {why}")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.fail(f'unsupported start tag "{tag}"')
        if tag == "span" and dict(attrs).get("class") != "tg-spoiler":
            self.fail('tag "span" must have class "tg-spoiler"')
        if tag == "a" and not dict(attrs).get("href"):
            self.fail('tag "a" needs an href')
        self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.fail(f'unsupported start tag "{tag}/"')

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.fail(f'unexpected end tag "{tag}"')
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        for ch in "<>&":
            if ch in data:
                self.fail(f"unescaped {ch!r} in text")
        self.out.append(data)

    def handle_entityref(self, name: str) -> None:
        if name not in {"lt", "gt", "amp", "quot"}:
            self.fail(f'unsupported entity "&{name};"')
        self.out.append(html.unescape(f"&{name};"))

    def handle_charref(self, name: str) -> None:
        self.out.append(html.unescape(f"&#{name};"))

    def handle_comment(self, data: str) -> None:
        self.fail("comments are not supported")

    def handle_decl(self, decl: str) -> None:
        self.fail("declarations are not supported")

    def parse(self, text: str) -> str:
        self.feed(text)
        self.close()
        if self.rawdata:
            self.fail("unfinished tag or entity")
        if self.stack:
            self.fail(f'unclosed start tag "{self.stack[-1]}"')
        return "".join(self.out)


def plain_text(text: str, parse_mode: str | None) -> str:
    """The text a user sees, after Telegram parsed ``parse_mode`` (raises ApiError)."""
    if (parse_mode or "").upper() == "HTML":
        return _TelegramHtml().parse(text)
    if parse_mode:
        raise ApiError(400, f"Bad Request: unsupported parse_mode {parse_mode!r} in the stand-in")
    return text


def decode_params(raw: dict[str, str]) -> dict[str, Any]:
    """Form or query values as PTB sends them (non-strings JSON-encoded) → Python values."""
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if key in STRING_PARAMS or not isinstance(value, str):
            out[key] = value
            continue
        try:
            out[key] = json.loads(value)
        except ValueError:
            out[key] = value
    return out


def _entities(text: str, bot_username: str | None = None) -> list[dict[str, Any]]:
    """The bot_command and mention entities Telegram would attach to ``text``."""
    found = []
    command = re.match(r"/[A-Za-z0-9_]{1,64}(@[A-Za-z0-9_]{3,32})?", text)
    if command:
        found.append({"type": "bot_command", "offset": 0, "length": utf16_len(command.group())})
    for m in re.finditer(r"(?<![A-Za-z0-9_])@[A-Za-z0-9_]{5,32}", text):
        if command and m.start() < command.end():
            continue
        found.append({"type": "mention", "offset": utf16_len(text[:m.start()]),
                      "length": utf16_len(m.group())})
    return found


def _without_reply(message: dict[str, Any]) -> dict[str, Any]:
    """A message as Telegram nests it in reply_to_message (one level only)."""
    return {k: copy.deepcopy(v) for k, v in message.items() if k != "reply_to_message"}


class BotApiState:
    """The Bot API's state and rules, independent of any transport.

    ``handle(method, params)`` answers one call (HTTP status and JSON body) and records it
    in :attr:`calls`. The ``*_update`` builders make the updates a user's actions cause;
    messages the user and the bot sent are kept by ``(chat_id, message_id)``.
    """

    def __init__(self, token: str = TOKEN, *, username: str = "hyteopas_test_bot",
                 first_name: str = "Hyteopas"):
        self.token = token
        self.me: dict[str, Any] = {
            "id": int(token.split(":")[0]), "is_bot": True, "first_name": first_name,
            "username": username, "can_join_groups": True,
            "can_read_all_group_messages": False, "supports_inline_queries": True,
        }
        self.calls: list[Call] = []
        self.updates: list[dict[str, Any]] = []
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}
        self.chats: dict[int, dict[str, Any]] = {}
        self.users: dict[int, dict[str, Any]] = {}
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.webhook: dict[str, Any] = {"url": "", "secret_token": None, "allowed_updates": None}
        self.allowed_updates: list[str] | None = None
        self.open_callback_queries: set[str] = set()
        self.open_inline_queries: set[str] = set()
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._query_ids = itertools.count(1)
        self.default_user = self.user()
        self._methods: dict[str, Callable[[dict[str, Any]], Any]] = {
            "getMe": lambda p: dict(self.me),
            "getUpdates": self._get_updates,
            "sendMessage": self._send_message,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "answerCallbackQuery": self._answer_callback_query,
            "answerInlineQuery": self._answer_inline_query,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteWebhook": self._delete_webhook,
            "setWebhook": self._set_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "sendChatAction": self._send_chat_action,
        }
        self._by_lower = {name.lower(): name for name in self._methods}

    # --- answering calls -------------------------------------------------------------------

    def handle(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """Answer one API call; returns the HTTP status and the JSON body."""
        name = self._by_lower.get(method.lower(), method)
        call = Call(len(self.calls), name, copy.deepcopy(params))
        try:
            impl = self._methods.get(name)
            if impl is None:
                raise ApiError(404, "Not Found: method not found in the stand-in")
            call.result = impl(params)
        except ApiError as exc:
            call.error = exc.description
            self._record(call)
            return exc.code, {"ok": False, "error_code": exc.code, "description": exc.description}
        self._record(call)
        return 200, {"ok": True, "result": call.result}

    def _record(self, call: Call) -> None:
        self.calls.append(call)

    def _chat(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = params.get("chat_id")
        try:
            return self.chats[int(chat_id)]
        except (KeyError, TypeError, ValueError):
            raise ApiError(400, "Bad Request: chat not found") from None

    def _bot_message(self, params: dict[str, Any]) -> dict[str, Any]:
        if params.get("inline_message_id"):
            raise ApiError(400, "Bad Request: inline messages are not kept by the stand-in")
        chat = self._chat(params)
        message = self.messages.get((chat["id"], int(params.get("message_id") or 0)))
        if message is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        if message.get("from", {}).get("id") != self.me["id"]:
            raise ApiError(400, "Bad Request: message can't be edited")
        return message

    @staticmethod
    def _text(text: Any, parse_mode: str | None) -> str:
        if not isinstance(text, str) or not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        plain = plain_text(text, parse_mode)
        if not plain.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if utf16_len(plain) > MAX_TEXT:
            raise ApiError(400, "Bad Request: message is too long")
        return plain

    @staticmethod
    def _markup(markup: Any) -> dict[str, Any] | None:
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
        for row in markup.get("inline_keyboard", []):
            for button in row:
                if not button.get("text"):
                    raise ApiError(400, "Bad Request: text buttons are unallowed in the inline keyboard")
                data = button.get("callback_data")
                if data is not None and not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA:
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
        return copy.deepcopy(markup)

    def _reply_to(self, chat_id: int, params: dict[str, Any]) -> dict[str, Any] | None:
        ref = params.get("reply_parameters") or {}
        message_id = ref.get("message_id", params.get("reply_to_message_id"))
        if message_id is None:
            return None
        allow = ref.get("allow_sending_without_reply", params.get("allow_sending_without_reply"))
        message = self.messages.get((int(ref.get("chat_id", chat_id)), int(message_id)))
        if message is None and not allow:
            raise ApiError(400, "Bad Request: message to be replied not found")
        return _without_reply(message) if message else None

    def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self.webhook["url"]:
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active; "
                                "use deleteWebhook to delete the webhook first")
        if params.get("allowed_updates") is not None:
            self.allowed_updates = list(params["allowed_updates"])
        offset = int(params.get("offset") or 0)
        if offset > 0:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
        if self.allowed_updates:
            self.updates = [u for u in self.updates if _kind(u) in self.allowed_updates]
        return copy.deepcopy(self.updates[: int(params.get("limit") or 100)])

    def pending(self, offset: int = 0) -> bool:
        """Whether getUpdates with ``offset`` would return something now."""
        return any(u["update_id"] >= offset for u in self.updates)

    def _send_message(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(params)
        text = self._text(params.get("text"), params.get("parse_mode"))
        markup = self._markup(params.get("reply_markup"))
        reply_to = self._reply_to(chat["id"], params)
        message: dict[str, Any] = {"message_id": next(self._message_ids), "date": int(time.time()),
                                   "chat": dict(chat), "from": dict(self.me), "text": text}
        if markup and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        if reply_to:
            message["reply_to_message"] = reply_to
        self.messages[(chat["id"], message["message_id"])] = message
        return copy.deepcopy(message)

    def _edit_message_text(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self._bot_message(params)
        text = self._text(params.get("text"), params.get("parse_mode"))
        markup = self._markup(params.get("reply_markup"))
        if text == message["text"] and markup == message.get("reply_markup"):
            raise ApiError(400, "Bad Request: message is not modified: specified new message "
                                "content and reply markup are exactly the same as a current "
                                "content and reply markup of the message")
        message["text"] = text
        message.pop("reply_markup", None)
        if markup:
            message["reply_markup"] = markup
        message["edit_date"] = int(time.time())
        return copy.deepcopy(message)

    def _edit_message_reply_markup(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self._bot_message(params)
        markup = self._markup(params.get("reply_markup"))
        if markup == message.get("reply_markup") or (not markup and "reply_markup" not in message):
            raise ApiError(400, "Bad Request: message is not modified: specified new message "
                                "content and reply markup are exactly the same as a current "
                                "content and reply markup of the message")
        message.pop("reply_markup", None)
        if markup:
            message["reply_markup"] = markup
        message["edit_date"] = int(time.time())
        return copy.deepcopy(message)

    def _answer_callback_query(self, params: dict[str, Any]) -> bool:
        query_id = str(params.get("callback_query_id"))
        if query_id not in self.open_callback_queries:
            raise ApiError(400, "Bad Request: query is too old and response timeout expired "
                                "or query ID is invalid")
        if len(params.get("text") or "") > MAX_CALLBACK_ANSWER:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        self.open_callback_queries.discard(query_id)
        return True

    def _answer_inline_query(self, params: dict[str, Any]) -> bool:
        query_id = str(params.get("inline_query_id"))
        if query_id not in self.open_inline_queries:
            raise ApiError(400, "Bad Request: query is too old and response timeout expired "
                                "or query ID is invalid")
        results = params.get("results") or []
        if len(results) > MAX_INLINE_RESULTS:
            raise ApiError(400, "Bad Request: RESULTS_TOO_MUCH")
        ids = [str(r.get("id", "")) for r in results]
        if len(set(ids)) != len(ids) or any(not 1 <= len(i.encode()) <= 64 for i in ids):
            raise ApiError(400, "Bad Request: RESULT_ID_INVALID")
        for result in results:
            if result.get("type") == "article" and not result.get("title"):
                raise ApiError(400, "Bad Request: RESULT_TITLE_EMPTY")
            content = result.get("input_message_content") or {}
            if "message_text" in content:
                self._text(content["message_text"], content.get("parse_mode"))
            self._markup(result.get("reply_markup"))
        if len((params.get("next_offset") or "").encode()) > 64:
            raise ApiError(400, "Bad Request: NEXT_OFFSET_INVALID")
        self.open_inline_queries.discard(query_id)
        return True

    def _commands_key(self, params: dict[str, Any]) -> tuple[str, str]:
        scope = params.get("scope") or {"type": "default"}
        language = params.get("language_code") or ""
        if language and not re.fullmatch(r"[a-z]{2}", language):
            raise ApiError(400, "Bad Request: invalid language code specified")
        return scope.get("type", "default"), language

    def _set_my_commands(self, params: dict[str, Any]) -> bool:
        commands = params.get("commands") or []
        if len(commands) > 100:
            raise ApiError(400, "Bad Request: too many commands")
        for c in commands:
            if not COMMAND_RE.match(str(c.get("command", ""))) or \
                    not 1 <= len(c.get("description") or "") <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
        self.commands[self._commands_key(params)] = copy.deepcopy(commands)
        return True

    def _get_my_commands(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        return copy.deepcopy(self.commands.get(self._commands_key(params), []))

    def _delete_webhook(self, params: dict[str, Any]) -> bool:
        self.webhook = {"url": "", "secret_token": None, "allowed_updates": None}
        if params.get("drop_pending_updates"):
            self.updates.clear()
        return True

    def _set_webhook(self, params: dict[str, Any]) -> bool:
        url = params.get("url") or ""
        if not url:
            return self._delete_webhook(params)
        if not url.startswith(("http://", "https://")):
            raise ApiError(400, "Bad Request: bad webhook: invalid webhook URL specified")
        secret = params.get("secret_token")
        if secret is not None and not SECRET_RE.match(secret):
            raise ApiError(400, "Bad Request: bad webhook: secret token contains unallowed characters")
        if params.get("drop_pending_updates"):
            self.updates.clear()
        self.webhook = {"url": url, "secret_token": secret,
                        "allowed_updates": params.get("allowed_updates")}
        return True

    def _get_webhook_info(self, params: dict[str, Any]) -> dict[str, Any]:
        info: dict[str, Any] = {"url": self.webhook["url"], "has_custom_certificate": False,
                                "pending_update_count": len(self.updates)}
        if self.webhook["allowed_updates"]:
            info["allowed_updates"] = self.webhook["allowed_updates"]
        return info

    def _send_chat_action(self, params: dict[str, Any]) -> bool:
        self._chat(params)
        if params.get("action") not in CHAT_ACTIONS:
            raise ApiError(400, "Bad Request: wrong parameter action in request")
        return True

    # --- what a user does ------------------------------------------------------------------

    def user(self, user_id: int = 1001, *, first_name: str = "Maija",
             language_code: str | None = "fi", username: str | None = None) -> dict[str, Any]:
        """A Telegram user (``language_code`` None: the client sent none)."""
        user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
        if language_code:
            user["language_code"] = language_code
        if username:
            user["username"] = username
        self.users[user_id] = user
        self.chats.setdefault(user_id, {"id": user_id, "type": "private", "first_name": first_name})
        return user

    def group(self, chat_id: int = -100200300, title: str = "Testiryhmä") -> dict[str, Any]:
        """A group chat the bot is a member of."""
        chat = {"id": chat_id, "type": "group", "title": title}
        self.chats[chat_id] = chat
        return chat

    def _new_update(self, **body: Any) -> dict[str, Any]:
        return {"update_id": next(self._update_ids), **body}

    def message_update(self, text: str | None = None, *, user: dict[str, Any] | None = None,
                       chat: dict[str, Any] | None = None,
                       reply_to: dict[str, Any] | None = None, **content: Any) -> dict[str, Any]:
        """A new message from ``user`` (default: :attr:`default_user`) in ``chat`` (default:
        their private chat): ``text``, or other content such as ``sticker={...}``."""
        user = user or self.default_user
        chat = chat or self.chats[user["id"]]
        message: dict[str, Any] = {"message_id": next(self._message_ids), "date": int(time.time()),
                                   "chat": dict(chat), "from": dict(user)}
        if text is not None:
            message["text"] = text
            entities = _entities(text)
            if entities:
                message["entities"] = entities
        message.update(copy.deepcopy(content))
        if reply_to:
            message["reply_to_message"] = _without_reply(
                self.messages.get((reply_to["chat"]["id"], reply_to["message_id"]), reply_to))
        self.messages[(chat["id"], message["message_id"])] = message
        return self._new_update(message=copy.deepcopy(message))

    def sticker_update(self, *, user: dict[str, Any] | None = None,
                       chat: dict[str, Any] | None = None) -> dict[str, Any]:
        """A sticker from ``user``."""
        sticker = {"file_id": "CAACAgIAAxk-sticker", "file_unique_id": "AgAD-sticker",
                   "type": "regular", "width": 512, "height": 512, "is_animated": False,
                   "is_video": False, "emoji": "👍"}
        return self.message_update(user=user, chat=chat, sticker=sticker)

    def edited_update(self, message: dict[str, Any], text: str) -> dict[str, Any]:
        """The user edits their earlier ``message`` (as returned inside an update) to ``text``."""
        stored = self.messages[(message["chat"]["id"], message["message_id"])]
        stored.update(text=text, edit_date=int(time.time()))
        stored.pop("entities", None)
        if _entities(text):
            stored["entities"] = _entities(text)
        return self._new_update(edited_message=copy.deepcopy(stored))

    def callback_update(self, message: dict[str, Any] | None, data: str, *,
                        user: dict[str, Any] | None = None) -> dict[str, Any]:
        """The user presses a button with ``data`` under the bot's ``message``."""
        query: dict[str, Any] = {"id": str(next(self._query_ids)), "data": data}
        if message is not None:
            live = self.messages.get((message["chat"]["id"], message["message_id"]), message)
            query["message"] = copy.deepcopy(live)
            query["chat_instance"] = f"ci{live['chat']['id']}"
            if user is None and live["chat"]["type"] == "private":
                user = self.users.get(live["chat"]["id"])
        else:
            query["chat_instance"] = "ci0"
        query["from"] = dict(user or self.default_user)
        self.open_callback_queries.add(query["id"])
        return self._new_update(callback_query=query)

    def inline_update(self, query: str, *, user: dict[str, Any] | None = None,
                      offset: str = "") -> dict[str, Any]:
        """The user types ``@bot query`` in some chat."""
        body = {"id": str(next(self._query_ids)), "from": dict(user or self.default_user),
                "query": query, "offset": offset, "chat_type": "sender"}
        self.open_inline_queries.add(body["id"])
        return self._new_update(inline_query=body)

    def push_update(self, update: dict[str, Any]) -> dict[str, Any]:
        """Make ``update`` available to ``getUpdates``."""
        self.updates.append(update)
        return update

    # --- what the bot did ------------------------------------------------------------------

    def mark(self) -> int:
        """A position in :attr:`calls`, for ``since=``."""
        return len(self.calls)

    def calls_to(self, method: str, *, since: int = 0) -> list[Call]:
        """Successful and failed calls of ``method`` from position ``since`` on."""
        return [c for c in self.calls[since:] if c.method == method]

    def sent(self, chat_id: int | None = None, *, since: int = 0) -> list[dict[str, Any]]:
        """Messages the bot sent (as returned to it), optionally only into ``chat_id``."""
        return [c.result for c in self.calls_to("sendMessage", since=since)
                if c.ok and (chat_id is None or c.result["chat"]["id"] == chat_id)]

    def message(self, message: dict[str, Any]) -> dict[str, Any]:
        """The current state of a message (after the bot's edits)."""
        return copy.deepcopy(self.messages[(message["chat"]["id"], message["message_id"])])

    @staticmethod
    def buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
        """The inline buttons of ``message``, row by row, flattened."""
        rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
        return [button for row in rows for button in row]


def _kind(update: dict[str, Any]) -> str:
    return next(k for k in update if k != "update_id")


class RecordingRequest(BaseRequest):
    """A PTB request answered in-process by a :class:`BotApiState` (no network).

    ``ApplicationBuilder().request(RecordingRequest(state))`` gives a bot whose every call
    lands in ``state.calls``; pair it with ``Application.process_update``.
    """

    def __init__(self, state: BotApiState):
        self.state = state

    @property
    def read_timeout(self) -> float | None:
        return None

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        params = copy.deepcopy(request_data.parameters) if request_data else {}
        status, body = self.state.handle(url.rsplit("/", 1)[-1], params)
        return status, json.dumps(body).encode()


class BotApiStandIn(BotApiState):
    """:class:`BotApiState` served over HTTP on 127.0.0.1; use as ``async with``."""

    def __init__(self, token: str = TOKEN, **kwargs: Any):
        super().__init__(token, **kwargs)
        self.port = 0
        self.waiting_polls = 0
        """getUpdates calls waiting for an update right now (long polling)."""
        self.deliveries: list[tuple[int, int]] = []
        """Webhook deliveries: (update_id, HTTP status; 0 when the connection failed)."""
        self._runner: web.AppRunner | None = None
        self._changed = asyncio.Event()
        self._closing = False
        self._outbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._deliverer: asyncio.Task[None] | None = None
        self._probe_ids: set[str] = set()
        self._probe_user = {"id": 777000999, "is_bot": False, "first_name": "Probe"}

    @property
    def base_url(self) -> str:
        """PTB's ``base_url`` for this stand-in (the token is appended by PTB)."""
        return f"http://127.0.0.1:{self.port}/bot"

    async def __aenter__(self) -> Self:
        app = web.Application(client_max_size=8 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._serve)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        self._deliverer = asyncio.create_task(self._deliver_forever())
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._closing = True
        self._notify()
        if self._deliverer:
            self._deliverer.cancel()
            await asyncio.gather(self._deliverer, return_exceptions=True)
        if self._runner:
            await self._runner.cleanup()

    def _notify(self) -> None:
        event, self._changed = self._changed, asyncio.Event()
        event.set()

    def _record(self, call: Call) -> None:
        super()._record(call)
        self._notify()

    async def until(self, predicate: Callable[[], bool], timeout: float = 30.0,
                    what: str = "the condition") -> None:
        """Wait until ``predicate()`` holds (checked after every call and update)."""
        try:
            async with asyncio.timeout(timeout):
                while not predicate():
                    await self._changed.wait()
        except TimeoutError:
            recent = ", ".join(c.method for c in self.calls[-12:] if c.method != "getUpdates")
            raise AssertionError(f"timed out waiting for {what}; recent calls: {recent}") from None

    async def wait_for(self, method: str, count: int = 1, *, since: int = 0,
                       timeout: float = 30.0) -> list[Call]:
        """Wait until the bot has made ``count`` calls of ``method`` since ``since``."""
        await self.until(lambda: len(self.calls_to(method, since=since)) >= count, timeout,
                         f"{count} × {method}")
        return self.calls_to(method, since=since)

    def push_update(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue ``update`` for getUpdates, or POST it to the webhook when one is set."""
        if self.webhook["url"]:
            self._outbox.put_nowait(update)
        else:
            super().push_update(update)
        self._notify()
        return update

    async def sync(self, timeout: float = 30.0) -> None:
        """Return once the bot has handled every update pushed so far.

        Pushes a probe callback query from a user of its own and waits for its answer; a
        bot that handles updates in order has then handled all earlier ones."""
        probe = self.callback_update(None, "stand-in:sync", user=self._probe_user)
        query_id = probe["callback_query"]["id"]
        self._probe_ids.add(query_id)
        self.push_update(probe)
        await self.until(lambda: query_id not in self.open_callback_queries, timeout,
                         "the bot to answer the sync probe")

    async def exchange(self, update: dict[str, Any], timeout: float = 30.0) -> list[Call]:
        """Push ``update`` and return the calls the bot made while handling it."""
        start = self.mark()
        self.push_update(update)
        await self.sync(timeout)
        return [c for c in self.calls[start:] if c.method != "getUpdates"
                and not (c.method == "answerCallbackQuery"
                         and str(c.params.get("callback_query_id")) in self._probe_ids)]

    async def _serve(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response({"ok": False, "error_code": 401,
                                      "description": "Unauthorized"}, status=401)
        raw: dict[str, Any] = dict(request.query)
        if request.can_read_body:
            if request.content_type == "application/json":
                raw.update(await request.json())
            else:
                raw.update({k: v for k, v in (await request.post()).items() if isinstance(v, str)})
        params = decode_params(raw)
        method = request.match_info["method"]
        if method.lower() == "getupdates":
            await self._long_poll(params)
        status, body = self.handle(method, params)
        return web.json_response(body, status=status)

    async def _long_poll(self, params: dict[str, Any]) -> None:
        offset = int(params.get("offset") or 0)
        timeout = float(params.get("timeout") or 0)
        if timeout <= 0 or self.webhook["url"]:
            return
        self.waiting_polls += 1
        self._notify()
        try:
            async with asyncio.timeout(timeout):
                while not (self._closing or self.pending(offset)):
                    await self._changed.wait()
        except TimeoutError:
            pass
        finally:
            self.waiting_polls -= 1

    async def _deliver_forever(self) -> None:
        async with ClientSession(timeout=ClientTimeout(total=30)) as http:
            while True:
                update = await self._outbox.get()
                headers = {}
                if self.webhook["secret_token"]:
                    headers["X-Telegram-Bot-Api-Secret-Token"] = self.webhook["secret_token"]
                try:
                    async with http.post(self.webhook["url"], json=update, headers=headers) as r:
                        status = r.status
                except Exception:  # noqa: BLE001 (any failure is a failed delivery)
                    status = 0
                self.deliveries.append((update["update_id"], status))
                self._notify()
