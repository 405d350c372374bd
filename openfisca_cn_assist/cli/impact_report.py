"""What ``cn-assist impact`` prints after its header: cost in 万元, who gains (households and persons),
deciles and poverty; and the months an output could not be computed in (``simulate`` too).

Imported by :mod:`openfisca_cn_assist.cli.main` at start-up: nothing heavy (pandas) at module level.
"""

from __future__ import annotations


def _money(value) -> str:
    return "not computed" if value is None else f"{value:,.2f}"


def print_partial(partial: dict[str, dict[str, str]]) -> None:
    """Outputs computed for some months only: which months lack a value, and why (the first month's reason)."""
    if not partial:
        return
    print("\nComputed for some months only (the sums cover the other months; nothing was counted as zero):")
    for name, months in partial.items():
        listed = list(months)
        span = listed[0] if len(listed) == 1 else f"{listed[0]} … {listed[-1]}"
        print(f"  - {name}: not computed in {len(listed)} month(s), {span}: {next(iter(months.values()))}")


def _counts_line(noun: str, counts: dict) -> str:
    return (
        f"{noun}: {counts['gaining']:,.0f} gaining, {counts['losing']:,.0f} losing, "
        f"{counts['newly_eligible']:,.0f} newly eligible, {counts['no_longer_eligible']:,.0f} no longer eligible"
    )


def print_impact(result, top: int = 15) -> None:
    """The figures of an :class:`~openfisca_cn_assist.analysis.results.Impact`, weighted, amounts in 万元 or 元 as
    labelled."""
    table = {"index": False, "na_rep": "not computed", "float_format": lambda v: f"{v:,.2f}"}
    print("\nSpending by programme, 万元 over the period:")
    print(result.by_programme().to_string(**table))
    change = result.by_jurisdiction()
    shown = change.reindex(change.abs().sort_values(ascending=False).index)
    print(f"\nChange of the household total ({result.covered}) by jurisdiction, 万元 over the period:")
    print(shown.head(top).to_string(float_format=lambda v: f"{v:,.2f}"))
    if len(shown) > top:
        print(f"  … {len(shown) - top} other jurisdictions: {shown.iloc[top:].sum():,.2f} 万元")
    print(f"  total: {change.sum():,.2f} 万元")
    counts = result.counts()
    median = counts.get("median_gain_per_gaining_household")
    print("\n" + _counts_line("Households (weighted)", counts))
    print(
        f"Gain per gaining household: mean {counts['mean_gain_per_gaining_household']:,.2f} 元"
        + (f", median {median:,.2f} 元" if median is not None else "")
    )
    distribution = result.comparison.distribution
    if distribution is None or distribution.reason is not None:
        reason = distribution.reason if distribution is not None else "the incomes were not read"
        print(f"\nPersons, deciles and poverty: not computed: {reason}")
        return
    print(_counts_line("Persons (weighted, members of those households)", result.person_counts()))
    deciles = result.deciles()
    print("\nDeciles of persons by per-capita countable income before assistance (元 per person over the period):")
    print(
        deciles.to_string(
            index=False,
            na_rep="—",
            formatters={"cost_share": lambda v: "—" if v != v else f"{100 * v:.1f} %"},
            float_format=lambda v: f"{v:,.2f}",
        )
    )
    poverty = result.poverty()
    print("\nPoverty against the baseline 低保 standard (weighted; gap in 元 over the period):")
    print(poverty.to_string(index=False, float_format=lambda v: f"{v:,.2f}"))


def print_reform_changes(result) -> None:
    """The head of the report: what the reforms changed (``result.reform_changes``), before → after."""
    from openfisca_cn_assist.engine.reform_listing import describe_reform

    print("\n" + "\n".join(describe_reform(result.reform_changes)))


def print_unaffected(result) -> None:
    """Programmes whose spending the reform leaves unchanged on this caseload, and the reform's known limits."""
    from openfisca_cn_assist.engine.reform_listing import describe_unaffected

    unchanged = result.unchanged_programmes()
    if unchanged:
        print()  # a blank line before the list, none before the notes: the report as it was
    for line in describe_unaffected(result.reform_changes, unchanged):
        print(line)
