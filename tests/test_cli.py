"""The command line as later checks use it: real processes, JSON per line, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SMALL = ROOT / "tests" / "data" / "small-catalogue"


def run(args: list[str], tmp_path: Path, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "HYTEOPAS_DATA_DIR": str(tmp_path / "data"), "PYTHONIOENCODING": "utf-8"}
    env.pop("DATABASE_URL", None)
    return subprocess.run([sys.executable, "-m", "bot", *args], input=stdin, capture_output=True,
                          text=True, cwd=ROOT, env=env, timeout=300)


def test_ask_json_from_stdin_one_object_per_line(tmp_path: Path) -> None:
    questions = ["Var finns matutdelning i Åbo?", "", "x" * 100_000, "🙂🙂", "'; DROP TABLE services; --",
                 "\x07\x1b[2J", "haluan tappaa itseni", "mikä on sää huomenna"]
    p = run(["ask", "--knowledge", str(SMALL), "--json"], tmp_path, "\n".join(questions) + "\n")
    assert p.returncode == 0, p.stderr
    assert "Traceback" not in p.stderr
    lines = [json.loads(line) for line in p.stdout.splitlines()]
    assert len(lines) == len(questions)
    first = lines[0]
    assert set(first) == {"question", "language", "crisis", "municipality", "results", "text"}
    assert first["language"] == "sv" and first["municipality"] == {"code": "853", "name": "Åbo"}
    assert first["results"][0]["id"] == "test-ruoka-apu"
    assert set(first["results"][0]) == {"id", "name", "provider", "provider_kind", "topics", "areas",
                                        "languages", "score", "why"}
    assert lines[6]["crisis"] and "112" in lines[6]["text"]
    assert lines[7]["results"] == [] and lines[1]["results"] == []
    # --knowledge leaves the configured database untouched
    assert not (tmp_path / "data" / "hyteopas.sqlite3").exists()


def test_ask_with_options_and_plain_text(tmp_path: Path) -> None:
    p = run(["ask", "--knowledge", str(SMALL), "--lang", "sv", "--municipality", "272", "yksinäinen"],
            tmp_path)
    assert p.returncode == 0, p.stderr
    assert "Ystäväpiiri ikäihmisille" in p.stdout and "Obs! Tjänsten ges på: finska." in p.stdout
    bad = run(["ask", "--knowledge", str(SMALL), "--municipality", "Atlantis", "x"], tmp_path)
    assert bad.returncode == 2 and "Atlantis" in bad.stderr


def test_check_load_and_bad_catalogue(tmp_path: Path) -> None:
    ok = run(["check", str(SMALL)], tmp_path)
    assert ok.returncode == 0 and "OK: 6 palvelua, 5 palveluntuottajaa" in ok.stdout
    bad = tmp_path / "bad"
    (bad / "services").mkdir(parents=True)
    (bad / "services" / "x.yaml").write_text(
        "services:\n  - id: a\n    provider: nobody\n    name: {fi: A}\n    topics: [griefs]\n")
    p = run(["check", str(bad)], tmp_path)
    assert p.returncode == 1
    assert "services/x.yaml:3: a: unknown provider 'nobody'" in p.stderr
    assert "services/x.yaml:5: a: unknown topic 'griefs' (did you mean: grief" in p.stderr
    loaded = run(["load", str(SMALL)], tmp_path)
    assert loaded.returncode == 0 and "OK: 6 palvelua ja 5 palveluntuottajaa ladattu" in loaded.stdout, loaded.stderr
    rejected = run(["load", str(bad)], tmp_path)
    assert rejected.returncode == 1 and "2 virhettä: käytössä oleva luettelo jäi voimaan" in rejected.stderr
    again = run(["ask", "--json", "ruoka-apu Turku"], tmp_path)
    assert json.loads(again.stdout)["results"][0]["id"] == "test-ruoka-apu"
