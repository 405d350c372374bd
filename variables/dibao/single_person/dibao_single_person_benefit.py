import numpy as np
from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.accessor import jurisdictional
from openfisca_cn_assist.engine.entities import Person
from openfisca_cn_assist.engine.enums import DibaoClass
from openfisca_cn_assist.engine.errors import InputError
from openfisca_cn_assist.engine.outputs import Output


class dibao_single_person_benefit(Output):
    value_type = float
    entity = Person
    definition_period = MONTH
    unit = "currency-CNY"
    label = "单人户低保金 / 低保 benefit of a person covered alone (元/月)"
    reference = "单人户 (S1, S2); payment as for a household of one (民发〔2021〕57号 第二十三条)"
    # What this output is and where it is listed: every list of outputs is generated from these (engine/outputs.py).
    programme = "dibao"
    kind = "money"
    order = 150
    shown_in = ("microsim",)
    short_label = ("单人户低保金", "single-person dibao benefit")
    # chosen by the way the household is paid: the numbers the line states are those the formula used
    explanation = {
        ("dibao_pays_by_class", True): {
            "zh": "按 {dibao_class}发放 {dibao.class_amount[dibao_class]} 元/月",
            "en": "paid {dibao_class}: {dibao.class_amount[dibao_class]} a month",
        },
        ("dibao_pays_by_class", False): {
            "zh": "{dibao_standard} − {own_countable_income} = {value} 元/月",
            "en": "{dibao_standard} − {own_countable_income} = {value} a month",
        },
    }

    defined_for = "dibao_single_person_unit"

    def formula(person, period, parameters):
        """A household of one: the gap to the standard, or the person's class amount where paid by class."""
        by_class = person.household("dibao_pays_by_class", period)
        gap = person.household("dibao_standard", period) - person("own_countable_income", period)
        classes = person("dibao_class", period)
        unclassified = person.rows_where(by_class & (classes == DibaoClass.unclassified))
        if len(unclassified):
            raise InputError.at_rows(
                "dibao_class: persons covered as a 单人户 in a jurisdiction that pays 低保 by class (分档发放) need "
                f"class a, b or c; person rows {{rows}} are 'unclassified' in {period}.",
                "person",
                unclassified,
            )
        class_amount = jurisdictional(person, period).dibao.only(by_class).class_amount[classes]
        return np.where(by_class, class_amount, gap)
