from openfisca_core.holders import set_input_dispatch_by_period
from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.entities import Person
from openfisca_cn_assist.engine.variable import Variable


class tekun_centralized(Variable):
    """A 特困 person supported in an institution (集中供养) rather than at home (分散供养).

    An input recorded by caseloads, whose published counts split 特困 persons this way. No rule of
    the modelled jurisdictions depends on it yet: care rates that differ between the two forms exist
    elsewhere (an Anhui township, W16) but not in the jurisdictions modelled.
    """

    value_type = bool
    default_value = False
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "集中供养 / 特困 person supported in an institution (集中供养), not at home (分散供养)"
    reference = (
        "社会救助暂行办法 (特困人员供养): 可以在当地的供养服务机构集中供养, 也可以在家分散供养 (R, recalled); "
        "西双版纳 2022: 集中供养284人、分散供养961人 (S0; POLICY_REFERENCE §2.2)"
    )
