"""`python -m benchmarks`: quality and speed of the matcher against the usual alternatives.

    python -m benchmarks                      # the full run (≈ 20–30 min): RESULTS.md, latency.png
    python -m benchmarks --quick              # 100 services, 20 questions (the smoke test)
    python -m benchmarks --sizes 1000,10000 --skip-postgres

Timed parts run one at a time, each in its own process pinned to one core (``--core``,
default: the last core this process may use). Writes RESULTS.md, latency.png and
results.json into ``--out`` (default: benchmarks/).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import random
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks import profiles, quality, report, synthetic
from benchmarks.evalset import load_question_sets
from benchmarks.systems import ALL

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def machine(core: int) -> dict[str, str]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem = next((line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), "0")
    versions = {}
    for mod in ("numpy", "rapidfuzz", "bm25s", "psycopg", "yaml", "pydantic"):
        try:
            versions[mod] = __import__(mod).__version__
        except ImportError:  # an optional package not installed
            continue
    import sqlite3

    return {"CPU": f"{cpu}, {os.cpu_count()} cores", "memory": f"{int(mem) // 1024} MB",
            "OS": f"{platform.system()} {platform.release()}",
            "Python": platform.python_version(), "SQLite": sqlite3.sqlite_version,
            "packages": ", ".join(f"{k} {v}" for k, v in versions.items()),
            "load average at start": " ".join(f"{x:.2f}" for x in os.getloadavg())}


SNAPSHOT_PARTS = ("bot", "benchmarks", "knowledge", "locales", "tests/support", "tests/eval",
                  "tests/eval2", "pyproject.toml")


def run_snapshot(argv: list[str], out: Path) -> int:
    """Measure a frozen copy of the code: others may change the working tree during a run."""
    snap = Path(tempfile.mkdtemp(prefix="hyteopas-snapshot-"))
    try:
        for part in SNAPSHOT_PARTS:
            src = ROOT / part
            if src.is_dir():
                shutil.copytree(src, snap / part, ignore=shutil.ignore_patterns("__pycache__"))
            elif src.exists():
                (snap / part).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src, snap / part)
        e = dict(os.environ, HYTEOPAS_BENCH_CODE=code_version() + " (measured from a copy)",
                 HYTEOPAS_BENCH_COMMAND=shlex.join(["python", "-m", "benchmarks", *argv]),
                 PYTHONPATH=str(snap))
        args = [a for a in argv if a != "--snapshot"] + ["--out", str(out.resolve())]
        log(f"measuring a copy of the code in {snap}")
        return subprocess.run([sys.executable, "-m", "benchmarks", *args], cwd=snap, env=e,
                              check=False).returncode
    finally:
        shutil.rmtree(snap, ignore_errors=True)


def code_version() -> str:
    """The commit measured, and whether the project's code had uncommitted changes."""
    if os.environ.get("HYTEOPAS_BENCH_CODE"):
        return os.environ["HYTEOPAS_BENCH_CODE"]
    def git(*a: str) -> str:
        p = subprocess.run(["git", *a], cwd=ROOT, capture_output=True, text=True, check=False)
        return p.stdout.strip() if p.returncode == 0 else ""

    head = git("rev-parse", "--short", "HEAD")
    if not head:
        return "unknown (no git)"
    dirty = [line[3:] for line in git("status", "--porcelain", "--", "bot", "knowledge").splitlines()]
    return head + (f" + uncommitted changes in {len(dirty)} file(s) of bot/ and knowledge/ "
                   f"({', '.join(dirty[:6])}{', …' if len(dirty) > 6 else ''})" if dirty else "")


def env() -> dict[str, str]:
    e = dict(os.environ)
    e["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), e.get("PYTHONPATH")]))
    for k in ("DATABASE_URL", "KNOWLEDGE_DIR", "HYTEOPAS_DATA_DIR"):
        e.pop(k, None)
    return e


def run_worker(args: list[str], core: int, out: Path, spy: Path | None = None,
               timeout: float = 3600) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "benchmarks.worker", *args, "--core", str(core)]
    if spy is not None:
        cmd = profiles.command(spy) + cmd
    cmd = ["taskset", "-c", str(core), *cmd] if shutil.which("taskset") else cmd
    p = subprocess.run(cmd, cwd=ROOT, env=env(), capture_output=True, text=True,
                       timeout=timeout, check=False)
    if p.returncode != 0 or not out.exists():
        return {"error": (p.stderr.strip().splitlines() or ["failed"])[-1]}
    return json.loads(out.read_text(encoding="utf-8"))


def latency_questions(n: int) -> list[str]:
    """The labelled questions' texts plus generated everyday ones, ``n`` in all."""
    labelled = [q.question for qs in load_question_sets().values() for q in qs]
    rng = random.Random(6)
    rng.shuffle(labelled)
    out = labelled[: n // 2 if n < 2 * len(labelled) else len(labelled)]
    out += synthetic.synthetic_questions(n - len(out))
    rng.shuffle(out)
    return out


def start_postgres(core: int) -> Any:
    import psutil

    from tests.support.postgres import PostgresServer

    server = PostgresServer().start()
    pid = int((server.folder / "data" / "postmaster.pid").read_text().split()[0])
    main = psutil.Process(pid)
    for proc in (main, *main.children(recursive=True)):  # backends forked later inherit it
        proc.cpu_affinity([core])
    return server


def cli_startup(tmp: Path, core: int, runs: int, spy: Path | None) -> dict[str, Any]:
    e = env()
    e["HYTEOPAS_DATA_DIR"] = str(tmp / "cli-data")
    pin = ["taskset", "-c", str(core)] if shutil.which("taskset") else []

    def once(cmd: list[str]) -> float:
        t = time.perf_counter()
        subprocess.run(pin + cmd, cwd=ROOT, env=e, capture_output=True, check=True, timeout=600)
        return time.perf_counter() - t

    ask = [sys.executable, "-m", "bot", "ask", "x"]
    cold = once(ask)
    warm = [once(ask) for _ in range(runs)]
    if spy is not None and profiles.py_spy():
        subprocess.run(pin + profiles.command(spy, rate=200) + ask, cwd=ROOT, env=e,
                       capture_output=True, timeout=600, check=False)
    return {"cold_s": cold, "warm_s": warm, "warm_median_s": statistics.median(warm),
            "python_s": min(once([sys.executable, "-c", "pass"]) for _ in range(min(runs, 3))),
            "import_cli_s": min(once([sys.executable, "-c", "import bot.cli"]) for _ in range(min(runs, 3)))}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="100 services, 20 questions (smoke test)")
    ap.add_argument("--sizes", help="catalogue sizes, comma-separated (default 1000,10000,100000)")
    ap.add_argument("--questions", type=int, help="latency questions per run (default 1000)")
    ap.add_argument("--systems", default=",".join(ALL), help=f"subset of {','.join(ALL)}")
    ap.add_argument("--skip-postgres", action="store_true")
    ap.add_argument("--core", type=int, help="the one core for timed parts")
    ap.add_argument("--out", type=Path, default=HERE, help="folder for RESULTS.md, latency.png")
    ap.add_argument("--no-profile", action="store_true", help="no py-spy profiles")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    ap.add_argument("--snapshot", action="store_true",
                    help="measure a copy of the code, safe from changes made during the run")
    ap.add_argument("--report-only", action="store_true",
                    help="only write RESULTS.md and latency.png again from --out/results.json")
    args = ap.parse_args(argv)
    analysis = HERE / "analysis.md"
    if args.report_only:
        res = json.loads((args.out / "results.json").read_text(encoding="utf-8"))
        quick = res["meta"].get("quick")
        log(f"wrote {report.write(res, args.out, None if quick or not analysis.exists() else analysis.read_text(encoding='utf-8'))}")
        return 0

    if args.snapshot:
        return run_snapshot(sys.argv[1:] if argv is None else list(argv), args.out)
    started = time.time()
    sizes = [int(x) for x in args.sizes.split(",")] if args.sizes else (
        [100] if args.quick else [1000, 10000, 100000])
    n_questions = args.questions or (20 if args.quick else 1000)
    reload_size = 100 if args.quick else 10000
    names = [s for s in args.systems.split(",") if s]
    core = args.core if args.core is not None else max(os.sched_getaffinity(0))
    profile = not args.no_profile and not args.quick and profiles.py_spy() is not None
    command = os.environ.get("HYTEOPAS_BENCH_COMMAND") or shlex.join(
        ["python", "-m", "benchmarks", *(sys.argv[1:] if argv is None else argv)])
    res: dict[str, Any] = {"meta": {"command": command, "core": core, "quick": args.quick,
                                    "code": code_version(),
                                    "machine": machine(core), "latency_questions": n_questions,
                                    "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")},
                           "speed": [], "parse": [], "generate": [], "profiles": {}}
    os.sched_setaffinity(0, {core})
    tmp = Path(tempfile.mkdtemp(prefix="hyteopas-bench-"))
    spy_dir = tmp / "profiles"
    spy_dir.mkdir()
    pg = None
    if "postgres" in names and not args.skip_postgres:
        try:
            pg = start_postgres(core)
            log(f"PostgreSQL started on port {pg.port}")
        except Exception as exc:  # noqa: BLE001 (no server binaries, initdb failed: go on without)
            log(f"PostgreSQL not available, skipped: {exc}")
            res["meta"]["postgres"] = f"skipped: {exc}"
    if pg is None:
        names = [n for n in names if n != "postgres"]
    try:
        log("quality: the labelled questions through every system")
        qual = quality.run(names, pg.create_database if pg else None,
                           n_questions if args.quick else None, log=lambda m: log(m))
        res["quality"] = [dataclasses.asdict(q) for q in qual]
        variants = {q.name: q.variant for q in qual}

        qfile = tmp / "questions.json"
        qfile.write_text(json.dumps(latency_questions(n_questions), ensure_ascii=False), encoding="utf-8")
        for size in sizes:
            folder = tmp / f"catalogue-{size}"
            t = time.perf_counter()
            synthetic.write_catalogue(folder, size)
            mb = sum(p.stat().st_size for p in folder.rglob("*.yaml")) / 2**20
            res["generate"].append({"size": size, "seconds": time.perf_counter() - t, "megabytes": mb})
            log(f"{size} services generated ({mb:.0f} MB)")
            docs = tmp / f"docs-{size}.pickle"
            if any(n != "hyteopas" for n in names):
                out = tmp / f"parse-{size}.json"
                res["parse"].append({"size": size, **run_worker(
                    ["parse", str(folder), str(out), "--docs", str(docs)], core, out)})
            for name in names:
                out = tmp / f"speed-{name}-{size}.json"
                extra = ["--docs", str(docs)] if name != "hyteopas" else []
                if name == "postgres":
                    extra += ["--pg-url", pg.create_database(f"speed_{size}")]
                if variants.get(name):
                    extra += ["--variant", json.dumps(variants[name])]
                spy = spy_dir / f"{name}-{size}.txt" if profile and name == "hyteopas" else None
                r = run_worker(["speed", name, str(folder), str(qfile), str(out), *extra], core, out, spy)
                res["speed"].append({"size": size, "system": name, **r})
                if "error" in r:
                    log(f"  {name:12s} FAILED: {r['error']}")
                else:
                    log(f"  {name:12s} load {r['load_s']:.2f}s build {r['build_s']:.2f}s "
                        f"p50 {r['latency_ms']['p50']:.2f} p99 {r['latency_ms']['p99']:.2f} ms "
                        f"(CPU p99 {r['cpu_ms']['p99']:.2f}) peak {r['peak_rss_mb']:.0f} MB")
                if spy is not None and spy.exists():
                    res["profiles"][f"hyteopas, {report._size(size)} services: load, build, answer"] = \
                        profiles.summarise(spy)
            if size != reload_size:
                shutil.rmtree(folder, ignore_errors=True)
                docs.unlink(missing_ok=True)

        folder = tmp / f"catalogue-{reload_size}"
        if not folder.exists():
            synthetic.write_catalogue(folder, reload_size)
        out = tmp / "reload.json"
        spy = spy_dir / "reload.txt" if profile else None
        res["reload"] = run_worker(["reload", str(folder), str(out)], core, out, spy)
        log(f"reload of {reload_size} services: {res['reload'].get('seconds', float('nan')):.2f} s")
        if spy is not None and spy.exists():
            res["profiles"][f"reload of {report._size(reload_size)} services (SQLite)"] = \
                profiles.summarise(spy)

        spy = spy_dir / "cli.txt" if profile else None
        res["cli"] = cli_startup(tmp, core, 1 if args.quick else 5, spy)
        log(f"CLI start-up: {res['cli']['warm_median_s']:.2f} s (warm database)")
        if spy is not None and spy.exists():
            res["profiles"]["CLI start-up, warm database"] = profiles.summarise(spy, rate=200)
    finally:
        if pg is not None:
            pg.cleanup()
        if args.keep:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    res["meta"]["duration_min"] = (time.time() - started) / 60
    if code_version() != res["meta"]["code"]:
        res["meta"]["code_at_end"] = code_version()
    res["meta"]["machine"]["load average at end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps(res, indent=1, ensure_ascii=False, default=str),
                                           encoding="utf-8")
    path = report.write(res, args.out, analysis.read_text(encoding="utf-8")
                        if analysis.exists() and not args.quick else None)
    log(f"wrote {path} in {res['meta']['duration_min']:.1f} min")
    return 0


if __name__ == "__main__":
    sys.exit(main())
