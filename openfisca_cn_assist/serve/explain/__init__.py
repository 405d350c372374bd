"""Explain one situation's result household by household, step by step, in Chinese or English.

    from openfisca_cn_assist import CountryTaxBenefitSystem
    from openfisca_cn_assist.serve.explain import explain

    accounts = explain(CountryTaxBenefitSystem(), situation, "2022-08", lang="zh")
    print(accounts[0].to_text())      # or accounts[0].to_dict(), JSON-serialisable

The explanation is read from the computation, never worked out a second time: the situation is
simulated with OpenFisca's tracer on (``simulation.trace = True``), every variable value the text
states is read from the trace, and every parameter from the lookups that
:func:`openfisca_cn_assist.engine.lookup.by_jurisdiction` records in that trace, with its provenance from the
resolver (``resolver_for(system)[path].source(jurisdiction, date)``). The text only combines those
numbers with operators (``(450 − 183.33) × 3 = 800``), and each line carries the numbers it states as
structured items ``{label, value, variable | parameter, period, …}``, so that a test can recompute each.

An output that cannot be computed (a parameter no source gives, an input the rules cannot use) is
explained as "cannot be computed", with the missing parameter, the jurisdictions searched and the
dates that do have values, while the rest of the account is still given. When several households are
explained together, they are computed together (as ``/calculate`` does); where something cannot be
computed, a household whose outputs fail only because of another household's missing value is
recomputed alone, so that one household's missing standard does not hide another's result (the
account says so).
"""

from openfisca_cn_assist.serve.explain.households import explain, household_situation
from openfisca_cn_assist.serve.explain.model import LANGS, HouseholdExplanation, format_number

__all__ = ["LANGS", "HouseholdExplanation", "explain", "format_number", "household_situation"]
