"""Benchmark: households per second through ``POST /calculate_batch`` against OpenFisca's ``/calculate``.

Starts ``cn-assist serve`` on a free port of 127.0.0.1 (one worker), takes households of the built-in
SYNTHETIC 西双版纳 2022 caseload (cycled, with new ids, when more are asked for than it has), and sends:

* all of them to ``/calculate_batch`` in one situation (OpenFisca's format), then as caseload rows;
* a sample to ``/calculate``, one request per household, then all in one situation.

Every household asks for ``dibao_standard``, ``dibao_eligible``, ``dibao_benefit`` and, for each member,
``tekun_eligible`` and ``tekun_basic_allowance`` for one month. Times are wall-clock HTTP round trips
(sending the encoded body, computing, reading the answer); the client's own JSON encoding and decoding
are left out for every endpoint alike. Medians of ``--repeats`` runs after one warm-up request each.
It also checks that the batch answers equal ``/calculate``'s for the sample (the values asked for;
``/calculate`` also echoes the inputs). It asserts no timing.

    python benchmarks/batch_endpoint.py [--households 10000] [--sample 200] [--repeats 3] [--month 2022-08]
        [--template-venv /work/venv_ct]

With ``--template-venv``, the honest comparator is measured too: openfisca-country-template's own
``openfisca serve`` on 127.0.0.1, sent households of the same sizes one by one and in batches of 200 and 1,000
(benchmarks/template_comparator.py says how to set up its environment); the script prints our
``/calculate_batch`` ÷ its best rate (issue 15's target: ≥ 20×).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from importlib.metadata import version
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout without installing
sys.path.insert(0, str(Path(__file__).resolve().parent))  # the comparator beside this script

from openfisca_cn_assist.caseload.readers import builtin_caseload  # noqa: E402

# A fixed request, not the declared outputs: the same work in every release, so that figures compare.
HOUSEHOLD_OUTPUTS = ["dibao_standard", "dibao_eligible", "dibao_benefit"]
PERSON_OUTPUTS = ["tekun_eligible", "tekun_basic_allowance"]
CASELOAD = "xishuangbanna_2022"
BATCH_SIZES_NEEDED = 1_000  # the comparator's largest batch


def _plain(value):
    return value.item() if isinstance(value, np.generic) else value


def households(count: int, month: str) -> tuple[dict, dict]:
    """``count`` households as one OpenFisca situation, and the same as caseload rows."""
    caseload = builtin_caseload(CASELOAD)
    persons, table = caseload.persons, caseload.households
    person_columns = [c for c in persons.columns if c not in ("person_id", "household_id") and not c[-1].isdigit()]
    members = persons.groupby("household_id", sort=False).indices
    person_records = persons[person_columns].to_dict("records")
    person_rows, household_rows = [], []
    situation = {"persons": {}, "households": {}}
    records = table.to_dict("records")
    for n in range(count):
        record = records[n % len(records)]
        suffix = "" if n < len(records) else f"_{n // len(records)}"
        household_id = f"h{record['household_id']}{suffix}"
        ids = []
        for i in members[record["household_id"]]:
            person_id = f"p{persons['person_id'].iat[i]}{suffix}"
            values = {k: _plain(v) for k, v in person_records[i].items()}
            situation["persons"][person_id] = {
                **{k: {month: v} for k, v in values.items()},
                **{k: {month: None} for k in PERSON_OUTPUTS},
            }
            person_rows.append({"person_id": person_id, "household_id": household_id, **values})
            ids.append(person_id)
        situation["households"][household_id] = {
            "members": ids,
            "jurisdiction": {"ETERNITY": record["jurisdiction"]},
            "area": {month: record["area"]},
            **{k: {month: None} for k in HOUSEHOLD_OUTPUTS},
        }
        household_rows.append(
            {"household_id": household_id, "jurisdiction": record["jurisdiction"], "area": record["area"]}
        )
    rows = {
        "persons": person_rows,
        "households": household_rows,
        "period": month,
        "variables": HOUSEHOLD_OUTPUTS + PERSON_OUTPUTS,
    }
    return situation, rows


def subset(situation: dict, household_ids: list[str]) -> dict:
    chosen = {h: situation["households"][h] for h in household_ids}
    return {
        "persons": {p: situation["persons"][p] for h in chosen.values() for p in h["members"]},
        "households": chosen,
    }


def asked_for(answer: dict) -> dict:
    """A /calculate answer reduced to what /calculate_batch returns: members and the values asked for."""
    outputs = set(HOUSEHOLD_OUTPUTS + PERSON_OUTPUTS)
    return {
        plural: {
            instance_id: {k: v for k, v in values.items() if k in outputs or k == "members"}
            for instance_id, values in answer[plural].items()
        }
        for plural in ("persons", "households")
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def post(url: str, body: bytes) -> tuple[float, bytes]:
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=600) as response:
        answer = response.read()
    return time.perf_counter() - started, answer


def start_server(max_households: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "openfisca_cn_assist.cli.main",
        "serve",
        "--port",
        str(port),
        "--workers",
        "1",
        "--max-households",
        str(max_households),
        "--max-body-mb",
        "1024",
        "--timeout",
        "600",
    ]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(base + "/entities", timeout=1).read()
            return process, base
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise SystemExit("cn-assist serve did not start") from None
            time.sleep(0.25)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--households", type=int, default=10_000)
    parser.add_argument("--sample", type=int, default=200, help="households sent to /calculate (default 200)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--month", default="2022-08")
    parser.add_argument(
        "--template-venv",
        type=Path,
        help="a venv with openfisca-country-template: its own openfisca serve is measured as the comparator",
    )
    args = parser.parse_args()

    situation, rows = households(args.households, args.month)
    sample_ids = list(situation["households"])[:: max(1, args.households // args.sample)][: args.sample]
    sample = subset(situation, sample_ids)
    batch_body = json.dumps(situation).encode()
    rows_body = json.dumps(rows).encode()
    one_bodies = [json.dumps(subset(situation, [h])).encode() for h in sample_ids]
    sample_body = json.dumps(sample).encode()

    process, base = start_server(args.households)
    try:

        def timed(path: str, body: bytes) -> tuple[float, bytes]:
            post(base + path, body)  # warm-up
            runs = [post(base + path, body) for _ in range(args.repeats)]
            return statistics.median(t for t, _ in runs), runs[-1][1]

        batch_s, batch_answer = timed("/calculate_batch", batch_body)
        rows_s, _ = timed("/calculate_batch", rows_body)
        post(base + "/calculate", one_bodies[0])  # warm-up
        started = time.perf_counter()
        single_answers = [json.loads(post(base + "/calculate", body)[1]) for body in one_bodies]
        one_by_one_s = time.perf_counter() - started
        together_s, _ = timed("/calculate", sample_body)
    finally:
        process.terminate()
        process.wait(timeout=30)

    results = json.loads(batch_answer)["results"]
    position = {h: i for i, h in enumerate(situation["households"])}
    same = all(results[position[h]] == asked_for(answer) for h, answer in zip(sample_ids, single_answers))

    n, k = args.households, len(sample_ids)
    rates = {
        f"/calculate_batch, {n:,} households as one situation": (n, batch_s),
        f"/calculate_batch, {n:,} households as caseload rows": (n, rows_s),
        f"/calculate, one request per household ({k} households)": (k, one_by_one_s),
        f"/calculate, {k} households in one situation": (k, together_s),
    }
    print(
        f"cn-assist serve (waitress, 1 thread) on 127.0.0.1; {n:,} households, {len(situation['persons']):,} persons "
        f"of the SYNTHETIC {CASELOAD} caseload, {args.month}; outputs {', '.join(HOUSEHOLD_OUTPUTS + PERSON_OUTPUTS)}"
    )
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, load average "
        f"{', '.join(f'{x:.2f}' for x in os.getloadavg())}; Python {platform.python_version()}, "
        f"openfisca-core {version('openfisca-core')}, numpy {np.__version__}; request bodies "
        f"{len(batch_body) / 2**20:.1f} MiB (situations), {len(rows_body) / 2**20:.1f} MiB (rows)"
    )
    width = max(map(len, rates))
    print(f"\n{'endpoint':<{width}}  {'seconds':>8}  {'households/s':>12}")
    for label, (count, seconds) in rates.items():
        print(f"{label:<{width}}  {seconds:>8.3f}  {count / seconds:>12,.0f}")
    batch_rate = n / batch_s
    print(
        f"\nratio /calculate_batch (situations) ÷ /calculate one by one: {batch_rate / (k / one_by_one_s):,.1f}×; "
        f"÷ /calculate batched: {batch_rate / (k / together_s):,.1f}×"
    )
    print(f"batch answers equal /calculate answers for the {k} sampled households: {'yes' if same else 'NO'}")
    if args.template_venv:
        compare_with_template(args, situation, rows, {"situations": batch_rate, "caseload rows": n / rows_s})


def compare_with_template(args, situation: dict, rows: dict, ours: dict[str, float]) -> None:
    """The same household shapes sent to openfisca-country-template's own server; ours ÷ its best rate."""
    from template_comparator import template_rates

    sizes = [len(h["members"]) for h in situation["households"].values()]
    wages = [float(p.get("wage_income") or 0.0) for p in rows["persons"]]
    sample = sizes[: max(BATCH_SIZES_NEEDED, args.sample)]
    rates = template_rates(args.template_venv, sample, wages, args.month, args.repeats)
    version_line = subprocess.run(
        [str(args.template_venv / "bin" / "pip"), "show", "openfisca-country-template"], capture_output=True, text=True
    ).stdout.splitlines()
    shown = next((line for line in version_line if line.startswith("Version")), "Version: ?")
    print(
        f"\nComparator: openfisca-country-template ({shown}) openfisca serve, gunicorn 1 worker, 127.0.0.1; "
        f"the same household sizes, 3 household + 3 person outputs each"
    )
    width = max(map(len, rates))
    for label, rate in rates.items():
        print(f"  {label:<{width}}  {rate:>10,.0f} households/s")
    best = max(rates.values())
    for form, rate in ours.items():
        print(f"/calculate_batch ({form}) ÷ the template's best: {rate / best:,.1f}× (target ≥ 20×)")


if __name__ == "__main__":
    main()
