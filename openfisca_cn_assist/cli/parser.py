"""The ``cn-assist`` argument parser: commands, options and their help (the commands: :mod:`openfisca_cn_assist.cli.main`)."""

from __future__ import annotations

import argparse

from openfisca_cn_assist.engine.paths import PACKAGE_DIR

CARRY_FORWARD_HELP = (
    "use values past their horizon (the last date their source supports them) instead of stopping, "
    "and list the outputs that rest on them"
)
MAP_RETIRED_HELP = (
    "read a division code retired at the date as its single successor (532821 → 532801) instead of stopping, "
    "and list the mappings"
)

REFORM_STACK_HELP = "repeat to stack reforms: --reform A --reform B applies A, then B on A's rules (the header says so)"

EXAMPLES_DIR = PACKAGE_DIR / "situation_examples"
DEFAULT_EXAMPLE = "xishuangbanna_rural_class"


def _examples() -> list[str]:
    return sorted(p.stem for p in EXAMPLES_DIR.glob("*.json"))


def _add_caseload_options(parser) -> None:
    from openfisca_cn_assist.analysis import DEFAULT_PARTITION_SIZE
    from openfisca_cn_assist.engine.paths import builtin_caseload_names as builtin_caseloads

    group = parser.add_argument_group("caseload (default: the built-in synthetic caseload)")
    group.add_argument(
        "--persons",
        metavar="P",
        help="persons table, CSV or Parquet: person_id, household_id, person inputs; or a folder of them, one file per "
        "partition (persons/part-00000.parquet …), for caseloads larger than memory",
    )
    group.add_argument(
        "--households",
        metavar="H",
        help="households table, CSV or Parquet: household_id, weight, household inputs; or, with a persons folder, a "
        "folder whose files pair with the persons files by name",
    )
    names = builtin_caseloads()
    group.add_argument(
        "--caseload",
        default=names[0] if names else None,
        metavar="NAME",
        help=f"built-in caseload ({', '.join(names)}), or synthetic:N[:SEED] for N invented households generated "
        "partition by partition (e.g. synthetic:20000000 with --dask local:2)",
    )
    run = parser.add_argument_group("scale-out (default: in this process)")
    run.add_argument(
        "--dask",
        metavar="local[:N]|tcp://HOST:PORT",
        type=_dask_spec,
        help="run the partitions on Dask: local:N starts N worker processes on 127.0.0.1 (local: one per core); "
        "tcp://HOST:PORT uses a running scheduler whose workers have this package",
    )
    run.add_argument(
        "--partition-size",
        type=_positive,
        default=DEFAULT_PARTITION_SIZE,
        metavar="N",
        help=f"households per partition, each one vectorised simulation (default {DEFAULT_PARTITION_SIZE}: about 0.5 GB "
        "per worker for a year); a folder's files are its partitions",
    )
    run.add_argument(
        "--retries",
        type=int,
        default=2,
        metavar="N",
        help="with --dask, run a partition that failed for any reason but its data up to N more times (default 2)",
    )
    parser.add_argument("--period", default="2022", help="a year (2022) or a month (2022-08); default 2022")
    parser.add_argument(
        "--json", metavar="SUMMARY.json", help="write the summary (period, reform, totals in 元) as JSON"
    )
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.add_argument("--carry-forward", action="store_true", help=CARRY_FORWARD_HELP)
    parser.add_argument("--map-retired-codes", action="store_true", help=MAP_RETIRED_HELP)


def _add_example_option(parser) -> None:
    parser.add_argument(
        "--example",
        default=DEFAULT_EXAMPLE,
        choices=_examples(),
        help=f"built-in situation to use when no file is given (default: {DEFAULT_EXAMPLE})",
    )


def _add_rules_options(parser, reform_help: str) -> None:
    """--reform (repeatable), --carry-forward and --map-retired-codes: the rules one situation is computed under."""
    parser.add_argument("--reform", action="append", metavar="REFORM", help=f"{reform_help}; {REFORM_STACK_HELP}")
    parser.add_argument("--carry-forward", action="store_true", help=CARRY_FORWARD_HELP)
    parser.add_argument("--map-retired-codes", action="store_true", help=MAP_RETIRED_HELP)


def _dask_spec(text: str) -> str:
    from openfisca_cn_assist.analysis.distributed import parse_dask

    try:
        parse_dask(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from error
    return text


def _positive(text: str) -> int:
    try:
        value = int(text.replace("_", ""))
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number ≥ 1, got {text}")
    return value


def build(commands) -> argparse.ArgumentParser:
    """The parser; ``commands`` (the module :mod:`openfisca_cn_assist.cli.main`) has each command's function."""
    parser = argparse.ArgumentParser(
        prog="cn-assist",
        description="China social assistance (社会救助) rules as code: calculate, report sources.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True)
    for add in (
        _add_calculate,
        _add_reports,
        _add_simulate,
        _add_impact,
        _add_validate,
        _add_check,
        _add_serve,
        _add_explain,
        _add_import_values,
    ):
        add(subparsers, commands)
    from openfisca_cn_assist.cli.version import add_version

    add_version(subparsers)
    from openfisca_cn_assist.cli.mcp_command import add_mcp

    add_mcp(subparsers)
    from openfisca_cn_assist.cli.jurisdictions_command import add_jurisdictions

    add_jurisdictions(subparsers)
    return parser


def _add_calculate(subparsers, commands) -> None:
    calc = subparsers.add_parser(
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
    _add_example_option(calc)
    calc.add_argument(
        "--skip",
        nargs="*",
        default=[],
        metavar="VARIABLE",
        help="outputs not to compute; outputs that need a figure no source gives are listed as not computed anyway",
    )
    _add_rules_options(calc, "calculate under a reform")
    calc.set_defaults(run=commands.calculate)


def _add_reports(subparsers, commands) -> None:
    report = subparsers.add_parser(
        "assumed-values",
        help="list every parameter value that no source gives (confidence: assumed)",
        description="List every assumed parameter value with its note. Example: cn-assist assumed-values",
    )
    report.set_defaults(run=commands.assumed)

    cover = subparsers.add_parser(
        "coverage",
        help="print which programme is in force for which jurisdiction and from when",
        description=(
            "Print the coverage tables generated from the parameters (the ones in docs/coverage.md), by province; "
            "or, with --code, which programmes one division can compute at a date and from which level each value "
            "comes. Examples: cn-assist coverage --update docs/coverage.md; "
            "cn-assist coverage --code 532823 --date 2022-11-01 --json"
        ),
    )
    target = cover.add_mutually_exclusive_group()
    target.add_argument("--update", metavar="FILE", help="rewrite the table between the coverage markers of this file")
    target.add_argument("--update-readme", metavar="FILE", help="deprecated: same as --update FILE")
    from openfisca_cn_assist.cli.jurisdictions_command import add_division_coverage_options

    add_division_coverage_options(cover)
    cover.set_defaults(run=commands.coverage)


def _add_simulate(subparsers, commands) -> None:
    sim = subparsers.add_parser(
        "simulate",
        help="compute every output for every household and month of a caseload",
        description=(
            "Compute every output for every household and month of the period and print recipients and spending "
            "(万元) by programme. Examples: cn-assist simulate --period 2022; "
            "cn-assist simulate --persons persons.csv --households households.csv --period 2022 --output out.parquet; "
            "cn-assist simulate --reform raise_tekun_1050 --json summary.json; "
            "cn-assist simulate --persons persons_dir/ --households households_dir/ --dask local:2 --output results_dir/; "
            "cn-assist simulate --caseload synthetic:20000000 --dask local:2"
        ),
    )
    _add_caseload_options(sim)
    sim.add_argument(
        "--reform",
        action="append",
        metavar="REFORM",
        help="a reform: a name in reforms/ (raise_tekun_1050), or a .yaml/.py file; " + REFORM_STACK_HELP,
    )
    sim.add_argument(
        "--output",
        metavar="OUT.csv|OUT.parquet|FOLDER/",
        help="write one row per household (yearly sums, months in status): one file, or a folder of Parquet files, one "
        "per partition, written by the workers (for large runs)",
    )
    sim.add_argument("--by-jurisdiction", action="store_true", help="break the summary down by jurisdiction")
    sim.set_defaults(run=commands.simulate_command)


def _add_impact(subparsers, commands) -> None:
    imp = subparsers.add_parser(
        "impact",
        help="compare a reform with the baseline on a caseload",
        description=(
            "Baseline against reform: change in spending by programme and jurisdiction; households gaining, losing, "
            "newly eligible and no longer eligible; mean gain. Example: "
            "cn-assist impact --reform reforms/raise_tekun_1050.yaml --chart impact.png --json impact.json; "
            "cn-assist impact --caseload synthetic:2000000 --dask local:2 --partition-size 100000"
        ),
    )
    _add_caseload_options(imp)
    imp.add_argument(
        "--reform",
        action="append",
        metavar="REFORM",
        help="reform name in reforms/ or a .yaml/.py file (default: raise_tekun_1050); " + REFORM_STACK_HELP,
    )
    imp.add_argument(
        "--chart", metavar="OUT.png", help="draw the cost change by jurisdiction and the distribution of gains"
    )
    imp.set_defaults(run=commands.impact_command)


def _add_validate(subparsers, commands) -> None:
    val = subparsers.add_parser(
        "validate",
        help="reproduce figures the seed documents publish and compare",
        description="Rebuild published aggregates with the model and print modelled, published and difference. Example: cn-assist validate",
    )
    val.set_defaults(run=commands.validate_command)


def _add_check(subparsers, commands) -> None:
    chk = subparsers.add_parser(
        "check",
        help="check the parameters' metadata (description, unit, reference, confidence) and the install",
        description=(
            "Check every parameter file carries its description, unit, reference and confidence (what the test "
            "suite checks), and that the package imported is this checkout's (an editable install), not a copy "
            "whose parameters differ. Run it after editing parameters/. Example: cn-assist check"
        ),
    )
    chk.add_argument(
        "--checkout", default=".", metavar="DIR", help="the checkout to compare the installed package with (default .)"
    )
    chk.set_defaults(run=commands.check_command)


def _add_serve(subparsers, commands) -> None:
    srv = subparsers.add_parser(
        "serve",
        help="serve the Web API (OpenFisca's, plus /calculate_batch, /explain, /jurisdiction_values, /)",
        description=(
            "Serve OpenFisca's Web API for this package (/entities, /variables, /parameters, /spec, /calculate, "
            "/trace) plus POST /calculate_batch (many households, one vectorised simulation), POST /explain, "
            "GET /jurisdiction_values/<parameter>?date=YYYY-MM-DD and the calculator page at /. "
            "Example: cn-assist serve --port 5000"
        ),
    )
    srv.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    srv.add_argument("--port", type=int, default=5000, help="port (default 5000)")
    srv.add_argument("--workers", type=int, default=2, help="threads computing requests (default 2)")
    srv.add_argument(
        "--timeout",
        type=int,
        default=120,
        help="seconds a connection may stay idle before it is closed (default 120)",
    )
    srv.add_argument(
        "--max-households", type=int, default=100_000, help="households per /calculate_batch request (default 100000)"
    )
    srv.add_argument(
        "--max-situation-households",
        type=int,
        default=1_000,
        help="households per /calculate, /trace or /explain situation (default 1000)",
    )
    srv.add_argument("--max-body-mb", type=float, default=64, help="largest request body in MiB (default 64)")
    srv.add_argument("--reform", help="serve a reformed system: a name in reforms/ or a .yaml/.py file")
    srv.add_argument(
        "--cors-origin",
        action="append",
        metavar="ORIGIN",
        help="let browser pages from ORIGIN (https://portal.example) call the API; repeat for more (default: none)",
    )
    srv.add_argument(
        "--behind-proxy",
        action="store_true",
        help="trust the X-Forwarded-For, -Host and -Proto headers: only behind a reverse proxy that sets them",
    )
    srv.set_defaults(run=commands.serve_command)


def _add_explain(subparsers, commands) -> None:
    expl = subparsers.add_parser(
        "explain",
        help="explain one situation step by step: incomes, per-capita income, standard and its source, verdicts, amounts",
        description=(
            "Explain, household by household, how each result of one situation (OpenFisca Web API JSON) is reached: "
            "each member's income counted, excluded or deducted; the per-capita income; the standard, the jurisdiction "
            "it comes from and its source; the verdict and amount of each programme; what cannot be computed and why. "
            "Read from the traced computation. Examples: cn-assist explain my_household.json --period 2022-08; "
            "cn-assist explain my_household.json --lang en --json"
        ),
    )
    expl.add_argument("situation", nargs="?", help="situation JSON file (default: the --example)")
    expl.add_argument("--period", help="month to explain, YYYY-MM (default: the first month in the file)")
    expl.add_argument("--lang", choices=["zh", "en"], default="zh", help="language of the explanation (default zh)")
    expl.add_argument(
        "--json",
        action="store_true",
        help="print the structured explanations as JSON (every number with its variable or parameter)",
    )
    _add_example_option(expl)
    _add_rules_options(expl, "explain under a reform")
    expl.set_defaults(run=commands.explain_command)


def _add_import_values(subparsers, commands) -> None:
    imp = subparsers.add_parser(
        "import-values",
        help="turn a table of standards (CSV or Excel) into parameter files, checked row by row",
        description=(
            "Write the dated values of a table (columns code, parameter, date, value, unit, period, source, confidence, "
            "horizon, optional note) into parameters/<parameter>/<key or code>.yaml, creating or extending each file "
            "as a person would by hand. Every row is checked first; nothing is written if any has a problem. "
            "Examples: cn-assist import-values standards.csv --dry-run; cn-assist import-values standards.xlsx --sheet 2024"
        ),
    )
    imp.add_argument("table", help="the table: .csv (UTF-8 or GB18030) or .xlsx (needs the [excel] extra)")
    imp.add_argument("--dry-run", action="store_true", help="print what would be written and write nothing")
    imp.add_argument("--sheet", metavar="NAME", help="the Excel sheet to read (default: the first)")
    imp.add_argument(
        "--parameters",
        metavar="DIR",
        help="the parameters folder to write into (default: the package's, parameters/ in a source checkout)",
    )
    imp.set_defaults(run=commands.import_values_command)
