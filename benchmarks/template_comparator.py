"""The comparator for benchmarks/batch_endpoint.py: openfisca-country-template's own ``openfisca serve``.

The country template is OpenFisca's reference country package; its ``/calculate`` is what an OpenFisca Web API
does without this project's batch endpoint. It runs in its own virtual environment (it pins its own
openfisca-core), on 127.0.0.1 with one gunicorn worker (ours: one waitress thread), and receives households of the same shape as
ours (the same members per household, each household asking for three household outputs and each person for
three person outputs), one request per household and in batches of 200 and 1,000 households per request.

Set up the environment once:

    python3 -m venv /work/venv_ct
    /work/venv_ct/bin/pip install openfisca-country-template 'openfisca-core[web-api]'

then pass ``--template-venv /work/venv_ct`` to benchmarks/batch_endpoint.py.
"""

from __future__ import annotations

import json
import socket
import statistics
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

HOUSEHOLD_OUTPUTS = ["housing_allowance", "parenting_allowance", "household_income"]
PERSON_OUTPUTS = ["basic_income", "income_tax", "social_security_contribution"]
BATCH_SIZES = (200, 1_000)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def template_situation(member_counts: list[int], wages: list[float], month: str) -> dict:
    """Households with ``member_counts`` persons (first two adults, the rest children), salaries from ``wages``."""
    situation = {"persons": {}, "households": {}}
    person = 0
    for h, count in enumerate(member_counts):
        ids = []
        for _ in range(count):
            pid = f"p{person}"
            situation["persons"][pid] = {
                "salary": {month: float(wages[person % len(wages)])},
                "birth": {"ETERNITY": "1980-01-01" if len(ids) < 2 else "2012-01-01"},
                **{k: {month: None} for k in PERSON_OUTPUTS},
            }
            ids.append(pid)
            person += 1
        situation["households"][f"h{h}"] = {
            "adults": ids[:2],
            "children": ids[2:],
            "rent": {month: 1_000.0},
            **{k: {month: None} for k in HOUSEHOLD_OUTPUTS},
        }
    return situation


def _chunks(situation: dict, size: int) -> list[bytes]:
    ids = list(situation["households"])
    bodies = []
    for start in range(0, len(ids), size):
        chosen = {h: situation["households"][h] for h in ids[start : start + size]}
        persons = {p: situation["persons"][p] for h in chosen.values() for p in h["adults"] + h["children"]}
        bodies.append(json.dumps({"persons": persons, "households": chosen}).encode())
    return bodies


def _post(url: str, body: bytes) -> float:
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=600) as response:
        response.read()
    return time.perf_counter() - started


def _start(venv: Path, port: int, folder: Path) -> subprocess.Popen:
    config = folder / "gunicorn.conf.py"
    config.write_text(f'bind = "127.0.0.1:{port}"\nworkers = 1\ntimeout = 600\n', encoding="utf-8")
    command = [str(venv / "bin" / "openfisca"), "serve", "--country-package", "openfisca_country_template"]
    # The port goes in the configuration file only: `--port` with five digits is mis-parsed by openfisca serve.
    command += ["--configuration-file", str(config)]
    process = subprocess.Popen(command, cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/entities", timeout=1).read()
            return process
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise SystemExit(f"openfisca serve (country template, {venv}) did not start") from None
            time.sleep(0.25)


def template_rates(venv: Path, member_counts: list[int], wages: list[float], month: str, repeats: int) -> dict:
    """Households per second of the template's /calculate: one by one, and per batch size (medians)."""
    situation = template_situation(member_counts, wages, month)
    singles = _chunks(situation, 1)
    with tempfile.TemporaryDirectory() as folder:
        port = _free_port()
        process = _start(Path(venv), port, Path(folder))
        url = f"http://127.0.0.1:{port}/calculate"
        try:
            _post(url, singles[0])  # warm-up
            rates = {"one request per household": len(singles) / sum(_post(url, body) for body in singles)}
            for size in BATCH_SIZES:
                bodies = _chunks(situation, size)[:1]  # one full batch of ``size`` households
                _post(url, bodies[0])
                seconds = statistics.median(_post(url, bodies[0]) for _ in range(repeats))
                rates[f"batches of {size:,} households"] = min(size, len(situation["households"])) / seconds
        finally:
            process.terminate()
            process.wait(timeout=30)
    return rates
