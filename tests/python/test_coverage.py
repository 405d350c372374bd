"""README's coverage table is generated from the parameters and must be current."""

from pathlib import Path

from openfisca_cn_assist.analysis.coverage import MARK_END, MARK_START, coverage_table, spans
from openfisca_cn_assist.engine.resolver import resolver_for

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_coverage_table_is_current(system):
    text = README.read_text(encoding="utf-8")
    current = text[text.index(MARK_START) + len(MARK_START) : text.index(MARK_END)].strip()
    assert current == coverage_table(resolver_for(system)).strip(), "run: cn-assist coverage --update-readme README.md"


def test_spans_follow_dated_values_gaps_and_assumptions(system):
    resolver = resolver_for(system)
    qinghai = spans(resolver, [["dibao.standard_urban"]], "qinghai")
    assert [(s.start, s.end) for s in qinghai] == [("2020-01-01", "2021-01-01"), ("2025-01-01", "2026-01-01")]
    # A standing rule has no horizon: its period stays open.
    assert spans(resolver, [["tekun.age_threshold"]], "qinghai")[-1].end is None
    employment = spans(resolver, [["income.employment_cost_rate"]], "hanzhong")
    assert employment[0].start == "2021-07-22" and employment[0].assumed
    assert spans(resolver, [["income.employment_cost_rate"]], "hezhou") == []  # assumed 0: not applied
    mengla = spans(resolver, [["dibao.class_amount_a"]], "mengla")
    assert mengla[0].inherited
