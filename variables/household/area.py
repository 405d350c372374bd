from openfisca_core.holders import set_input_dispatch_by_period
from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.entities import Household
from openfisca_cn_assist.engine.enums import Area
from openfisca_cn_assist.engine.variable import Variable


class area(Variable):
    value_type = Enum
    possible_values = Area
    default_value = Area.urban
    entity = Household
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "城乡属性 / Urban or rural: selects the urban or rural standard"
    reference = "民发〔2021〕57号: urban and rural standards are set separately"
