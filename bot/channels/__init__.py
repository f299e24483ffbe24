"""Transports: thin adapters that carry questions to the core and its replies back
(``telegram`` for the Telegram bot, ``web`` for the web chat, API and webhook)."""
