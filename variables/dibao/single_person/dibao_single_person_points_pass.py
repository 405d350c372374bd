import numpy as np
from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.accessor import jurisdictional
from openfisca_cn_assist.engine.entities import Person
from openfisca_cn_assist.engine.variable import Variable


class dibao_single_person_points_pass(Variable):
    """A 单人户 candidate's own points reach the pass mark, where the jurisdiction uses points; true elsewhere.

    Reading: the points test scores the unit being admitted (seed 004: 峨山 admitted a woman with a
    grade-2 mental disability and her father-in-law, not her husband, “通过精准低保积分制”), so a 单人户
    is scored as a household of one with the same (assumed) sub-scales as dibao_points_*: labour 35 if
    the person cannot work (tekun_no_work_capacity, or seriously ill), else 0; income 30 × max(0, 1 −
    own countable income ÷ standard); property 35 × the household's property_score_share and the
    household's adjustment items, since neither has a person-level input.
    """

    value_type = bool
    default_value = True  # a person who is not scored (no points where they live, or not a 单人户 candidate) passes
    entity = Person
    definition_period = MONTH
    # quoted by dibao_single_person_unit's explanation as a reason it is not granted
    explanation = {
        True: None,
        False: {
            "zh": "本人积分未达标",
            "en": "their own points fall short of the pass mark",
            "why": {"zh": "本人积分未达标", "en": "their own points fall short of the pass mark"},
        },
    }
    label = "单人户低保积分达标 / A 单人户 candidate's own points reach the pass mark (true where points are not used)"
    reference = (
        "玉溪 精准低保积分制: 通过精准低保积分制将白小娟和公公纳入最低生活保障 (S4); "
        "总分100分: 劳动力35, 收入30, 财产35, 设置加减分项 (S4); pass mark and sub-scales assumed"
    )

    def defined_for(person, period):
        """The few who would be a 单人户 in a jurisdiction that uses points."""
        uses_points = jurisdictional(person, period).dibao.uses_points
        return uses_points & (person("is_severely_disabled", period) | person("has_serious_illness", period))

    def formula(person, period, parameters):
        """Labour + income + property + adjustment points of the person as a unit of one ≥ the pass mark."""
        p = jurisdictional(person, period).dibao
        cannot_work = person("tekun_no_work_capacity", period) | person("has_serious_illness", period)
        standard = person.household("dibao_standard", period)
        own_income = person("own_countable_income", period)
        ratio = np.divide(own_income, standard, out=np.ones_like(standard), where=standard > 0)
        score = (
            p.points_labour_max * cannot_work
            + p.points_income_max * np.clip(1 - ratio, 0, 1)
            + p.points_property_max * person.household("property_score_share", period)
            + person.household("dibao_points_adjustment", period)
        )
        return score >= p.points_pass_mark
