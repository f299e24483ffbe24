"""Sampling profiles of the project's runs (py-spy, from outside the process, no slowdown).

``py-spy record --format raw --nolineno`` writes collapsed stacks ("frame;frame;... count").
:func:`summarise` splits the samples into phases by a frame on the stack (catalogue load,
index build, answering, database write) and lists, per phase, where the time goes.
"""

from __future__ import annotations

import re
import shutil
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

# phase name → a frame function name that marks it (the first match from the root wins)
PHASES = (
    ("start-up: imports", "_find_and_load"),
    ("start-up: database migrations", "Database.migrate"),
    ("catalogue read from the database", "CatalogueRepository.load"),
    ("reload: store in database", "CatalogueRepository.replace"),
    ("catalogue load", "load_catalogue"),
    ("index build", "KnowledgeBase.__init__"),
    ("index build", "KnowledgeBase.swap"),
    ("answer", "answer"),
)
FRAME = re.compile(r"^(?P<func>.*?) \((?P<file>[^()]*)\)$")
BORING = {"<module>", "main", "_run_module_as_main", "_run_code", "timed", "wrapper", "<genexpr>",
          "<lambda>"}


def py_spy() -> str | None:
    exe = Path(sys.executable).parent / "py-spy"
    return str(exe) if exe.exists() else shutil.which("py-spy")


def command(out: Path, rate: int = 50) -> list[str]:
    """The py-spy prefix for a command line, or [] when py-spy is not installed."""
    exe = py_spy()
    if exe is None:
        return []
    return [exe, "record", "--nonblocking", "--nolineno", "--rate", str(rate), "--format", "raw",
            "-o", str(out), "--"]


def _short(frame: str) -> str:
    """'func (path)' with the path cut to the package: yaml/composer.py, bot/matching/index.py."""
    m = FRAME.match(frame)
    if not m:
        return frame
    path = re.sub(r"^.*?(site-packages/|/lib/python3\.\d+/)", "", m["file"])
    return f"{m['func']} ({path})"


@dataclass
class Phase:
    samples: int = 0
    inclusive: Counter = field(default_factory=Counter)
    leaf: Counter = field(default_factory=Counter)


def read(path: Path) -> list[tuple[list[str], int]]:
    out = []
    for line in Path(path).read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if stack and count.isdigit():
            out.append((stack.split(";"), int(count)))
    return out


def _own(path: str) -> bool:
    return path.startswith(("bot/", "benchmarks/"))


def phases(stacks: list[tuple[list[str], int]]) -> dict[str, Phase]:
    """Samples per phase; inclusive counts of the project's own frames and of the first
    library frame each of them calls (where the time leaves the project's code)."""
    result: dict[str, Phase] = {}
    for frames, n in stacks:
        parsed = [(m["func"], m["file"]) if (m := FRAME.match(f)) else (f, "") for f in frames]
        start = next((i for i, (fn, _) in enumerate(parsed)
                      if any(fn == marker for _, marker in PHASES)), None)
        if start is None:
            continue
        name = next(p for p, marker in PHASES if parsed[start][0] == marker)
        ph = result.setdefault(name, Phase())
        ph.samples += n
        seen = set()
        for i in range(start, len(parsed)):
            fn, path = parsed[i]
            caller_own = i > start and _own(parsed[i - 1][1])
            if not (_own(path) or caller_own) or fn.split(".")[-1] in BORING or "frozen" in path:
                continue
            label = _short(frames[i])
            if not _own(path):
                label = "→ " + label
            if label not in seen:
                ph.inclusive[label] += n
                seen.add(label)
        ph.leaf[_short(frames[-1])] += n
    return result


def summarise(path: Path, rate: int = 50, top: int = 8, min_share: float = 0.02) -> str:
    """Markdown: per phase, where its samples go (the project's functions, and '→' the library
    calls they make), largest first, and the leaf functions that burn the time."""
    ph = phases(read(path))
    total = sum(p.samples for p in ph.values())
    if not total:
        return "_no samples_\n"
    lines = []
    for name, p in sorted(ph.items(), key=lambda kv: -kv[1].samples):
        if p.samples < max(5, min_share * total):
            continue
        lines += [f"*{name}* — {p.samples} samples ≈ {p.samples / rate:.1f} s of wall time", "",
                  "| share of phase | function (file); → a library call from the project's code |",
                  "|---:|---|"]
        for f, n in p.inclusive.most_common(top):
            lines.append(f"| {100 * n / p.samples:.0f} % | `{f}` |")
        leaf = ", ".join(f"`{f}` {100 * n / p.samples:.0f} %" for f, n in p.leaf.most_common(4))
        lines += ["", f"Leaf (self) time: {leaf}", ""]
    return "\n".join(lines)


