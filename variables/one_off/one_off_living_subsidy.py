import numpy as np
from openfisca_core.periods import MONTH, YEAR

from openfisca_cn_assist.engine.accessor import jurisdictional
from openfisca_cn_assist.engine.entities import Person
from openfisca_cn_assist.engine.outputs import Output


class one_off_living_subsidy(Output):
    value_type = float
    entity = Person
    definition_period = YEAR
    unit = "currency-CNY"
    label = (
        "一次性生活补贴 / One-off living subsidy paid in this year to a 低保 or 特困 person, once (元; month not known)"
    )
    reference = "西双版纳 2022: 按照100元/人的标准, 为全州22746名城乡低保对象、特困人员增发一次性生活补贴 (S0)"
    # What this output is and where it is listed: every list of outputs is generated from these (engine/outputs.py).
    programme = "one_off"
    kind = "money"
    order = 500
    shown_in = ("cli", "microsim")
    short_label = ("一次性生活补贴", "one-off living subsidy")
    amount_parameter = "one_off.living_subsidy_amount"
    reads_months = ("dibao_covered_person", "tekun_eligible")  # in defined_for: covered in any month of the year
    month_not_known = (
        "the one-off living subsidy is paid once in the year (Xishuangbanna 2022, S0), in a month no source gives"
    )

    def defined_for(person, period):
        """Persons on 低保 or 特困 in any month of the calendar year."""
        if period.start.month != 1 or period.start.day != 1 or period.size != 1:
            raise ValueError(f"one_off_living_subsidy is paid for a calendar year (such as 2022), not for {period}")
        covered = np.zeros(person.count, dtype=bool)
        for month in period.get_subperiods(MONTH):
            covered |= person("dibao_covered_person", month) | person("tekun_eligible", month)
        return covered

    def formula(person, period, parameters):
        """The amount the jurisdiction pays in the calendar year, once, to a person on 低保 or 特困 in any of its months.

        The source (S0) pays persons on 低保 or 特困 "at the time" of a payment whose month it does not give.
        Without the month, a person on the rolls in some month of the year may have been paid and one on the
        rolls in none was not: "any month" is the reading that excludes no one the source may include. It
        counts a person once however many months they were covered, and it counts persons who joined after
        or left before the (unknown) payment date, so a yearly total can exceed what was paid (S0: 22746
        paid, 23262 on the rolls at the year end). The variable is yearly: no month carries the payment, so
        monthly results report it as not computed (``month_not_known`` above).
        """
        return jurisdictional(person, period).one_off.living_subsidy_amount
