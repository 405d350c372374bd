"""Lists of outputs shared by the rules, the explanations and the reports, kept in one place."""

# The person-level cash benefits that social_assistance_total adds to the household's 低保.
PERSON_BENEFITS = (
    "tekun_basic_allowance",
    "tekun_care_allowance",
    "orphan_allowance",
    "disability_living_subsidy",
    "disability_care_subsidy",
    "one_off_living_subsidy",
    "price_subsidy",
)
