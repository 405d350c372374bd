"""The tutorials run: every code block of docs/tutorial-*.md, in order, in an empty folder (docs cannot rot).

A block after ``<!-- file: PATH -->`` is written to PATH; ``bash`` blocks run in a shell with this
environment's ``cn-assist`` and ``openfisca``; ``python`` blocks are executed in one namespace per document.
The folder has a ``tests/`` like a checkout's (its conftest turns on the project's YAML extensions).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TUTORIALS = sorted((ROOT / "docs").glob("tutorial-*.md"))
BLOCK = re.compile(r"(?:<!-- file: (?P<file>\S+) -->\n)?```(?P<lang>\w*)\n(?P<body>.*?)```", re.S)
SECONDS_PER_BLOCK = 300


def blocks(path: Path) -> list[tuple[str, str | None, str]]:
    """(language, file or None, body) of each fenced block, in order."""
    return [(m["lang"], m["file"], m["body"]) for m in BLOCK.finditer(path.read_text(encoding="utf-8"))]


def test_there_are_tutorials_and_every_block_runs_or_is_a_file():
    assert {p.name for p in TUTORIALS} >= {"tutorial-analyst.md", "tutorial-test-writer.md"}
    for path in TUTORIALS:
        for lang, file, _ in blocks(path):
            assert file or lang in ("bash", "python"), f"{path.name}: a ```{lang} block that neither runs nor is a file"


@pytest.mark.parametrize("path", TUTORIALS, ids=lambda p: p.stem)
def test_tutorial_runs(path, tmp_path, monkeypatch):
    (tmp_path / "tests").mkdir()
    for name in ("conftest.py", "yaml_test_reforms.py"):
        shutil.copy(ROOT / "tests" / name, tmp_path / "tests" / name)
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    env["MPLBACKEND"] = "Agg"
    monkeypatch.chdir(tmp_path)
    namespace: dict = {"__name__": "__tutorial__"}
    for number, (lang, file, body) in enumerate(blocks(path), start=1):
        where = f"{path.name}, block {number}"
        if file:
            target = tmp_path / file
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(body, encoding="utf-8")
        elif lang == "bash":
            run = subprocess.run(
                body, shell=True, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=SECONDS_PER_BLOCK
            )
            assert run.returncode == 0, f"{where} failed:\n{body}\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}"
        else:
            exec(compile(body, where, "exec"), namespace)  # noqa: S102 - the tutorial's own code, run as a reader would
