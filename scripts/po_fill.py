"""Fill translations into locales/<lang>/LC_MESSAGES/<domain>.po from a YAML table.

Usage: python scripts/po_fill.py DOMAIN TABLE.yaml
The table maps each English msgid to {fi: ..., sv: ...}; a plural message to lists
{fi: [singular, plural], sv: [...]}. Existing translations are kept
unless the table gives a new one; msgids no longer in the .pot are dropped.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent


def main(domain: str, table_path: str) -> int:
    table = yaml.safe_load(Path(table_path).read_text(encoding="utf-8")) or {}
    with (ROOT / "locales" / f"{domain}.pot").open("rb") as fh:
        template = read_po(fh)
    missing = 0
    for lang in ("fi", "sv"):
        po_path = ROOT / "locales" / lang / "LC_MESSAGES" / f"{domain}.po"
        old = {}
        if po_path.exists():
            with po_path.open("rb") as fh:
                old = {m.id: m.string for m in read_po(fh, locale=lang) if m.id}
        with (ROOT / "locales" / f"{domain}.pot").open("rb") as fh:
            cat = read_po(fh, locale=lang)
        cat.domain = domain
        for msg in cat:
            if not msg.id:
                continue
            key = msg.id[0] if msg.pluralizable else msg.id
            new = (table.get(key) or {}).get(lang)
            msg.string = (tuple(new) if msg.pluralizable and new else new) or old.get(msg.id, "")
            if not msg.string or (msg.pluralizable and not all(msg.string)):
                missing += 1
                print(f"missing {lang}: {msg.id!r}", file=sys.stderr)
        po_path.parent.mkdir(parents=True, exist_ok=True)
        with po_path.open("wb") as fh:
            write_po(fh, cat, omit_header=False, sort_output=True, width=100)
    del template
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:]))
