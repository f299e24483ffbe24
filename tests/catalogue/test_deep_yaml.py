"""Very deep YAML never reaches the fast parser (yaml-rs overflows its stack on it and would
take the whole process down): each shape is loaded in a child process that must exit
normally with a clear error."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SHAPES = {
    "block sequence": "'- ' * 20000 + 'x'",
    "complex keys": "'? ' * 20000 + 'x'",
    "flow sequence": "'[' * 20000 + ']' * 20000",
    "flow mapping": "'{a: ' * 20000 + '1' + '}' * 20000",
    "indented lists": "'\\n'.join('  ' * i + '- ' for i in range(3000)) + 'x'",
}


@pytest.mark.parametrize("shape", list(SHAPES))
def test_deep_yaml_is_a_clear_error_not_a_crash(tmp_path: Path, shape: str) -> None:
    code = f"""
import sys
from pathlib import Path
from bot.catalogue import CatalogueError, load_catalogue
folder = Path(sys.argv[1])
(folder / "services").mkdir()
(folder / "services" / "deep.yaml").write_text({SHAPES[shape]})
try:
    load_catalogue(folder)
except CatalogueError as exc:
    print(exc)
    sys.exit(0)
sys.exit(3)
"""
    p = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True,
                       timeout=300, cwd=Path(__file__).resolve().parents[2])
    assert p.returncode == 0, (p.returncode, p.stderr[-2000:])
    assert "services/deep.yaml:" in p.stdout
