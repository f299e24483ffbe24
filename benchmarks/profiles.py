"""Sampling profiles of the project's runs (py-spy, from outside the process, no slowdown).

``py-spy record --format raw --nolineno`` writes collapsed stacks ("frame;frame;... count").
:func:`summarise` splits the samples into phases by a frame on the stack (catalogue load,
index build, answering, database write) and lists, per phase, where the time goes.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

# phase name → a frame function name that marks it (the first match from the root wins)
PHASES = (
    ("reload: store in database", "CatalogueRepository.replace"),
    ("catalogue load", "load_catalogue"),
    ("index build", "KnowledgeBase.__init__"),
    ("index build", "KnowledgeBase.swap"),
    ("answer", "answer"),
)
FRAME = re.compile(r"^(?P<func>.*?) \((?P<file>[^()]*)\)$")
BORING = {"<module>", "main", "_run_module_as_main", "_run_code", "run", "timed", "measure",
          "<listcomp>", "<genexpr>", "<dictcomp>", "<setcomp>", "<lambda>"}


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


def phases(stacks: list[tuple[list[str], int]]) -> dict[str, Phase]:
    result: dict[str, Phase] = {}
    for frames, n in stacks:
        funcs = [FRAME.match(f)["func"] if FRAME.match(f) else f for f in frames]
        name, start = None, 0
        for i, fn in enumerate(funcs):
            hit = next((p for p, marker in PHASES if fn == marker), None)
            if hit:
                name, start = hit, i
                break
        if name is None:
            continue
        ph = result.setdefault(name, Phase())
        ph.samples += n
        seen = set()
        for f in frames[start + 1:]:
            s = _short(f)
            if s not in seen and s.split(" (")[0] not in BORING:
                ph.inclusive[s] += n
                seen.add(s)
        ph.leaf[_short(frames[-1])] += n
    return result


def summarise(path: Path, rate: int = 50, top: int = 10) -> str:
    """Markdown: per phase, the functions with the largest share of its samples."""
    ph = phases(read(path))
    if not ph:
        return "_no samples_\n"
    lines = []
    for name, p in ph.items():
        lines.append(f"*{name}* — {p.samples} samples ≈ {p.samples / rate:.1f} s on the sampled core")
        lines.append("")
        lines.append("| inclusive share | function (file) |")
        lines.append("|---:|---|")
        for f, n in p.inclusive.most_common(top):
            lines.append(f"| {100 * n / p.samples:.0f} % | `{f}` |")
        lines.append("")
        leaf = ", ".join(f"`{f}` {100 * n / p.samples:.0f} %" for f, n in p.leaf.most_common(5))
        lines.append(f"Self time (leaf frames): {leaf}")
        lines.append("")
    return "\n".join(lines)


def record(cmd: list[str], out: Path, rate: int = 50, **kw) -> subprocess.CompletedProcess:  # noqa: ANN003
    """Run ``cmd`` under py-spy when it is installed (else plainly)."""
    return subprocess.run(command(out, rate) + cmd, **kw)
