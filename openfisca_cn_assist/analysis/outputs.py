"""The outputs a microsimulation computes, read from the system's declarations (openfisca_cn_assist.engine.outputs)."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from openfisca_cn_assist.engine.outputs import declared_outputs, programme_parts, total_output, yearly_outputs


@dataclass(frozen=True)
class MicrosimOutputs:
    """Money outputs (summed in 元) and status outputs (counted in months), each ``(variable, entity, label)``.

    Small and picklable: it travels with each partition's sums to the process that adds them up.
    """

    money: tuple[tuple[str, str, str], ...]
    status: tuple[tuple[str, str, str], ...]
    total: str  # the output that adds up the others
    parts: tuple[str, ...]  # the money outputs that are no sum: their sum is a household's total
    yearly: tuple[str, ...]  # paid once in a year, in a month no source gives

    @classmethod
    def of(cls, system) -> MicrosimOutputs:
        shown = declared_outputs(system, "microsim")
        return cls(
            money=tuple((o.name, o.entity, o.short[0]) for o in shown if o.kind == "money"),
            status=tuple((o.name, o.entity, o.short[0]) for o in shown if o.kind == "status"),
            total=total_output(system),
            parts=tuple(programme_parts(system)),
            yearly=tuple(yearly_outputs(system)),
        )

    @property
    def order(self) -> list[str]:
        """Every output, money first: the order in which reports list them."""
        return [name for name, _, _ in self.money + self.status]


@functools.cache
def builtin_outputs() -> MicrosimOutputs:
    """The built-in system's outputs: for rows whose system is not known (and the deprecated module constants)."""
    from openfisca_cn_assist.engine.system import builtin_system

    return MicrosimOutputs.of(builtin_system())
