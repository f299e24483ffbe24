"""The benchmark still runs end to end: `python -m benchmarks --quick` (100 services, 20
questions; PostgreSQL included when its server binaries are installed). No timing asserted:
figures are measured by the full run (benchmarks/RESULTS.md), never in a test."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SYSTEMS = {"hyteopas", "rapidfuzz", "bm25", "bm25-voikko", "fts5"}


@pytest.mark.slow
def test_quick_benchmark_writes_results(tmp_path: Path) -> None:
    # A subprocess: the benchmark pins its own process to one core.
    p = subprocess.run([sys.executable, "-m", "benchmarks", "--quick", "--out", str(tmp_path)],
                       cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    assert p.returncode == 0, p.stdout[-2000:] + p.stderr[-4000:]

    res = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    quality = {q["name"]: q for q in res["quality"]}
    assert SYSTEMS <= set(quality)
    assert all("eval:all" in q["groups"] for q in quality.values())
    speed = {s["system"]: s for s in res["speed"]}
    assert SYSTEMS <= set(speed)
    for name, s in speed.items():
        assert "error" not in s, (name, s)
        assert s["services"] == 100 and s["questions"] == 20
        assert s["latency_ms"]["p99"] >= s["latency_ms"]["p50"] > 0
    assert res["reload"]["ok"] and res["reload"]["services"] == 100
    assert res["cli"]["warm_s"]

    text = (tmp_path / "RESULTS.md").read_text(encoding="utf-8")
    for heading in ("## Targets", "## Quality", "## Speed and size", "## Reload", "## CLI start-up"):
        assert heading in text
    assert "python -m benchmarks --quick" in text
    assert (tmp_path / "latency.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
