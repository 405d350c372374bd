"""A short Python API for analysts: caseload in, pandas DataFrames out.

from openfisca_cn_assist.api import run, compare
results = run("xishuangbanna_2022", "2022")                       # built-in caseload, or a Caseload
results.households                                               # one row per household
impact = compare("raise_tekun_1050", "xishuangbanna_2022", "2022")
impact.by_programme(), impact.by_jurisdiction(), impact.counts()
results = run("synthetic:2000000", "2022", dask="local:2")        # partitions on 2 Dask workers
sim = Microsimulation("xishuangbanna_2022", reforms=["raise_tekun_1050"], period="2022")
sim.calc("dibao_benefit").sum(), sim.calc("dibao_benefit").groupby("jurisdiction").mean(), sim.compare()
"""

from __future__ import annotations

import warnings

from openfisca_cn_assist.analysis.results import Impact, Results
from openfisca_cn_assist.analysis.scenario import scenarios_for
from openfisca_cn_assist.analysis.weighted import Microsimulation, WeightedSeries
from openfisca_cn_assist.caseload.model import Caseload
from openfisca_cn_assist.caseload.readers import builtin_caseload, read_caseload
from openfisca_cn_assist.engine.reform_tools import apply_reform
from openfisca_cn_assist.engine.system import CountryTaxBenefitSystem, builtin_system

__all__ = [
    "run",
    "compare",
    "read_caseload",
    "builtin_caseload",
    "Caseload",
    "Results",
    "Impact",
    "Microsimulation",
    "WeightedSeries",
]


def __getattr__(name: str):
    """``api.simulate`` and ``api.impact``: deprecated (0.2), they live in :mod:`openfisca_cn_assist.analysis.microsim`."""
    if name in ("simulate", "impact"):
        warnings.warn(
            f"openfisca_cn_assist.api.{name} is deprecated: use run/compare, or "
            f"openfisca_cn_assist.analysis.microsim.{name}; the old name will be removed in the next release",
            DeprecationWarning,
            stacklevel=2,
        )
        from openfisca_cn_assist.analysis import microsim

        return getattr(microsim, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _system() -> CountryTaxBenefitSystem:
    return builtin_system()


def _as_caseload(caseload, period: str, partition_size: int | None):
    from openfisca_cn_assist.analysis.partitions import as_partitioned

    return as_partitioned(caseload, period, _system(), partition_size)


def run(
    caseload: Caseload | str,
    period: str,
    reform: str | None = None,
    progress: bool = False,
    *,
    dask: str | None = None,
    partition_size: int | None = None,
    rows: bool | None = None,
    carry_forward: bool = False,
    map_retired_codes: bool = False,
) -> Results:
    """Every output for every household and month of ``period``, under the baseline or a reform.

    ``caseload``: a built-in name, ``"synthetic:N[:SEED]"``, a :class:`Caseload` or a
    :class:`~openfisca_cn_assist.analysis.partitions.PartitionedCaseload` (e.g. ``folder_partitions(...)``).
    ``dask``: ``"local:N"`` or ``"tcp://HOST:PORT"`` to run the partitions on Dask. ``rows``: keep one
    row per household in ``results.households`` (default: yes, except on Dask). ``carry_forward``: use
    values past their horizon (the last date their source supports them) instead of stopping, and list
    the outputs that rest on them in ``results.carried_forward``. ``map_retired_codes``: read a division code
    retired at the date as its single successor instead of stopping, and list the mappings in
    ``results.mapped_codes``.
    """
    from openfisca_cn_assist.analysis.distributed import run_caseload

    partitioned = _as_caseload(caseload, period, partition_size)
    systems = None if dask else [_system() if reform is None else apply_reform(_system(), reform)]
    keep = not dask if rows is None else rows
    return run_caseload(
        partitioned,
        period,
        scenarios_for(reform, carry_forward=carry_forward, map_retired_codes=map_retired_codes),
        dask=dask,
        systems=systems,
        rows=keep,
        progress=progress,
    )


def compare(
    reform: str,
    caseload: Caseload | str,
    period: str,
    progress: bool = False,
    *,
    dask: str | None = None,
    partition_size: int | None = None,
    rows: bool | None = None,
    carry_forward: bool = False,
    map_retired_codes: bool = False,
) -> Impact:
    """Baseline against ``reform`` (a name in reforms/ or a .yaml/.py file) on the same caseload (options as :func:`run`)."""
    from openfisca_cn_assist.analysis.distributed import run_caseload

    partitioned = _as_caseload(caseload, period, partition_size)
    systems = None if dask else [_system(), apply_reform(_system(), reform)]
    keep = not dask if rows is None else rows
    return run_caseload(
        partitioned,
        period,
        scenarios_for(reform, compare=True, carry_forward=carry_forward, map_retired_codes=map_retired_codes),
        dask=dask,
        systems=systems,
        rows=keep,
        changes=True,
        progress=progress,
    )
