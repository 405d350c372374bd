"""A short Python API for analysts: caseload in, pandas DataFrames out.

    from openfisca_cn_assist.api import run, compare
    results = run("xishuangbanna_2022", "2022")                       # built-in caseload, or a Caseload
    results.households                                               # one row per household
    impact = compare("raise_tekun_1050", "xishuangbanna_2022", "2022")
    impact.by_programme(), impact.by_jurisdiction(), impact.counts()
"""

from __future__ import annotations

from .caseload import Caseload, builtin_caseload, read_caseload
from .microsim import Impact, Results, impact, simulate
from .reform_tools import apply_reform
from .system import CountryTaxBenefitSystem

__all__ = ["run", "compare", "read_caseload", "builtin_caseload", "Caseload", "Results", "Impact"]

_baseline: CountryTaxBenefitSystem | None = None


def _system() -> CountryTaxBenefitSystem:
    global _baseline
    if _baseline is None:
        _baseline = CountryTaxBenefitSystem()
    return _baseline


def _as_caseload(caseload: Caseload | str) -> Caseload:
    return builtin_caseload(caseload) if isinstance(caseload, str) else caseload


def run(caseload: Caseload | str, period: str, reform: str | None = None, progress: bool = False) -> Results:
    """Every output for every household and month of ``period``, under the baseline or a reform."""
    system = _system() if reform is None else apply_reform(_system(), reform)
    return simulate(system, _as_caseload(caseload), period, reform, progress)


def compare(reform: str, caseload: Caseload | str, period: str, progress: bool = False) -> Impact:
    """Baseline against ``reform`` (a name in reforms/ or a .yaml/.py file) on the same caseload."""
    return impact(_system(), apply_reform(_system(), reform), _as_caseload(caseload), period, reform, progress)
