from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.accessor import jurisdictional
from openfisca_cn_assist.engine.entities import Person
from openfisca_cn_assist.engine.enums import DibaoClass
from openfisca_cn_assist.engine.errors import InputError
from openfisca_cn_assist.engine.outputs import Output


class dibao_class_amount(Output):
    value_type = float
    entity = Person
    definition_period = MONTH
    unit = "currency-CNY"
    label = "低保分类补助金额 / The person's class amount in an eligible household paid by class (元/月)"
    reference = "西双版纳 2022: A类460元、B类310元、C类260元, 从7月1日起执行 (S0)"
    # What this output is and where it is listed: every list of outputs is generated from these (engine/outputs.py).
    programme = "dibao"
    kind = "amount"
    order = 230
    shown_in = ("page",)
    # quoted, member by member, by dibao_regular_benefit's explanation (nothing for a member not paid by class)
    explanation = {
        True: {
            "zh": "{dibao_class} {value}{dibao.class_amount[dibao_class]:rule}",
            "en": "{dibao_class} {value}{dibao.class_amount[dibao_class]:rule}",
        },
        False: None,
    }
    short_label = ("分档补助金额", "class amount")

    def defined_for(person, period):
        """The members of eligible households paid by class, but for 特困 persons (paid as such)."""
        paid_by_class = person.household("dibao_pays_by_class", period) & person.household("dibao_eligible", period)
        return paid_by_class & ~person("tekun_eligible", period)

    def formula(person, period, parameters):
        """Each counted member of an eligible class-paid household receives the amount of their class."""
        classes = person("dibao_class", period)
        unclassified = person.rows_where(classes == DibaoClass.unclassified)
        if len(unclassified):
            raise InputError.at_rows(
                "dibao_class: members of 低保-eligible households in a jurisdiction that pays 低保 by class (分档发放) "
                f"need class a, b or c; person rows {{rows}} are 'unclassified' in {period}.",
                "person",
                unclassified,
            )
        return jurisdictional(person, period).dibao.class_amount[classes]
