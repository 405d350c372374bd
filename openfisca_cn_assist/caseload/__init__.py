"""Caseloads: readers of caseload files, the built-in and synthetic caseloads, bulk simulation building.

``from openfisca_cn_assist.caseload import read_caseload, builtin_caseload, Caseload`` is the public API.
"""

from openfisca_cn_assist.caseload.readers import Caseload, CaseloadError, builtin_caseload, read_caseload

__all__ = ["Caseload", "CaseloadError", "builtin_caseload", "read_caseload"]
