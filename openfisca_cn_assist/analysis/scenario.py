"""What a caseload run computes: one :class:`Scenario` for a simulation, the baseline and a reform for an impact.

The runners (:func:`openfisca_cn_assist.analysis.microsim.run`,
:func:`openfisca_cn_assist.analysis.distributed.run_caseload`) take a sequence of scenarios; a Dask task
carries them, so a scenario holds names (a reform in ``reforms/`` or a file path), never a system: each
worker builds its own systems from them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Scenario:
    """The baseline (``reform`` None) or a reform (a name in ``reforms/``, or a .yaml/.py file).

    ``carry_forward``: use values past their horizon instead of stopping, and list the outputs that rest on them.
    ``map_retired_codes``: read a retired division code as its single successor, and list the mappings.
    """

    reform: str | None = None
    carry_forward: bool = False
    map_retired_codes: bool = False

    def system(self, system):
        """``system`` (this scenario's, built from ``reform``) as this scenario computes with it."""
        if self.carry_forward:
            from openfisca_cn_assist.engine.horizons import carrying_forward

            system = carrying_forward(system)
        if self.map_retired_codes:
            from openfisca_cn_assist.engine.divisions_in_force import mapping_retired_codes

            system = mapping_retired_codes(system)
        return system


def scenarios_for(
    reform: str | None = None, *, compare: bool = False, carry_forward: bool = False, map_retired_codes: bool = False
) -> list[Scenario]:
    """``[Scenario(reform)]`` to simulate; ``[baseline, Scenario(reform)]`` when ``compare``."""
    options = {"carry_forward": carry_forward, "map_retired_codes": map_retired_codes}
    return [Scenario(None, **options), Scenario(reform, **options)] if compare else [Scenario(reform, **options)]


def check_scenarios(scenarios: Sequence[Scenario]) -> tuple[Scenario, ...]:
    """The scenarios as a tuple: one (a simulation), or the baseline then a reform (an impact)."""
    scenarios = tuple(scenarios)
    if not all(isinstance(s, Scenario) for s in scenarios):
        raise TypeError("give the scenarios as Scenario objects, e.g. [Scenario(), Scenario('raise_tekun_1050')]")
    if len(scenarios) not in (1, 2) or (len(scenarios) == 2 and scenarios[0].reform is not None):
        raise ValueError(
            "scenarios are [Scenario(reform)] for a simulation or [Scenario(), Scenario(reform)] for an impact"
        )
    return scenarios
