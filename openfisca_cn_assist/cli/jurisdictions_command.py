"""``cn-assist jurisdictions [QUERY]``: find divisions of the national register by code, Chinese name or pinyin.

The listing is the Web API's (:mod:`openfisca_cn_assist.serve.jurisdictions_api`): same search, same JSON fields.
"""

from __future__ import annotations

import json
import sys
import unicodedata

from openfisca_cn_assist.serve.jurisdictions_api import (
    DIVISION_LEVELS,
    ListingError,
    checked_date,
    division_row,
    is_project_key,
    list_divisions,
)


def add_jurisdictions(subparsers) -> None:
    command = subparsers.add_parser(
        "jurisdictions",
        help="search the national register of divisions by code, Chinese name or pinyin",
        description=(
            "List the divisions (行政区划代码, every county-level division and above since 1981) matching QUERY: a "
            "code prefix, part of the Chinese name, a pinyin prefix or a project key; none: every division. "
            "Examples: cn-assist jurisdictions 勐腊; cn-assist jurisdictions 6107 --date 2018-01-01; "
            "cn-assist jurisdictions --parent 530000 --date 2022-08-01; cn-assist jurisdictions --level province --json"
        ),
    )
    command.add_argument("query", nargs="?", default="", metavar="QUERY", help="code prefix, 中文名 part or pinyin")
    command.add_argument(
        "--date", metavar="YYYY-MM-DD", help="only the divisions in force at this date, with their parents then"
    )
    command.add_argument("--level", choices=DIVISION_LEVELS, help="only divisions of this level")
    command.add_argument(
        "--parent", metavar="CODE", help="only the divisions under this code or key (at --date, else latest)"
    )
    command.add_argument(
        "--json",
        action="store_true",
        help="print the matches as a JSON list (code, key, name, name_en, pinyin, level, parent, valid_from, "
        "valid_until, successors)",
    )
    command.set_defaults(run=jurisdictions_command)


def jurisdictions_command(args) -> int:
    from openfisca_cn_assist.engine.division_search import did_you_mean
    from openfisca_cn_assist.engine.divisions import national_registry

    registry = national_registry()
    try:
        date = checked_date(args.date)
        found = list_divisions(registry, args.query, date, args.level, args.parent)
    except ListingError as error:  # its field is the option's name: date or parent
        print(f"cn-assist: --{error.field}: {error}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps([division_row(registry, i, date) for i in found], ensure_ascii=False, indent=1))
    if not found:
        message = _nothing(registry, args.query, date, args.level) + (f" under {args.parent}" if args.parent else "")
        hint = "" if "at other dates" in message or not args.query else did_you_mean(registry, args.query)
        print(f"cn-assist: {message}{hint}", file=sys.stderr)
        return 1
    if args.json:
        return 0
    rows = [_table_row(registry, i, date) for i in found]
    header = ("code", "name", "level", "parent" + (f" at {date}" if date else ""), "in force", "successors", "key")
    print(_aligned([header, *rows]))
    print(f"\n{len(found)} division{'s' * (len(found) != 1)}" + (f" in force at {date}" if date else ""))
    return 0


def _nothing(registry, query: str, date: str | None, level: str | None) -> str:
    what = (
        f"no {level or 'division'}"
        + (f" matching {query!r}" if query else "")
        + (f" in force at {date}" if date else "")
    )
    if date:
        # The same query at any date: the division may be a retired code (610721 in 2018) or not yet created.
        other = list_divisions(registry, query, None, level)[:5]
        if other:
            labels = [
                f"{registry.jurisdictions[i].code} {registry.jurisdictions[i].name_zh} "
                f"({registry.jurisdictions[i].validity})"
                for i in other
            ]
            return f"{what}; at other dates: {', '.join(labels)}"
    return what


def _table_row(registry, index: int, date: str | None) -> tuple[str, ...]:
    j = registry.jurisdictions[index]
    parent_key = j.parent_at(date)
    parent = registry[parent_key] if parent_key else None
    return (
        j.code or "",
        j.name_zh,
        j.level,
        f"{parent.code} {parent.name_zh}" if parent is not None and parent.code else "—",
        j.validity,
        " ".join(j.successors) or "—",
        j.key if is_project_key(j.key) else "",
    )


def _width(text: str) -> int:
    """Columns a terminal gives ``text``: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _aligned(rows: list[tuple[str, ...]]) -> str:
    widths = [max(_width(row[c]) for row in rows) for c in range(len(rows[0]))]
    return "\n".join(
        "  ".join(cell + " " * (widths[c] - _width(cell)) for c, cell in enumerate(row)).rstrip() for row in rows
    )


def add_division_coverage_options(cover) -> None:
    """``cn-assist coverage --code CODE [--date D] [--json]``: one division's programmes (the options' parser)."""
    one = cover.add_argument_group("one division (instead of the tables)")
    one.add_argument("--code", metavar="CODE", help="a division code (532823) or key (mengla)")
    one.add_argument("--date", metavar="YYYY-MM-DD", help="the date (default: today)")
    one.add_argument("--json", action="store_true", help="print the report as JSON")
    one.add_argument("--carry-forward", action="store_true", help="count values past their horizon as usable")


def division_coverage_command(args) -> int:
    import datetime

    from openfisca_cn_assist import CountryTaxBenefitSystem
    from openfisca_cn_assist.analysis.coverage import (
        UnknownDivisionError,
        describe_division_coverage,
        division_coverage,
    )
    from openfisca_cn_assist.engine.resolver import resolver_for

    if not args.code:
        print("cn-assist: --json goes with --code CODE (the tables are Markdown)", file=sys.stderr)
        return 2
    if args.update or args.update_readme:
        print("cn-assist: --code reports on one division; --update rewrites the tables: use one", file=sys.stderr)
        return 2
    try:
        date = checked_date(args.date) or datetime.date.today().isoformat()
    except ListingError as error:
        print(f"cn-assist: --date: {error}", file=sys.stderr)
        return 2
    system = CountryTaxBenefitSystem()
    if args.carry_forward:
        from openfisca_cn_assist.engine.horizons import carrying_forward

        system = carrying_forward(system)
    try:
        report = division_coverage(resolver_for(system), args.code, date)
    except UnknownDivisionError as error:
        print(f"cn-assist: {error}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
    else:
        print(describe_division_coverage(report))
    return 0
