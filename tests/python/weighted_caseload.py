"""A small weighted caseload, 30 urban households in 青海 and 贺州 with weights 60–150 (within the 60–300 asked for), whose 2020 impact of
"urban 低保 standards +10 %" is worked out by hand in test_weighted.py (and drawn in test_charts.py).

Every adult is 40 with an able supporter and a monthly wage; a two-person household is that adult and a
child with no income. 2020 urban standards: 青海 580 元/月 (reform 638), 贺州 750 (reform 825). Households
are in order of per-capita income (元/月), and each block of three holds exactly 300 weighted persons
(a tenth of the 3,000), so block k is income decile k.
"""

import pandas as pd

from openfisca_cn_assist.caseload.model import Caseload

# (household, jurisdiction, members, monthly wage of the adult, weight); per-capita income = wage / members
HOUSEHOLDS = [
    ("h01", "qinghai", 1, 0, 60),  # decile 1: 60 + 2×60 + 120 = 300 persons
    ("h02", "qinghai", 2, 40, 60),
    ("h03", "qinghai", 1, 40, 120),
    ("h04", "qinghai", 1, 100, 100),  # decile 2
    ("h05", "qinghai", 1, 120, 100),
    ("h06", "qinghai", 1, 140, 100),
    ("h07", "qinghai", 2, 400, 75),  # decile 3: 2×75 + 90 + 60
    ("h08", "qinghai", 1, 220, 90),
    ("h09", "qinghai", 1, 240, 60),
    ("h10", "qinghai", 1, 300, 150),  # decile 4
    ("h11", "qinghai", 1, 320, 90),
    ("h12", "qinghai", 1, 340, 60),
    ("h13", "qinghai", 1, 400, 100),  # decile 5: 100 + 2×70 + 60
    ("h14", "qinghai", 2, 900, 70),
    ("h15", "qinghai", 1, 500, 60),
    ("h16", "qinghai", 1, 560, 100),  # decile 6: below 580; 600 and 620 between 580 and 638
    ("h17", "qinghai", 1, 600, 100),
    ("h18", "qinghai", 1, 620, 100),
    ("h19", "qinghai", 1, 640, 60),  # decile 7: above 638 (h21: 1420 / 2 = 710); 60 + 120 + 2×60
    ("h20", "qinghai", 1, 700, 120),
    ("h21", "qinghai", 2, 1420, 60),
    ("h22", "hezhou", 1, 720, 100),  # decile 8: 720 and 740 below 750; 760 between 750 and 825
    ("h23", "hezhou", 1, 740, 100),
    ("h24", "hezhou", 1, 760, 100),
    ("h25", "hezhou", 1, 800, 60),  # decile 9: 800 and 820 between 750 and 825; 900 above
    ("h26", "hezhou", 1, 820, 120),
    ("h27", "hezhou", 1, 900, 120),
    ("h28", "hezhou", 1, 1000, 100),  # decile 10
    ("h29", "hezhou", 1, 1200, 100),
    ("h30", "hezhou", 1, 1500, 100),
]

REFORM_YAML = """\
name: urban_standards_plus_10pct_2020
label: 城市低保标准提高 10% / Urban 低保 standards up 10 %
description: Test scenario (test_weighted.py) - every urban 低保 standard 10 % higher from 2020-01-01.
changes:
  - parameter: dibao.standard_urban
    jurisdictions: all
    from: 2020-01-01
    change: +10%
"""


def weighted_caseload() -> Caseload:
    persons, households = [], []
    for household, jurisdiction, members, wage, weight in HOUSEHOLDS:
        persons.append(
            {"person_id": f"{household}a", "household_id": household, "age": 40, "has_able_supporter": True}
            | {"wage_income": wage}
        )
        if members == 2:
            persons.append(
                {"person_id": f"{household}c", "household_id": household, "age": 10, "has_able_supporter": True}
                | {"wage_income": 0}
            )
        households.append({"household_id": household, "weight": weight, "jurisdiction": jurisdiction, "area": "urban"})
    return Caseload(pd.DataFrame(persons), pd.DataFrame(households), name="weighted_30")


def reform_file(folder) -> str:
    path = folder / "urban_standards_plus_10pct_2020.yaml"
    path.write_text(REFORM_YAML, encoding="utf-8")
    return str(path.resolve())
