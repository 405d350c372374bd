"""The ``cn-assist`` command line."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from openfisca_cn_assist.cli.check import check_command  # noqa: F401 - the parser finds commands here
from openfisca_cn_assist.cli.impact_report import print_impact, print_partial, print_reform_changes, print_unaffected
from openfisca_cn_assist.cli.parser import EXAMPLES_DIR, build
from openfisca_cn_assist.engine.divisions_in_force import mapped_codes
from openfisca_cn_assist.engine.horizons import (
    carried_by_output,
    carrying_forward,
    describe_carried,
    merge_carried,
)
from openfisca_cn_assist.engine.situations import MONTH, first_month


def _format(value) -> str:
    if isinstance(value, (bool, np.bool_)):
        return "是 yes" if value else "否 no"
    if isinstance(value, str):
        return value
    return f"{value:,.2f}"


def _read_situation(args):
    """(path, situation, month) from the file or built-in example; None after printing what is wrong."""
    path = Path(args.situation) if args.situation else EXAMPLES_DIR / f"{args.example}.json"
    try:
        situation = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        print(f"cn-assist: cannot read situation {path}: {error}", file=sys.stderr)
        return None
    period = args.period or first_month(situation)
    if not period or not MONTH.match(period):
        print("cn-assist: give --period YYYY-MM (a month)", file=sys.stderr)
        return None
    return path, situation, period


def calculate(args) -> int:
    from openfisca_core.errors import SituationParsingError
    from openfisca_core.simulations import SimulationBuilder

    from openfisca_cn_assist.engine.resolver import resolver_for

    read = _read_situation(args)
    if read is None:
        return 2
    path, situation, period = read
    system = _calculation_system(args)
    try:
        simulation = SimulationBuilder().build_from_entities(system, situation)
        household_values, household_missing = _outputs(simulation, _shown(system, "household"), period, args.skip)
        person_values, person_missing = _outputs(simulation, _shown(system, "person"), period, args.skip)
    except SituationParsingError as error:
        print(f"cn-assist: invalid situation {path}: {error.error}", file=sys.stderr)
        return 2

    households = simulation.household
    jurisdictions = households("jurisdiction", period).decode_to_str()
    areas = households("area", period).decode_to_str()
    resolver = resolver_for(system)
    print(f"Situation {path.name}, period {period}" + (f", {_reform_header(args)}" if _reform_list(args) else ""))
    for h, household_id in enumerate(households.ids):
        key = jurisdictions[h]
        print(f"\nhousehold {household_id}: {system.registry.label(key)}, {areas[h]}")
        for variable, values in household_values.items():
            print(f"  {variable:<36} {_format(values[h]):>12}   {system.variables[variable].label}")
        source = resolver[f"dibao.standard_{areas[h]}"].source(key, f"{period}-01")
        if source:
            origin = (
                "own value"
                if not source.inherited
                else f"inherited from {system.registry.label(source.source_jurisdiction)}"
            )
            print(
                f"  standard: {source.value} 元/{'年' if source.period == 'year' else '月'} from {source.start}, "
                f"{origin}, confidence {source.confidence}"
            )
    persons = simulation.persons
    print("\npersons: " + ", ".join(str(i) for i in persons.ids))
    for variable, values in person_values.items():
        print(f"  {variable:<36} " + "  ".join(f"{_format(v):>10}" for v in values))
    _print_not_computed({**household_missing, **person_missing})
    _print_carried(carried_by_output(simulation, [*household_values, *person_values], period))
    _print_mapped(mapped_codes(simulation))
    return 0


def _shown(system, entity: str) -> list[str]:
    """The outputs of ``entity`` that the table shows, in order: declared on the variables (``shown_in``)."""
    from openfisca_cn_assist.engine.outputs import declared_outputs

    return [output.name for output in declared_outputs(system, "cli", entity)]


def _baseline(args):
    """The built-in system, carrying values past their horizon (``--carry-forward``) and mapping retired codes
    (``--map-retired-codes``) when asked to."""
    from openfisca_cn_assist import CountryTaxBenefitSystem
    from openfisca_cn_assist.engine.divisions_in_force import mapping_retired_codes

    system = CountryTaxBenefitSystem()
    system = carrying_forward(system) if getattr(args, "carry_forward", False) else system
    return mapping_retired_codes(system) if getattr(args, "map_retired_codes", False) else system


def _calculation_system(args):
    """The system of ``calculate`` and ``explain``: the baseline, with the --reform options applied in order."""
    baseline, reformed = _systems(args)
    return reformed or baseline


def _print_month_state(report: dict) -> None:
    from openfisca_cn_assist.caseload.simulation import describe_month_state

    text = describe_month_state(report)
    if text:
        print(f"\n{text}")


def _print_carried(report: dict) -> None:
    if report:
        print(
            "\nCarried forward (--carry-forward): these outputs rest on values past their horizon, the last date their source supports them:"
        )
        for line in describe_carried(report):
            print(f"  - {line}")


def _print_mapped(mappings: list[dict]) -> None:
    if mappings:
        print("\nRetired division codes read as their successor (--map-retired-codes):")
        for m in mappings:
            print(
                f"  - {m['code']} {m['name']} → {m['mapped_to']} {m['mapped_to_name']} ({m['rows']} household(s), from {m['from']})"
            )


def _outputs(simulation, names, period, skip):
    """Each output's values, and the reason for each that needs a figure no source gives."""
    from openfisca_core.periods import period as as_period

    from openfisca_cn_assist.engine.outputs import yearly_outputs
    from openfisca_cn_assist.engine.programmes import monthly_zeros
    from openfisca_cn_assist.engine.resolver import MissingParameterValueError

    yearly = yearly_outputs(simulation.tax_benefit_system)
    values, missing = {}, {}
    for name in names:
        if name in skip:
            continue
        try:
            if name in yearly:  # paid once a year in an unknown month: 0, or not known for a month
                result = monthly_zeros(simulation, name, as_period(period))
            else:
                result = simulation.calculate(name, period)
        except MissingParameterValueError as error:
            missing[name] = str(error)
        else:
            values[name] = result.decode_to_str() if hasattr(result, "decode_to_str") else result
    return values, missing


def assumed(args) -> int:
    from openfisca_cn_assist import CountryTaxBenefitSystem
    from openfisca_cn_assist.engine.provenance import format_assumed_values

    print(format_assumed_values(CountryTaxBenefitSystem().parameters))
    return 0


def coverage(args) -> int:
    if getattr(args, "code", None) or getattr(args, "json", False):
        from openfisca_cn_assist.cli.jurisdictions_command import division_coverage_command

        return division_coverage_command(args)
    from openfisca_cn_assist import CountryTaxBenefitSystem
    from openfisca_cn_assist.analysis.coverage import coverage_table, replace_in_readme
    from openfisca_cn_assist.engine.resolver import resolver_for

    if args.update_readme:
        print("cn-assist: --update-readme is deprecated; use --update FILE", file=sys.stderr)
    target = args.update or args.update_readme
    table = coverage_table(resolver_for(CountryTaxBenefitSystem()))
    if target:
        path = Path(target)
        try:
            text = replace_in_readme(path.read_text(encoding="utf-8"), table)
        except ValueError:  # str.index: the markers are missing
            print(f"cn-assist: {path} has no coverage markers (see docs/coverage.md)", file=sys.stderr)
            return 2
        path.write_text(text, encoding="utf-8")
        print(f"updated the coverage table in {path}")
    else:
        print(table)
    return 0


def _caseload(args, baseline):
    """The caseload in partitions: files or folders (--persons, --households), a built-in one or synthetic:N (--caseload)."""
    from openfisca_cn_assist.analysis.partitions import (
        folder_partitions,
        parse_synthetic,
        split_caseload,
        synthetic_partitions,
    )
    from openfisca_cn_assist.caseload.model import CaseloadError
    from openfisca_cn_assist.caseload.readers import builtin_caseload, read_caseload

    if args.persons:
        if Path(args.persons).is_dir():
            return folder_partitions(args.persons, args.households)
        if args.households and Path(args.households).is_dir():
            raise CaseloadError(
                f"{args.households} is a folder but {args.persons} is not: give two folders or two files"
            )
        return split_caseload(read_caseload(args.persons, args.households), args.partition_size, baseline)
    if args.households:
        raise SystemExit("cn-assist: --households needs --persons")
    synthetic = parse_synthetic(args.caseload)
    if synthetic:
        households, seed = synthetic
        return synthetic_partitions(baseline, households, args.period, args.partition_size, seed)
    return split_caseload(builtin_caseload(args.caseload), args.partition_size, baseline)


def _output_folder(path: str | None) -> str | None:
    """``--output`` names a folder (one Parquet file per partition) unless it ends in .csv or .parquet."""
    if not path or path.endswith((".csv", ".parquet")):
        return None
    folder = Path(path)
    if folder.suffix and not path.endswith(("/", "\\")) and not folder.is_dir():
        raise SystemExit(f"cn-assist: --output must end in .csv or .parquet, or be a folder, got {path}")
    if folder.is_dir() and any(folder.iterdir()):
        raise SystemExit(f"cn-assist: --output folder {path} is not empty; give a new or empty folder")
    return path


def _systems(args):
    from openfisca_cn_assist.engine.reform_tools import apply_reform

    baseline = _baseline(args)
    reforms = _reform_list(args)
    return baseline, (apply_reform(baseline, reforms) if reforms else None)


def _reform_list(args) -> list[str]:
    """The --reform options in the order given (each applies to the rules the previous one left)."""
    reform = getattr(args, "reform", None)
    if reform is None:
        return []
    return list(reform) if isinstance(reform, (list, tuple)) else [reform]


def _scenario_reform(args):
    """What a Scenario carries: None, one reform, or the stacked reforms as a tuple (in order); also ``reform`` in
    the JSON summaries, where the tuple is written as a list."""
    reforms = _reform_list(args)
    return None if not reforms else reforms[0] if len(reforms) == 1 else tuple(reforms)


def _reform_header(args) -> str:
    reforms = _reform_list(args)
    if len(reforms) < 2:
        return f"reform {reforms[0]}" if reforms else ""
    return f"reforms {' then '.join(reforms)} (stacked in this order: each changes the rules the one before left)"


def _fen(value):
    """Amounts to the fen, all through a JSON payload: float32 sums carry noise such as 3454.800293."""
    if isinstance(value, float):
        return round(value, 2)
    if isinstance(value, dict):
        return {key: _fen(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_fen(item) for item in value]
    if isinstance(value, np.floating):
        return round(float(value), 2)
    return value


def _fen_columns(frame):
    """The frame with its float columns as float64 rounded to the fen (household rows for --output)."""
    floats = [c for c in frame.columns if frame[c].dtype.kind == "f" and c != "weight"]
    return frame.assign(**{c: frame[c].astype("float64").round(2) for c in floats})


def _write_table(frame, path: str, rules: dict | None = None) -> None:
    frame = _fen_columns(frame)
    if path.endswith(".parquet"):
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.Table.from_pandas(frame, preserve_index=False)
        if rules:  # which rules produced the rows, in the file's own metadata
            metadata = {**(table.schema.metadata or {}), b"openfisca_cn_assist.rules": json.dumps(rules).encode()}
            table = table.replace_schema_metadata(metadata)
        pq.write_table(table, path)
    elif path.endswith(".csv"):
        frame.to_csv(path, index=False)
    else:
        raise SystemExit(f"cn-assist: --output must end in .csv or .parquet, got {path}")
    print(f"wrote {len(frame)} household rows to {path}")


def _write_json(payload: dict, path: str) -> None:
    Path(path).write_text(json.dumps(_fen(payload), ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"wrote the summary to {path}")


def _print_not_computed(not_computed: dict[str, str]) -> None:
    if not_computed:
        print("\nNot computed (a figure no source gives is missing; nothing was counted as zero):")
        for name, reason in not_computed.items():
            print(f"  - {name}: {reason}")  # whole: the part cut off named the households and what to add


def _banner(caseload) -> None:
    if caseload.synthetic:
        print(f"Caseload '{caseload.name}' is SYNTHETIC: {caseload.description}")


def _where(results, args) -> str:
    if results.partitions == 1 and not args.dask:
        return ""
    return f", {results.partitions} partitions" + (f" on Dask ({args.dask})" if args.dask else "")


def simulate_command(args) -> int:
    from openfisca_cn_assist.analysis.distributed import run_caseload
    from openfisca_cn_assist.analysis.scenario import scenarios_for

    baseline, reformed = _systems(args)
    caseload = _caseload(args, baseline)
    folder = _output_folder(args.output)
    results = run_caseload(
        caseload,
        args.period,
        scenarios_for(
            _scenario_reform(args), carry_forward=args.carry_forward, map_retired_codes=args.map_retired_codes
        ),
        dask=args.dask,
        systems=[reformed or baseline],
        rows=bool(args.output and not folder),
        rows_dir=folder,
        progress=not args.no_progress,
        retries=args.retries,
    )
    _banner(caseload)
    shown = results.summary(by_jurisdiction=args.by_jurisdiction)
    if not results.partial:
        shown = shown.drop(columns="months_not_computed")
    print(
        f"\n{results.household_count} households, period {args.period}"
        + (f", {_reform_header(args)}" if args.reform else "")
        + _where(results, args)
    )
    print(shown.to_string(index=False, na_rep="not computed", float_format=lambda v: f"{v:,.2f}"))
    _print_not_computed(results.not_computed)
    _print_month_state(results.month_state)
    print_partial(results.partial)
    _print_carried(results.carried_forward)
    _print_mapped(results.mapped_codes)
    if folder:
        print(f"wrote {results.household_count} household rows to {folder} (one Parquet file per partition)")
    elif args.output:
        _write_table(results.households, args.output, results.rules)
    if args.json:
        _write_json(
            {
                "period": args.period,
                "reform": _scenario_reform(args),
                "caseload": caseload.name,
                "synthetic": caseload.synthetic,
                "households": results.household_count,
                "partitions": results.partitions,
                "totals": results.totals(),
                "not_computed": results.not_computed,
                "months_not_computed": results.partial,
                "month_state": results.month_state,
                "carried_forward": results.carried_forward,
                "mapped_codes": results.mapped_codes,
                "rules": results.rules,
            },
            args.json,
        )
    return 0


def impact_command(args) -> int:
    from openfisca_cn_assist.analysis.distributed import run_caseload
    from openfisca_cn_assist.analysis.scenario import scenarios_for

    args.reform = _reform_list(args) or [DEFAULT_IMPACT_REFORM]
    baseline, reformed = _systems(args)
    caseload = _caseload(args, baseline)
    result = run_caseload(
        caseload,
        args.period,
        scenarios_for(
            _scenario_reform(args),
            compare=True,
            carry_forward=args.carry_forward,
            map_retired_codes=args.map_retired_codes,
        ),
        dask=args.dask,
        systems=[baseline, reformed],
        progress=not args.no_progress,
        retries=args.retries,
    )
    _banner(caseload)
    print(
        f"\n{_reform_header(args)[:1].upper()}{_reform_header(args)[1:]}, period {args.period}, {result.baseline.household_count} households"
        + _where(result.baseline, args)
    )
    print_reform_changes(result)  # listed once, by the runner: result.reform_changes
    print_impact(result)
    print_unaffected(result)
    _print_not_computed(result.baseline.not_computed)
    _print_month_state(result.baseline.month_state)
    print_partial(result.baseline.partial)
    _print_carried(merge_carried([result.baseline.carried_forward, result.reform.carried_forward]))
    _print_mapped(result.baseline.mapped_codes)
    if args.chart:
        from openfisca_cn_assist.analysis.charts import impact_report_chart
        from openfisca_cn_assist.engine.reform_tools import load_reform

        label = " + ".join(getattr(load_reform(r), "name", None) or str(r) for r in _reform_list(args))
        title = f"{label} ({args.period})"
        impact_report_chart(result, title, args.chart)
        print(f"wrote the chart to {args.chart}")
    if args.json:
        _write_json(
            {
                "period": args.period,
                "reform": _scenario_reform(args),
                "reform_changes": result.reform_changes,
                "caseload": caseload.name,
                "synthetic": caseload.synthetic,
                **result.report(),  # totals, households, persons, deciles, poverty
                "partitions": result.baseline.partitions,
                "not_computed": result.baseline.not_computed,
                "months_not_computed": result.baseline.partial,
                "month_state": result.baseline.month_state,
                "carried_forward": result.carried_forward,
                "mapped_codes": result.baseline.mapped_codes,
                "rules": result.rules,
            },
            args.json,
        )
    return 0


def validate_command(args) -> int:
    from openfisca_cn_assist import CountryTaxBenefitSystem
    from openfisca_cn_assist.analysis.validation import report, run_checks

    table = run_checks(CountryTaxBenefitSystem())
    text, failed = report(table)
    print(text)
    return 1 if failed else 0


def serve_command(args) -> int:
    from openfisca_cn_assist.serve.running import serve
    from openfisca_cn_assist.serve.server import Limits

    limits = Limits(
        max_households=args.max_households,
        max_situation_households=args.max_situation_households,
        max_content_length=int(args.max_body_mb * 2**20),
    )
    serve(
        args.host,
        args.port,
        workers=args.workers,
        timeout=args.timeout,
        limits=limits,
        reform=args.reform,
        cors_origins=args.cors_origin or (),
        behind_proxy=args.behind_proxy,
    )
    return 0


def explain_command(args) -> int:
    from openfisca_core.errors import SituationParsingError

    from openfisca_cn_assist.serve.explain import explain

    read = _read_situation(args)
    if read is None:
        return 2
    path, situation, period = read
    try:
        accounts = explain(_calculation_system(args), situation, period, args.lang)
    except SituationParsingError as error:
        print(f"cn-assist: invalid situation {path}: {error.error}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps([a.to_dict() for a in accounts], ensure_ascii=False, indent=2))
    else:
        print("\n\n".join(a.to_text() for a in accounts))
    return 0


DEFAULT_IMPACT_REFORM = "raise_tekun_1050"


def import_values_command(args) -> int:
    from openfisca_cn_assist.cli.import_values import import_values_command as run

    return run(args)


def build_parser() -> argparse.ArgumentParser:
    """The ``cn-assist`` parser; each command's ``run`` is its function here."""
    return build(sys.modules[__name__])


def main(argv: list[str] | None = None) -> int:
    from openfisca_cn_assist.engine.errors import InputError
    from openfisca_cn_assist.engine.reform_tools import ReformError
    from openfisca_cn_assist.engine.resolver import MissingParameterValueError

    args = build_parser().parse_args(argv)
    expected = (InputError, ReformError, MissingParameterValueError, FileNotFoundError)
    try:
        return args.run(args)
    except Exception as error:
        # A PartitionError can come only from a command that imported the microsimulation (and pandas);
        # importing it here would cost every command that import.
        microsim = sys.modules.get("openfisca_cn_assist.analysis.microsim")
        if isinstance(error, expected) or (microsim is not None and isinstance(error, microsim.PartitionError)):
            print(f"cn-assist: {error}", file=sys.stderr)
            return 2
        raise


if __name__ == "__main__":
    sys.exit(main())
