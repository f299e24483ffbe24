"""What the handlers share: the runtime, settings, the throttle and the service lookup."""

from __future__ import annotations

from dataclasses import dataclass, field

from telegram.ext import CallbackContext

from bot.channels.telegram.keyboards import ServiceTokens
from bot.channels.telegram.throttle import ChatThrottle
from bot.config import Settings
from bot.runtime import Runtime

KEY = "hyteopas"


@dataclass
class Deps:
    runtime: Runtime
    settings: Settings
    throttle: ChatThrottle = field(default_factory=ChatThrottle)
    services: ServiceTokens = field(default_factory=ServiceTokens)


def deps(context: CallbackContext) -> Deps:  # type: ignore[type-arg]
    """The :class:`Deps` that ``build_application`` put in ``bot_data``."""
    return context.application.bot_data[KEY]
