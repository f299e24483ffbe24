"""The Telegram channel: a python-telegram-bot application over :class:`bot.runtime.Runtime`.

``app.build_application`` wires the handlers; ``polling.run_polling`` runs them with long
polling (the web server runs the same application behind its webhook).
"""
