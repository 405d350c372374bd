"""The ``cn-assist`` command line."""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import numpy as np

EXAMPLES_DIR = Path(__file__).with_name("situation_examples")
DEFAULT_EXAMPLE = "xishuangbanna_rural_class"
HOUSEHOLD_OUTPUTS = [
    "dibao_countable_income",
    "dibao_per_capita_income",
    "dibao_standard",
    "dibao_eligible",
    "dibao_benefit",
]
PERSON_OUTPUTS = ["tekun_eligible", "tekun_basic_allowance", "tekun_care_allowance"]
_MONTH = re.compile(r"^\d{4}-\d{2}$")


def _examples() -> list[str]:
    return sorted(p.stem for p in EXAMPLES_DIR.glob("*.json"))


def _first_month(situation: dict) -> str | None:
    for entities in (situation.get("persons", {}), situation.get("households", {})):
        for instance in entities.values():
            for values in instance.values():
                if isinstance(values, dict):
                    for key in values:
                        if _MONTH.match(str(key)):
                            return key
    return None


def _format(value) -> str:
    if isinstance(value, (bool, np.bool_)):
        return "是 yes" if value else "否 no"
    return f"{value:,.2f}"


def calculate(args) -> int:
    from openfisca_core.errors import SituationParsingError
    from openfisca_core.simulations import SimulationBuilder

    from . import CountryTaxBenefitSystem
    from .errors import InputError
    from .resolver import MissingParameterValueError, resolver_for

    path = Path(args.situation) if args.situation else EXAMPLES_DIR / f"{args.example}.json"
    try:
        situation = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        print(f"cn-assist: cannot read situation {path}: {error}", file=sys.stderr)
        return 2
    period = args.period or _first_month(situation)
    if not period or not _MONTH.match(period):
        print("cn-assist: give --period YYYY-MM (a month)", file=sys.stderr)
        return 2
    system = CountryTaxBenefitSystem()
    try:
        simulation = SimulationBuilder().build_from_entities(system, situation)
        household_values = {v: simulation.calculate(v, period) for v in HOUSEHOLD_OUTPUTS}
        person_values = {v: simulation.calculate(v, period) for v in PERSON_OUTPUTS if v not in args.skip}
    except SituationParsingError as error:
        print(f"cn-assist: invalid situation {path}: {error.error}", file=sys.stderr)
        return 2
    except (InputError, MissingParameterValueError) as error:
        print(f"cn-assist: {error}", file=sys.stderr)
        return 2

    households = simulation.household
    jurisdictions = households("jurisdiction", period).decode_to_str()
    resolver = resolver_for(system)
    print(f"Situation {path.name}, period {period}")
    for h, household_id in enumerate(households.ids):
        key = jurisdictions[h]
        area = households("area", period).decode_to_str()[h]
        print(f"\nhousehold {household_id}: {system.registry.label(key)}, {area}")
        for variable, values in household_values.items():
            print(f"  {variable:<26} {_format(values[h]):>12}   {system.variables[variable].label}")
        source = resolver[f"dibao.standard_{area}"].source(key, f"{period}-01")
        if source:
            origin = "own value" if not source.inherited else f"inherited from {system.registry.label(source.source_jurisdiction)}"
            print(
                f"  standard: {source.value} 元/{'年' if source.period == 'year' else '月'} from {source.start}, "
                f"{origin}, confidence {source.confidence}"
            )
    persons = simulation.persons
    print("\npersons")
    for p, person_id in enumerate(persons.ids):
        cells = "  ".join(f"{v}={_format(values[p])}" for v, values in person_values.items())
        print(f"  {person_id:<14} {cells}")
    return 0


def assumed(args) -> int:
    from . import CountryTaxBenefitSystem
    from .provenance import format_assumed_values

    print(format_assumed_values(CountryTaxBenefitSystem().parameters))
    return 0


def coverage(args) -> int:
    from . import CountryTaxBenefitSystem
    from .coverage import coverage_table, replace_in_readme
    from .resolver import resolver_for

    table = coverage_table(resolver_for(CountryTaxBenefitSystem()))
    if args.update_readme:
        readme = Path(args.update_readme)
        readme.write_text(replace_in_readme(readme.read_text(encoding="utf-8"), table), encoding="utf-8")
        print(f"updated the coverage table in {readme}")
    else:
        print(table)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cn-assist",
        description="China social assistance (社会救助) rules as code: calculate, report sources.",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    calc = commands.add_parser(
        "calculate",
        help="calculate one situation (OpenFisca Web API JSON format)",
        description=(
            "Calculate 低保 and 特困 outputs for the households of one situation file, in the JSON format of "
            "OpenFisca's /calculate. Without a file, a built-in example is used. "
            "Example: cn-assist calculate my_household.json --period 2022-08"
        ),
    )
    calc.add_argument("situation", nargs="?", help="situation JSON file (default: the --example)")
    calc.add_argument("--period", help="month to calculate, YYYY-MM (default: the first month in the file)")
    calc.add_argument(
        "--example",
        default=DEFAULT_EXAMPLE,
        choices=_examples(),
        help=f"built-in situation to use when no file is given (default: {DEFAULT_EXAMPLE})",
    )
    calc.add_argument(
        "--skip",
        nargs="*",
        default=["tekun_care_allowance"],
        metavar="VARIABLE",
        help="person outputs not to compute (default: tekun_care_allowance, which needs a minimum wage "
        "no built-in jurisdiction has); --skip with no name computes all",
    )
    calc.set_defaults(run=calculate)

    report = commands.add_parser(
        "assumed-values",
        help="list every parameter value that no source gives (confidence: assumed)",
        description="List every assumed parameter value with its note. Example: cn-assist assumed-values",
    )
    report.set_defaults(run=assumed)

    cover = commands.add_parser(
        "coverage",
        help="print which programme is in force for which jurisdiction and from when",
        description=(
            "Print the coverage table generated from the parameters (the one in README). "
            "Example: cn-assist coverage --update-readme README.md"
        ),
    )
    cover.add_argument("--update-readme", metavar="README", help="rewrite the table between the coverage markers of this file")
    cover.set_defaults(run=coverage)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
