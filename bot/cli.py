"""Command line: ask, check, load, reload, import-ptv, coverage, audit, chat, polling, serve (`python -m bot --help`)."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from datetime import date
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


def _report(problems: list, warnings: list, t) -> None:  # noqa: ANN001 (Translator)
    """Warnings and errors of a catalogue, one per line, on standard error."""
    for w in warnings:
        print(t("warning: {problem}").format(problem=w), file=sys.stderr)
    for p in problems:
        print(p, file=sys.stderr)


def cmd_check(args: argparse.Namespace) -> int:
    t = translator(args.lang)
    warnings: list = []
    try:
        cat = load_catalogue(args.dir, warnings)
    except CatalogueError as exc:
        _report(exc.problems, warnings, t)
        n = len(exc.problems)
        print(t.ngettext("{n} error: the catalogue was not accepted.",
                         "{n} errors: the catalogue was not accepted.", n).format(n=n), file=sys.stderr)
        return 1
    _report([], warnings, t)
    print(t("OK: {services} services, {providers} providers (version {version})").format(
        services=len(cat.services), providers=len(cat.providers), version=cat.version))
    return 0


def cmd_load(args: argparse.Namespace) -> int:
    """Validate and replace the catalogue (also `reload`, default: the knowledge folder)."""
    from tqdm import tqdm

    from bot.runtime import Runtime

    t = translator(args.lang)
    settings = load_settings()
    folder = Path(args.dir) if args.dir else settings.knowledge_dir
    runtime = Runtime.open(settings)
    with tqdm(unit="service", desc=str(folder), disable=not sys.stderr.isatty()) as bar:
        result = runtime.reload(folder, progress=bar.update)
    if not result.ok:
        _report(result.errors, [], t)
        n = len(result.errors)
        print(t.ngettext("{n} error: the catalogue in use was kept (version {version}).",
                         "{n} errors: the catalogue in use was kept (version {version}).", n
                         ).format(n=n, version=result.version), file=sys.stderr)
        return 1
    print(t("OK: {services} services, {providers} providers loaded in {seconds} s "
            "(version {version})").format(services=result.services, providers=result.providers,
                                          seconds=t.number(round(result.seconds, 1)),
                                          version=result.version))
    return 0


def cmd_import_ptv(args: argparse.Namespace) -> int:
    """Import PTV services into a catalogue folder (see bot/ptv/importer.py)."""
    from bot.ptv.importer import import_ptv
    from bot.ptv.topics import TableError

    t = translator(args.lang)
    try:
        result = import_ptv(args.sources, Path(args.out), args.area, args.since,
                            Path(args.topics) if args.topics else None)
    except TableError as exc:
        print(exc, file=sys.stderr)
        return 2
    unmapped = result.unmapped
    if unmapped.classes or unmapped.terms:
        print(t("Not imported: no topic for these PTV service classes and terms "
                "(add rows to ptv-topics.csv):"), file=sys.stderr)
        for label, n in (unmapped.classes + unmapped.terms).most_common():
            print(f"  {label}: {n}", file=sys.stderr)
    if not result.ok:
        for p in result.problems:
            print(p, file=sys.stderr)
        n = len(result.problems)
        print(t.ngettext("{n} error: nothing was written.", "{n} errors: nothing was written.", n
                         ).format(n=n), file=sys.stderr)
        return 1
    print(t("OK: {services} services and {providers} providers written to {file}.").format(
        services=result.services, providers=result.providers, file=result.written))
    print(t("Left out: {unmapped} without a topic, {others} not for residents, {area} outside "
            "the areas asked for, {dropped} withdrawn or archived.").format(
        unmapped=result.skipped_unmapped, others=result.skipped_not_for_residents,
        area=result.skipped_area, dropped=result.dropped))
    return 0


def cmd_coverage(args: argparse.Namespace) -> int:
    """The municipality × need matrix of a catalogue folder (see bot/catalogue/coverage.py)."""
    from bot.catalogue.builtins import builtins
    from bot.catalogue.coverage import coverage, municipalities_in, render

    t = translator(args.lang)
    folder = Path(args.knowledge) if args.knowledge else load_settings().knowledge_dir
    catalogue = load_catalogue(folder)  # errors: see main()
    places = builtins().places
    municipalities = municipalities_in(places, catalogue, args.region)
    if municipalities is None:
        print(t("Unknown region or wellbeing services county: {name}").format(name=args.region), file=sys.stderr)
        return 2
    sys.stdout.write(render(coverage(catalogue, places, municipalities), args.format, t.language))
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    """What to check in a catalogue folder (see bot/catalogue/audit.py)."""
    from bot.catalogue.audit import audit, render

    t = translator(args.lang)
    folder = Path(args.knowledge) if args.knowledge else load_settings().knowledge_dir
    catalogue = load_catalogue(folder)  # errors: see main()
    sys.stdout.write(render(audit(catalogue), args.format, t.language, len(catalogue.services)))
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


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a date (YYYY-MM-DD)") from None


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
    for name, helptext, func, required in (
            ("check", "validate a catalogue folder without loading it", cmd_check, True),
            ("load", "validate a catalogue folder and make it the catalogue in use", cmd_load, True),
            ("reload", "reload the knowledge folder (or DIR) into the database", cmd_load, False)):
        sp = sub.add_parser(name, help=helptext)
        sp.add_argument("dir", nargs=None if required else "?")
        sp.add_argument("--lang", choices=["fi", "sv"], help="language of the messages (default fi)")
        sp.set_defaults(func=func)
    ip = sub.add_parser("import-ptv", help="import services from PTV (suomi.fi) JSON files or the PTV API")
    ip.add_argument("sources", nargs="+", metavar="FILE_OR_URL")
    ip.add_argument("--out", required=True, metavar="DIR", help="catalogue folder (writes services/ptv.yaml)")
    ip.add_argument("--area", action="append", metavar="CODE", help="only these municipalities (code or name); repeatable")
    ip.add_argument("--since", type=_date, metavar="DATE", help="only items changed on or after this date (YYYY-MM-DD)")
    ip.add_argument("--topics", metavar="CSV", help="PTV class/term → topic table (default: DIR/ptv-topics.csv "
                    "or the bundled knowledge/ptv-topics.csv)")
    ip.add_argument("--lang", choices=["fi", "sv"], help="language of the messages (default fi)")
    ip.set_defaults(func=cmd_import_ptv)
    cv = sub.add_parser("coverage", help="municipality × need matrix: where residents find a local, "
                        "regional or only a national option")
    cv.add_argument("--knowledge", metavar="DIR", help="catalogue folder (default: the knowledge folder)")
    cv.add_argument("--region", metavar="NAME", help="a region or wellbeing services county "
                    "(default: every region the catalogue has local or regional services in)")
    cv.add_argument("--format", choices=["md", "csv", "json"], default="md")
    cv.add_argument("--lang", choices=["fi", "sv"], help="language of names and labels (default fi)")
    cv.set_defaults(func=cmd_coverage)
    au = sub.add_parser("audit", help="what to check in a catalogue: crisis services without a "
                        "phone, news items as sources, old or missing check dates, home-page links")
    au.add_argument("--knowledge", metavar="DIR", help="catalogue folder (default: the knowledge folder)")
    au.add_argument("--format", choices=["md", "json"], default="md")
    au.add_argument("--lang", choices=["fi", "sv"], help="language of the labels (default fi)")
    au.set_defaults(func=cmd_audit)
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
