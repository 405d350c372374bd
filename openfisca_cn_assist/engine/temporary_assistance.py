"""The request and the cap of 临时救助, shared by the cap output and the approval level."""

import numpy as np

from openfisca_cn_assist.engine.accessor import jurisdictional
from openfisca_cn_assist.engine.errors import InputError

MONTHS_PER_YEAR = 12  # the cap is a multiple of the *yearly* urban standard; the resolver gives it per month


def requested_amount(household, period) -> np.ndarray:
    """The amount requested for the case, which cannot be negative."""
    requested = household("temporary_assistance_requested", period)
    negative = np.flatnonzero(requested < 0)
    if negative.size:
        raise InputError.at_rows(
            "temporary_assistance_requested: household rows {rows} are negative; "
            "give the amount requested for the case (元, 0 for none)",
            "household",
            negative,
        )
    return requested


def case_cap(household, period, where) -> np.ndarray:
    """Multiple × the yearly urban 低保 standard (rural households too); NaN outside ``where`` when unknown."""
    p = jurisdictional(household, period).only(where)
    multiple = p.temporary_assistance.cap_multiple_of_annual_urban_standard
    urban_standard = p.dibao.standard_urban
    return multiple * MONTHS_PER_YEAR * urban_standard
