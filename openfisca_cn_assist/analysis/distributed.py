"""Run a partitioned caseload on Dask workers: ``cn-assist simulate|impact --dask local:2`` or ``--dask tcp://HOST:PORT``.

Each partition is one task running :func:`openfisca_cn_assist.analysis.microsim.run_partition`, the function
the in-process path runs; the client adds the results up with
:func:`openfisca_cn_assist.analysis.microsim.combine`. Tasks carry the partition's description and the
reforms' names (or absolute file paths): workers build the systems themselves, once per process,
and load (read, or generate) their partition, so the caseload never passes through one process.

Failures: an error in the data (a bad row, :class:`~openfisca_cn_assist.engine.errors.InputError`) is
reported at once, by partition, with the file, row and column; any other error (a worker that died
or ran out of memory, a lost connection) is retried ``retries`` times on any worker, then reported.
The first failure cancels the rest of the run and raises
:class:`~openfisca_cn_assist.analysis.microsim.PartitionError` naming the partition: a total never misses a
partition silently.

Requires ``dask[distributed]`` (``pip install 'openfisca-cn-assist[dask]'``). Workers of an
existing scheduler need this package (same version) and, for ``--persons``/``--households`` folders
and ``--output`` folders, the same paths on a shared file system.
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from openfisca_cn_assist.analysis.microsim import Execute, in_process, run, run_partition
from openfisca_cn_assist.analysis.partitions import CaseloadPartition, PartitionedCaseload
from openfisca_cn_assist.analysis.results import Impact, Results, attach_rules
from openfisca_cn_assist.analysis.scenario import Scenario, check_scenarios
from openfisca_cn_assist.engine.errors import InputError

DEFAULT_RETRIES = 2
_SYSTEMS: dict = {}  # per worker process: reform (None for the baseline) → system


@dataclass
class DataFailure:
    """A partition whose data the rules cannot use: returned, not raised, so that Dask does not retry it."""

    error: InputError


def parse_dask(spec: str) -> tuple[str, int | str]:
    """``local`` / ``local:N`` → ("local", N); ``tcp://HOST:PORT`` (any ``scheme://``) → ("address", spec)."""
    spec = spec.strip()
    if spec == "local" or spec.startswith("local:"):
        count = spec[len("local:") :] if ":" in spec else ""
        if count and (not count.isdigit() or int(count) < 1):
            raise ValueError(f"--dask {spec}: give local or local:N with N ≥ 1 workers")
        return "local", int(count) if count else (os.cpu_count() or 1)
    if "://" in spec:
        return "address", spec
    raise ValueError(
        f"--dask {spec!r}: give local, local:N (N workers on this machine) or tcp://HOST:PORT (a running scheduler)"
    )


@contextmanager
def dask_client(spec: str, memory_limit: str | int = "auto"):
    """A ``distributed.Client``: a LocalCluster of N single-threaded worker processes on 127.0.0.1, or a running scheduler."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as error:  # pragma: no cover - dask is a test dependency
        raise RuntimeError("--dask needs dask[distributed]: pip install 'openfisca-cn-assist[dask]'") from error
    import dask

    kind, value = parse_dask(spec)
    if kind == "local":
        # Dask starts workers with MALLOC_TRIM_THRESHOLD_=65536, which makes glibc map and unmap every
        # large array afresh: a partition then takes 2–3 times as long. Memory stays bounded without it.
        with (
            dask.config.set({"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}),
            LocalCluster(
                n_workers=value,
                threads_per_worker=1,  # OpenFisca formulas hold the GIL: one process per core
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,  # no dashboard; its HTTP server (health checks) on a free port of 127.0.0.1:
                scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
                memory_limit=memory_limit,
                silence_logs=logging.ERROR,
            ) as cluster,
            Client(cluster) as client,
        ):
            yield client
    else:
        with Client(value) as client:
            yield client


def worker_systems(scenarios: Sequence[Scenario]) -> list:
    """The systems for ``scenarios``' reforms (None: the baseline), built once per process."""
    from openfisca_cn_assist.engine.reform_tools import apply_reform
    from openfisca_cn_assist.engine.system import builtin_system

    if None not in _SYSTEMS:
        _SYSTEMS[None] = builtin_system()
    systems = []
    for reform in (scenario.reform for scenario in scenarios):
        if reform not in _SYSTEMS:
            _SYSTEMS[reform] = apply_reform(_SYSTEMS[None], reform)
        systems.append(_SYSTEMS[reform])
    return systems


def run_on_worker(partition, task):
    """The Dask task: one partition with the worker's own systems; data errors returned, other errors raised (and retried)."""
    try:
        return run_partition(partition, task, worker_systems(task.scenarios))
    except InputError as error:
        return DataFailure(error)


def dask_execute(client, retries: int = DEFAULT_RETRIES) -> Execute:
    """An executor submitting one task per partition to ``client``; closing it cancels what is left."""
    from distributed import as_completed

    def execute(pairs):
        run_id = uuid.uuid4().hex[:8]
        futures = {}
        for partition, task in pairs:
            # Data in memory is sent once, by itself; descriptions of files or synthetic slices are small.
            payload = client.scatter(partition, hash=False) if isinstance(partition, CaseloadPartition) else partition
            key = f"cn-assist-{run_id}-{partition.name}"
            futures[client.submit(run_on_worker, payload, task, key=key, retries=retries, pure=False)] = partition
        try:
            for future in as_completed(futures):
                partition = futures[future]
                try:
                    outcome = future.result()
                except Exception as error:  # raised on the worker after its retries, or the worker was lost
                    outcome = error
                if isinstance(outcome, DataFailure):
                    outcome = outcome.error
                future.release()
                yield partition, outcome
        finally:
            client.cancel([f for f in futures if not f.done()])

    return execute


def absolute_reform(reform):
    """A reform file given by a relative path becomes absolute, so that workers find it; names stay names.

    Stacked reforms (a tuple, applied in order) are made absolute one by one."""
    if isinstance(reform, tuple):
        return tuple(absolute_reform(one) for one in reform)
    if reform and Path(reform).is_file():
        return str(Path(reform).resolve())
    return reform


def run_caseload(
    caseload: PartitionedCaseload,
    period: str,
    scenarios: Sequence[Scenario],
    *,
    dask: str | None = None,
    systems: list | None = None,
    rows: bool = False,
    rows_dir: str | None = None,
    changes: bool = False,
    progress: bool = False,
    retries: int = DEFAULT_RETRIES,
    client=None,
) -> Results | Impact:
    """Run ``caseload`` in this process (``dask`` None: partitions one after the other) or on Dask.

    ``scenarios`` is ``[Scenario(reform)]`` (a simulation) or ``[Scenario(), Scenario(reform)]`` (an
    impact). ``systems`` (one per scenario, built for its reform) are used in this process; workers build
    their own. ``client`` is an existing ``distributed.Client`` to use instead of ``dask``.
    """
    scenarios = check_scenarios(scenarios)
    if rows_dir is not None:
        rows_dir = str(Path(rows_dir).resolve())
    options = dict(rows=rows, rows_dir=rows_dir, changes=changes, progress=progress)
    if client is None and dask is None:
        systems = systems or worker_systems(scenarios)
        result = run(caseload, period, scenarios, in_process(systems), reraise_single=True, **options)
        return attach_rules(result, scenarios, systems)
    submitted = tuple(replace(s, reform=absolute_reform(s.reform)) for s in scenarios)
    if client is not None:
        result = run(caseload, period, submitted, dask_execute(client, retries), **options)
    else:
        with dask_client(dask) as own:
            result = run(caseload, period, submitted, dask_execute(own, retries), **options)
    for computed, scenario in zip(
        [result] if isinstance(result, Results) else [result.baseline, result.reform], scenarios
    ):
        computed.reform = scenario.reform  # as the user gave it
    return attach_rules(result, scenarios, systems or worker_systems(scenarios))
