"""Caseloads: the tables (model), their checks (columns), files and built-in caseloads (readers), one
simulation of a caseload (simulation), synthetic caseloads and the built-in generator, the bulk builder.

``from openfisca_cn_assist.caseload import read_caseload, builtin_caseload, Caseload`` is the public API (the
names the flat ``openfisca_cn_assist.caseload`` module had before the split).
"""

from openfisca_cn_assist.caseload.columns import prepare_caseload
from openfisca_cn_assist.caseload.model import HOUSEHOLD_ID, PERSON_ID, WEIGHT, Caseload, CaseloadError
from openfisca_cn_assist.caseload.readers import builtin_caseload, builtin_caseloads, read_caseload, write_caseload
from openfisca_cn_assist.caseload.simulation import caseload_simulation

__all__ = [
    "HOUSEHOLD_ID",
    "PERSON_ID",
    "WEIGHT",
    "Caseload",
    "CaseloadError",
    "builtin_caseload",
    "builtin_caseloads",
    "caseload_simulation",
    "prepare_caseload",
    "read_caseload",
    "write_caseload",
]
