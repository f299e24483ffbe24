"""Command line: ask, check, load, reload, chat, polling, serve (`python -m bot --help`)."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from bot.catalogue import CatalogueError, load_catalogue
from bot.config import load_settings
from bot.core.context import Context
from bot.i18n import translator

MAX_LINE = 100_000


def _runtime(knowledge: str | None):  # noqa: ANN202 (Runtime, imported lazily for start-up time)
    from bot.runtime import Runtime

    if knowledge:
        return Runtime.ephemeral(Path(knowledge))
    return Runtime.open()


def _context(args: argparse.Namespace) -> Context:
    return Context(language=args.lang, force_language=bool(args.lang),
                   municipality=args.municipality, role="professional" if args.professional else "resident",
                   limit=args.limit)


def cmd_ask(args: argparse.Namespace) -> int:
    runtime = _runtime(args.knowledge)  # a bad catalogue or database: see main()
    ctx = _context(args)
    if args.municipality and runtime.kb.snapshot.matcher.places.resolve(args.municipality) is None:
        t = translator(args.lang)
        print(t("Unknown municipality: {name}").format(name=args.municipality), file=sys.stderr)
        return 2
    questions = [args.question] if args.question is not None else (
        line.rstrip("\r\n") for line in sys.stdin)
    for q in questions:
        reply = runtime.answer(q[:MAX_LINE], ctx)
        if args.json:
            print(json.dumps(reply.as_json(), ensure_ascii=False), flush=True)
        else:
            print(reply.text, end="\n\n", flush=True)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    warnings: list = []
    try:
        cat = load_catalogue(args.dir, warnings)
    except CatalogueError as exc:
        for w in warnings:
            print(f"warning: {w}", file=sys.stderr)
        print(exc, file=sys.stderr)
        print(f"{len(exc.problems)} error(s); the catalogue was not accepted.", file=sys.stderr)
        return 1
    for w in warnings:
        print(f"warning: {w}", file=sys.stderr)
    print(f"OK: {len(cat.services)} services, {len(cat.providers)} providers (version {cat.version})")
    return 0


def _progress(total_hint: int):  # noqa: ANN202 (a callback)
    from tqdm import tqdm

    bar = tqdm(total=total_hint, unit="service", disable=not sys.stderr.isatty() and total_hint < 5000)
    return bar


def cmd_load(args: argparse.Namespace) -> int:
    """Validate and replace the catalogue (also `reload`, default: the knowledge folder)."""
    from bot.runtime import Runtime

    settings = load_settings()
    folder = Path(args.dir) if getattr(args, "dir", None) else settings.knowledge_dir
    runtime = Runtime.open(settings)
    files = sum(1 for _ in (folder / "services").rglob("*.y*ml")) if (folder / "services").is_dir() else 0
    bar = _progress(0)
    bar.set_description(f"{folder} ({files} files)")
    result = runtime.reload(folder, progress=lambda n: (bar.update(n)))
    bar.close()
    if not result.ok:
        for e in result.errors:
            print(e, file=sys.stderr)
        print(f"{len(result.errors)} error(s); the catalogue in use was kept (version {result.version}).",
              file=sys.stderr)
        return 1
    print(f"OK: {result.services} services, {result.providers} providers loaded in "
          f"{result.seconds:.1f} s (version {result.version})")
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    runtime = _runtime(args.knowledge)
    t = translator(args.lang)
    print(t("Hello! Tell me in your own words what kind of help or activity you are looking for. "
            "I am not an emergency service: in an emergency call 112. Your messages are not stored."))
    ctx = _context(args)
    while True:
        try:
            q = input("> ")
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if q.strip():
            print(runtime.answer(q[:MAX_LINE], ctx).text, end="\n\n")


def cmd_polling(args: argparse.Namespace) -> int:
    from bot.channels.telegram.polling import run_polling

    return run_polling(load_settings())


def cmd_serve(args: argparse.Namespace) -> int:
    from bot.channels.web.server import run_server

    return run_server(load_settings())


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="hyteopas", description="Hyteopas / Hyteguiden service guidance bot")
    sub = p.add_subparsers(dest="command", required=True)

    def asking(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--knowledge", metavar="DIR", help="use this catalogue folder (temporary database)")
        sp.add_argument("--lang", choices=["fi", "sv"], help="reply language (default: the question's)")
        sp.add_argument("--municipality", metavar="NAME|CODE", help="home municipality")
        sp.add_argument("--professional", action="store_true", help="professional's view (fuller cards)")
        sp.add_argument("--limit", type=int, default=3, help="how many options (default 3)")

    a = sub.add_parser("ask", help="answer a question (or one per line from standard input)")
    asking(a)
    a.add_argument("--json", action="store_true", help="one JSON object per question")
    a.add_argument("question", nargs="?", metavar="QUESTION")
    a.set_defaults(func=cmd_ask)
    c = sub.add_parser("check", help="validate a catalogue folder without loading it")
    c.add_argument("dir")
    c.set_defaults(func=cmd_check)
    lo = sub.add_parser("load", help="validate a catalogue folder and make it the catalogue in use")
    lo.add_argument("dir")
    lo.set_defaults(func=cmd_load)
    r = sub.add_parser("reload", help="reload the knowledge folder (or DIR) into the database")
    r.add_argument("dir", nargs="?")
    r.set_defaults(func=cmd_load)
    ch = sub.add_parser("chat", help="talk with the bot in the terminal")
    asking(ch)
    ch.set_defaults(func=cmd_chat)
    sub.add_parser("polling", help="run the Telegram bot with long polling").set_defaults(func=cmd_polling)
    sub.add_parser("serve", help="run the web server (web chat, API, admin, Telegram webhook)"
                   ).set_defaults(func=cmd_serve)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=load_settings().log_level, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("httpx", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # python-telegram-bot logs whole updates (message text) at DEBUG: never below INFO.
    telegram_log = logging.getLogger("telegram")
    telegram_log.setLevel(max(logging.INFO, logging.getLogger().level))
    t = translator(getattr(args, "lang", None))
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        print(t("Cannot use the database: {reason}").format(reason=reason), file=sys.stderr)
        return 1
    except CatalogueError as exc:
        print(t("The catalogue has errors:"), file=sys.stderr)
        print(exc, file=sys.stderr)
        return 1
