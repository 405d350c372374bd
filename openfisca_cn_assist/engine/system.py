"""The tax-benefit system: entities, the jurisdiction registry, variables and parameters."""

from __future__ import annotations

import json

from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import ETERNITY
from openfisca_core.taxbenefitsystems import TaxBenefitSystem
from openfisca_core.variables import Variable

from openfisca_cn_assist.engine.entities import Household, entities
from openfisca_cn_assist.engine.jurisdictions import Registry, default_registry
from openfisca_cn_assist.engine.outputs import declared_outputs
from openfisca_cn_assist.engine.paths import PACKAGE_DIR, PARAMETERS_DIR, VARIABLES_DIR
from openfisca_cn_assist.engine.resolver import resolver_for


def jurisdiction_variable(registry: Registry) -> type[Variable]:
    """The household's jurisdiction, an Enum whose members are the registry keys."""
    members = [(j.key, f"{j.name_zh} / {j.name_en}") for j in registry.jurisdictions]
    jurisdiction_enum = Enum("Jurisdiction", members)
    return type(
        "jurisdiction",
        (Variable,),
        {
            "value_type": Enum,
            "possible_values": jurisdiction_enum,
            "default_value": jurisdiction_enum[registry.keys[0]],
            "entity": Household,
            "definition_period": ETERNITY,
            "label": "辖区 / Jurisdiction whose standards apply to the household",
            "reference": "openfisca_cn_assist/engine/jurisdictions.yaml",
            "__doc__": "Registry key of the jurisdiction (county, prefecture, province or china).",
        },
    )


class CountryTaxBenefitSystem(TaxBenefitSystem):
    """China social assistance. ``registry`` defaults to the built-in jurisdictions."""

    CURRENCY = "¥"

    def __init__(self, registry: Registry | None = None):
        super().__init__(entities)
        self.registry = registry or default_registry()
        self.add_variable(jurisdiction_variable(self.registry))
        self.add_variables_from_directory(str(VARIABLES_DIR))
        self.load_parameters(str(PARAMETERS_DIR))
        resolver_for(self)  # resolve inheritance once, at load, so layout errors surface here
        declared_outputs(self)  # check the outputs' declarations (kind, programme, parts) at load
        example = PACKAGE_DIR / "situation_examples" / "xishuangbanna_rural_class.json"
        self.open_api_config = {
            "variable_example": "dibao_benefit",
            "parameter_example": "dibao.standard_rural.xishuangbanna",
            "simulation_example": json.loads(example.read_text(encoding="utf-8")),
        }
