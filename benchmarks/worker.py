"""One measured run in its own process, pinned to one core; prints nothing, writes JSON.

    python -m benchmarks.worker speed  SYSTEM CATALOGUE QUESTIONS.json OUT.json [--docs PICKLE] [--pg-url URL]
    python -m benchmarks.worker parse  CATALOGUE OUT.json --docs PICKLE
    python -m benchmarks.worker reload CATALOGUE OUT.json

Times are wall clock (perf_counter) and CPU time of the process (thread_time per question):
on a machine shared with other work the CPU time is the steadier figure. Peak RSS is
VmHWM of this process, so every system is measured alone.
"""

from __future__ import annotations

import argparse
import functools
import gc
import json
import os
import pickle
import resource
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np


def pin(core: int | None) -> None:
    if core is not None:
        os.sched_setaffinity(0, {core})


def rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_mb() -> float:
    """VmHWM: the peak RSS of this process image (ru_maxrss would carry over the parent's peak
    through fork + exec on Linux)."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(fn: Callable[[], Any]) -> tuple[Any, float, float]:
    w, c = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - w, time.process_time() - c


def stats(values_ns: list[int]) -> dict[str, float]:
    a = np.asarray(values_ns, dtype=np.float64) / 1e6
    if a.size == 0:
        return {}
    return {"p50": float(np.percentile(a, 50)), "p90": float(np.percentile(a, 90)),
            "p99": float(np.percentile(a, 99)), "max": float(a.max()), "mean": float(a.mean())}


def speed(args: argparse.Namespace) -> dict[str, Any]:
    from benchmarks.systems import make

    questions = json.loads(Path(args.questions).read_text(encoding="utf-8"))
    kw = {"url": args.pg_url} if args.system == "postgres" else {}
    system = make(args.system, **kw)
    if args.variant:
        system.variant = json.loads(args.variant)
    out: dict[str, Any] = {"system": args.system, "rss_start_mb": rss_mb()}
    if args.docs and args.system != "hyteopas":
        with open(args.docs, "rb") as fh:
            loaded, out["load_s"], out["load_cpu_s"] = timed(lambda: pickle.load(fh))
        out["load_from"] = "pickled documents (YAML parsed once by the 'parse' step)"
    else:
        loaded, out["load_s"], out["load_cpu_s"] = timed(lambda: system.load(Path(args.catalogue)))
    n = len(loaded.services) if hasattr(loaded, "services") else len(loaded)
    gc.collect()
    out["peak_load_mb"], out["rss_loaded_mb"] = peak_mb(), rss_mb()
    _, out["build_s"], out["build_cpu_s"] = timed(functools.partial(system.build, loaded))
    del loaded
    gc.collect()
    out["rss_built_mb"] = rss_mb()
    out["services"] = n
    system.ask("hei")  # lazy initialisation (language detector, prepared statements)
    backend = _pg_backend(system)
    cpu_before = backend.cpu_times() if backend else None
    wall, cpu, answered = [], [], 0
    for q in questions:
        w, c = time.perf_counter_ns(), time.thread_time_ns()
        a = system.ask(q, limit=3)
        cpu.append(time.thread_time_ns() - c)
        wall.append(time.perf_counter_ns() - w)
        answered += bool(a.ids)
    out["questions"] = len(questions)
    out["answered_share"] = answered / max(1, len(questions))
    out["latency_ms"] = stats(wall)
    out["cpu_ms"] = stats(cpu)
    if backend:
        after = backend.cpu_times()
        server = (after.user + after.system - cpu_before.user - cpu_before.system) * 1e3
        out["server_cpu_ms_mean"] = server / max(1, len(questions))
        out["cpu_ms"]["mean_with_server"] = out["cpu_ms"]["mean"] + out["server_cpu_ms_mean"]
        out["server_rss_mb"] = backend.memory_info().rss / 2**20
    out["peak_rss_mb"] = peak_mb()
    system.close()
    return out


def _pg_backend(system: Any) -> Any:
    if getattr(system, "name", "") != "postgres":
        return None
    import psutil

    pid = system.conn.execute("SELECT pg_backend_pid()").fetchone()[0]
    return psutil.Process(pid)


def parse(args: argparse.Namespace) -> dict[str, Any]:
    """The baselines' shared YAML reading (libyaml), measured once per catalogue size."""
    from benchmarks.systems import read_docs

    docs, load_s, load_cpu_s = timed(lambda: read_docs(Path(args.catalogue)))
    with open(args.docs, "wb") as fh:
        pickle.dump(docs, fh, protocol=pickle.HIGHEST_PROTOCOL)
    return {"services": len(docs), "load_s": load_s, "load_cpu_s": load_cpu_s,
            "peak_rss_mb": peak_mb()}


def reload(args: argparse.Namespace) -> dict[str, Any]:
    """Runtime.reload of a catalogue folder on SQLite, after opening with the bundled one."""
    import bot.runtime as runtime_module
    from bot.config import DEFAULT_KNOWLEDGE_DIR
    from bot.core.knowledge import KnowledgeBase
    from bot.storage import CatalogueRepository

    parts: dict[str, float] = {}

    def measure(name: str, fn: Callable) -> Callable:  # time the steps without changing them
        def wrapper(*a: Any, **k: Any) -> Any:
            t = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                parts[name] = parts.get(name, 0.0) + time.perf_counter() - t
        return wrapper

    rt = runtime_module.Runtime.ephemeral(DEFAULT_KNOWLEDGE_DIR)
    runtime_module.load_catalogue = measure("load_catalogue", runtime_module.load_catalogue)
    CatalogueRepository.replace = measure("store (SQLite)", CatalogueRepository.replace)
    KnowledgeBase.swap = measure("index build (swap)", KnowledgeBase.swap)
    w, c = time.perf_counter(), time.process_time()
    result = rt.reload(Path(args.catalogue))
    out = {"ok": result.ok, "services": result.services, "seconds": result.seconds,
           "wall_s": time.perf_counter() - w, "cpu_s": time.process_time() - c,
           "errors": [str(e) for e in result.errors[:5]], "parts": parts, "peak_rss_mb": peak_mb()}
    rt.close()
    shutil.rmtree(rt.settings.data_dir, ignore_errors=True)  # Runtime.ephemeral's temp folder
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=("speed", "parse", "reload"))
    ap.add_argument("rest", nargs="+")
    ap.add_argument("--docs")
    ap.add_argument("--pg-url")
    ap.add_argument("--variant", help="JSON of the baseline variant chosen on dev")
    ap.add_argument("--core", type=int)
    args = ap.parse_args()
    pin(args.core)
    if args.mode == "speed":
        args.system, args.catalogue, args.questions, out = args.rest
        result = speed(args)
    else:
        args.catalogue, out = args.rest
        result = parse(args) if args.mode == "parse" else reload(args)
    Path(out).write_text(json.dumps(result, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
