import numpy as np
from openfisca_core.periods import MONTH
from openfisca_core.variables import Variable

from openfisca_cn_assist.entities import Person
from openfisca_cn_assist.enums import DibaoClass
from openfisca_cn_assist.errors import InputError, rows_text
from openfisca_cn_assist.lookup import by_jurisdiction


class dibao_class_amount(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    unit = "currency-CNY"
    label = "低保分类补助金额 / The person's dibao class amount where the household is paid by class (元/月)"
    reference = "西双版纳 2022: A类460元、B类310元、C类260元, 从7月1日起执行 (S0)"

    def formula(person, period, parameters):
        """Each counted member of an eligible class-paid household receives the amount of their class."""
        needed = (
            person.household("dibao_pays_by_class", period)
            & person.household("dibao_eligible", period)
            & ~person("tekun_eligible", period)
        )
        person_class = person("dibao_class", period)
        unclassified = needed & (person_class == DibaoClass.unclassified)
        if unclassified.any():
            raise InputError(
                "dibao_class: members of 低保-eligible households in a jurisdiction that pays by class "
                f"(分档发放) need class a, b or c; person rows {rows_text(np.flatnonzero(unclassified))} "
                f"are 'unclassified' in {period}."
            )
        amount = np.zeros(len(person_class))
        for name in ("a", "b", "c"):
            in_class = needed & (person_class == DibaoClass[name])
            class_amount = by_jurisdiction(person, period, f"dibao.class_amount_{name}", where=in_class)
            amount = np.where(in_class, class_amount, amount)
        return amount
