"""Provenance of parameters: the metadata every value must carry, and the report of assumed values."""

from __future__ import annotations

from dataclasses import dataclass

from openfisca_core.parameters import Parameter, ParameterNode

from openfisca_cn_assist.engine.resolver import relative_file

CONFIDENCE_TAGS = ("H", "M", "L", "R", "I", "assumed", "reform")
"""POLICY_REFERENCE.md §0: high, medium, low, recalled, inferred; assumed (no source gives it); reform (written by a reform)."""


@dataclass(frozen=True)
class DatedValue:
    parameter: str
    start: str
    value: object
    confidence: str | None
    note: str | None
    file_path: str | None


def leaf_parameters(node: ParameterNode):
    """Every dated parameter (one per YAML file or per leaf) under ``node``."""
    for child in node.children.values():
        if isinstance(child, Parameter):
            yield child
        elif isinstance(child, ParameterNode):
            yield from leaf_parameters(child)


def _relative(path: str | None) -> str:
    return relative_file(path) or "?"


def metadata_problems(parameters: ParameterNode) -> list[str]:
    """Every leaf needs description, unit, reference and a known confidence; amounts need a period."""
    problems = []
    for parameter in leaf_parameters(parameters):
        where = f"{_relative(parameter.file_path)} ({parameter.name})"
        metadata = parameter.metadata or {}
        if not parameter.description:
            problems.append(f"{where}: no description")
        if not metadata.get("unit"):
            problems.append(f"{where}: no metadata.unit")
        if not metadata.get("reference"):
            problems.append(f"{where}: no metadata.reference")
        if metadata.get("unit", "").startswith("currency") and metadata.get("period") not in ("month", "year", "case"):
            problems.append(f"{where}: an amount needs metadata.period (month, year or case), as its source quotes it")
        for entry in dated_values(parameter):
            if entry.confidence not in CONFIDENCE_TAGS:
                problems.append(
                    f"{where} {entry.start}: confidence {entry.confidence!r} is not one of {CONFIDENCE_TAGS}"
                )
            if entry.confidence == "assumed" and not entry.note:
                problems.append(f"{where} {entry.start}: an assumed value needs a note saying why")
    return problems


def dated_values(parameter: Parameter) -> list[DatedValue]:
    """Each dated value with its own confidence and note, falling back to the file's."""
    values = []
    for entry in reversed(parameter.values_list):
        if entry.value is None:
            continue
        own = entry.metadata or {}
        values.append(
            DatedValue(
                parameter=parameter.name,
                start=entry.instant_str,
                value=entry.value,
                confidence=own.get("confidence", parameter.metadata.get("confidence")),
                note=own.get("note", parameter.metadata.get("note")),
                file_path=parameter.file_path,
            )
        )
    return values


def assumed_values(parameters: ParameterNode) -> list[DatedValue]:
    """Every value that no source gives (confidence: assumed): results that use them rest on assumptions."""
    return [v for p in leaf_parameters(parameters) for v in dated_values(p) if v.confidence == "assumed"]


def format_assumed_values(parameters: ParameterNode) -> str:
    rows = assumed_values(parameters)
    lines = [f"{len(rows)} assumed value(s): results that use them rest on assumptions, not on sources.", ""]
    for v in rows:
        lines.append(f"- {v.parameter} = {v.value} from {v.start}  [{_relative(v.file_path)}]")
        lines.append(f"    {v.note}")
    return "\n".join(lines)
