"""The tax-benefit system: entities, the jurisdiction registry, variables and parameters."""

from __future__ import annotations

import functools
import json

import numpy as np
from openfisca_core.indexed_enums import Enum, EnumArray
from openfisca_core.periods import ETERNITY
from openfisca_core.taxbenefitsystems import TaxBenefitSystem
from openfisca_core.variables import Variable

from openfisca_cn_assist.engine.collector import collector_paused
from openfisca_cn_assist.engine.division_search import did_you_mean
from openfisca_cn_assist.engine.entities import Household, entities
from openfisca_cn_assist.engine.enums import indexed_enum
from openfisca_cn_assist.engine.jurisdictions import Registry, default_registry
from openfisca_cn_assist.engine.outputs import declared_outputs
from openfisca_cn_assist.engine.paths import PACKAGE_DIR, PARAMETERS_DIR, VARIABLES_DIR
from openfisca_cn_assist.engine.resolver import resolver_for


class JurisdictionEnum(Enum):
    """Jurisdiction members are registry keys; a 6-digit code or an alias names the record its registry gives."""

    registry: Registry

    @classmethod
    def encode(cls, array):
        if not isinstance(array, EnumArray):
            values = np.asarray(array)
            if values.dtype.kind in "US" or (values.dtype.kind == "O" and len(values) and isinstance(values[0], str)):
                return EnumArray(jurisdiction_indices(cls.registry, values), cls)
        return super().encode(array)


def jurisdiction_indices(registry: Registry, values) -> np.ndarray:
    """Record indices of keys, aliases or codes, one lookup per distinct value; an unknown value is a ValueError
    naming it with the nearest codes and names."""
    uniques, inverse = np.unique(np.asarray(values).astype(str), return_inverse=True)
    found = [registry.resolve_name(u.strip()) for u in uniques]
    unknown = [str(u) for u, i in zip(uniques, found) if i is None]
    if unknown:
        raise ValueError(
            f"jurisdiction: unknown value {unknown[0]!r}{did_you_mean(registry, unknown[0])}; expected a 6-digit "
            f"division code (cn-assist jurisdictions lists them) or a project key (mengla, hezhou …)"
        )
    return np.asarray(found, dtype=np.int16)[inverse.reshape(-1)]


class JurisdictionVariable(Variable):
    """Base of the jurisdiction variable: OpenFisca checks a variable class's own attributes, not its base's."""

    def check_set_value(self, value):
        """A situation's value: a key, alias or code; an unknown one names the nearest codes, not 6,800 members."""
        if isinstance(value, str):
            return int(jurisdiction_indices(self.possible_values.registry, [value])[0])
        return super().check_set_value(value)


def jurisdiction_variable(registry: Registry) -> type[Variable]:
    """The household's jurisdiction, an Enum whose members are the registry keys (codes and aliases accepted)."""
    # Labels must differ: Python makes members with equal values aliases of each other.
    members = [
        (j.key, f"{j.name_zh} / {j.name_en or j.code}" + (f" ({j.validity})" if "_" in j.key and j.code else ""))
        for j in registry.jurisdictions
    ]
    jurisdiction_enum = indexed_enum(JurisdictionEnum, "Jurisdiction", members, module=__name__)
    jurisdiction_enum.registry = registry
    member_map, enums = jurisdiction_enum._member_map_, list(jurisdiction_enum.enums)
    for name, index in registry.names.items():
        member_map.setdefault(name, enums[index])
    return type(
        "jurisdiction",
        (JurisdictionVariable,),
        {
            "value_type": Enum,
            "possible_values": jurisdiction_enum,
            "default_value": jurisdiction_enum[registry.keys[0]],
            "entity": Household,
            "definition_period": ETERNITY,
            "label": "辖区 / Jurisdiction whose standards apply to the household",
            "reference": "openfisca_cn_assist/engine/divisions.csv",
            "__doc__": "The division whose standards apply: a 6-digit administrative-division code in force at the "
            "date (cn-assist jurisdictions), or a project key such as mengla.",
        },
    )


class CountryTaxBenefitSystem(TaxBenefitSystem):
    """China social assistance. ``registry`` defaults to the built-in jurisdictions."""

    CURRENCY = "¥"

    def __init__(self, registry: Registry | None = None):
        with collector_paused():
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

    def get_package_metadata(self) -> dict[str, str]:
        """OpenFisca's package metadata, read once per system: openfisca-core asks for it for each of the 78
        variable files and parses the installed distribution's metadata every time (0.05 s of a cold start)."""
        cached = self.__dict__.get("_package_metadata")
        if cached is None:
            cached = self.__dict__["_package_metadata"] = super().get_package_metadata()
        return dict(cached)


@functools.cache
def builtin_system() -> CountryTaxBenefitSystem:
    """The built-in system, built once per process and shared by the callers that have no system of their own
    (reading a caseload, the Python API, the MCP tools, the deprecated module constants). Reforms apply to it
    without changing it; a caller that changes a system builds its own ``CountryTaxBenefitSystem()``."""
    return CountryTaxBenefitSystem()
