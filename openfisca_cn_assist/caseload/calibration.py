"""The built-in caseload against the figures S0 publishes: counts for a month and spending for the year."""

from __future__ import annotations

from openfisca_cn_assist.caseload.generator import PUBLISHED
from openfisca_cn_assist.caseload.model import Caseload
from openfisca_cn_assist.caseload.simulation import caseload_simulation


def calibration(caseload: Caseload, system=None, period: str = "2022-08") -> dict:
    """The model's counts for ``period`` beside the published ones (persons are 低保-covered persons)."""
    if system is None:
        from openfisca_cn_assist import CountryTaxBenefitSystem

        system = CountryTaxBenefitSystem()
    simulation = caseload_simulation(system, caseload, period)
    persons, households = simulation.populations["person"], simulation.populations["household"]
    rural = households("area", period).decode_to_str() == "rural"
    recipient = households("dibao_recipient", period)
    covered = persons("dibao_covered_person", period)
    person_rural = persons.household.project(rural)
    dibao_class = persons("dibao_class", period).decode_to_str()
    tekun = persons("tekun_eligible", period)
    centralized = persons("tekun_centralized", period)
    benefit = households("dibao_benefit", period)
    urban_recipient = recipient & ~rural
    model = {
        "rural_dibao_households": int((recipient & rural).sum()),
        "rural_dibao_persons": int((covered & person_rural).sum()),
        "rural_dibao_class_a": int((covered & person_rural & (dibao_class == "a")).sum()),
        "rural_dibao_class_b": int((covered & person_rural & (dibao_class == "b")).sum()),
        "rural_dibao_class_c": int((covered & person_rural & (dibao_class == "c")).sum()),
        "urban_dibao_households": int(urban_recipient.sum()),
        "urban_dibao_persons": int((covered & ~person_rural).sum()),
        "tekun_households": int((households.sum(tekun) > 0).sum()),
        "tekun_persons": int(tekun.sum()),
        "tekun_centralized": int((tekun & centralized).sum()),
        "tekun_dispersed": int((tekun & ~centralized).sum()),
    }
    extra = {
        "dibao_marginal_families": int(households("dibao_marginal_family", period).sum()),
        "urban_mean_benefit_per_person": float(
            benefit[urban_recipient].sum() / max(households("dibao_unit_size", period)[urban_recipient].sum(), 1)
        ),
        "rural_mean_benefit_per_person": float(
            benefit[recipient & rural].sum() / max(households("dibao_unit_size", period)[recipient & rural].sum(), 1)
        ),
    }
    return {"period": period, "model": model, "published": {k: PUBLISHED[k] for k in model}, "other": extra}


def yearly_spending(caseload: Caseload, system=None, year: str = "2022") -> dict:
    """The model's 低保 and 特困 basic spending over ``year`` in 万元, beside the published spending."""
    if system is None:
        from openfisca_cn_assist import CountryTaxBenefitSystem

        system = CountryTaxBenefitSystem()
    simulation = caseload_simulation(system, caseload, year)
    households = simulation.populations["household"]
    rural = households("area", f"{year}-01").decode_to_str() == "rural"
    totals = {"rural_dibao": 0.0, "urban_dibao": 0.0, "tekun_basic": 0.0}
    for month in [f"{year}-{m:02d}" for m in range(1, 13)]:
        benefit = simulation.calculate("dibao_benefit", month)
        totals["rural_dibao"] += float(benefit[rural].sum())
        totals["urban_dibao"] += float(benefit[~rural].sum())
        totals["tekun_basic"] += float(simulation.calculate("tekun_basic_allowance", month).sum())
    return {
        "model_10k_yuan": {k: round(v / 10_000, 2) for k, v in totals.items()},
        "published_10k_yuan": {
            "rural_dibao": PUBLISHED["rural_dibao_spending_10k_yuan"],
            "urban_dibao": PUBLISHED["urban_dibao_spending_10k_yuan"],
            "tekun_basic_and_care": PUBLISHED["tekun_spending_10k_yuan"],
        },
    }
