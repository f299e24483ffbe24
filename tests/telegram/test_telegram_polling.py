"""`python -m bot polling` without a token: one clear line, exit code 2, no traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.channels.telegram.polling import run_polling
from bot.config import load_settings

ROOT = Path(__file__).resolve().parents[2]


def test_without_a_token(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_polling(load_settings({"HYTEOPAS_DATA_DIR": str(tmp_path)})) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "TELEGRAM_BOT_TOKEN" in err


def test_the_command_without_a_token(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    env["HYTEOPAS_DATA_DIR"] = str(tmp_path)
    done = subprocess.run([sys.executable, "-m", "bot", "polling"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and "TELEGRAM_BOT_TOKEN" in done.stderr
    assert "Traceback" not in done.stderr
