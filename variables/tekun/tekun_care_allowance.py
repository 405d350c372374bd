from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.accessor import jurisdictional
from openfisca_cn_assist.engine.entities import Person
from openfisca_cn_assist.engine.outputs import Output


class tekun_care_allowance(Output):
    value_type = float
    entity = Person
    definition_period = MONTH
    unit = "currency-CNY"
    label = "特困照料护理费 / Monthly 特困 care allowance by self-care level (元/月)"
    reference = (
        "汉民发〔2021〕52号: 不低于我市最低工资标准的10%15%25% (全自理、半护理、全护理); "
        "贺州: 照料护理标准按最低工资标准的30%、和60%发放 (S3; read in the order given as 全自理 30 %, 全护理 60 %, 半护理 lost; L)"
    )
    # What this output is and where it is listed: every list of outputs is generated from these (engine/outputs.py).
    programme = "tekun"
    kind = "money"
    order = 220
    shown_in = ("cli", "microsim", "page")
    short_label = ("特困照料护理费", "tekun care allowance")

    defined_for = "tekun_eligible"
    explanation = {
        "zh": "照料护理费（{self_care_level}）= {tekun.care_rate[self_care_level]} × 最低工资 {wages.minimum_wage} = "
        "{value} 元/月",
        "en": "Care allowance ({self_care_level}) = {tekun.care_rate[self_care_level]} × minimum wage "
        "{wages.minimum_wage} = {value} a month",
    }

    def formula(person, period, parameters):
        """The jurisdiction's rate for the person's self-care level times its monthly minimum wage."""
        p = jurisdictional(person, period)
        return p.tekun.care_rate[person("self_care_level", period)] * p.wages.minimum_wage
