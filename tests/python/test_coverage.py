"""The coverage table in docs/coverage.md is generated from the parameters and must be current."""

from pathlib import Path

from openfisca_cn_assist.analysis.coverage import MARK_END, MARK_START, coverage_table, spans
from openfisca_cn_assist.cli.main import main
from openfisca_cn_assist.engine.resolver import resolver_for

COVERAGE_DOC = Path(__file__).resolve().parents[2] / "docs" / "coverage.md"


def _table_in(text: str) -> str:
    return text[text.index(MARK_START) + len(MARK_START) : text.index(MARK_END)].strip()


def test_coverage_table_is_current(system):
    current = _table_in(COVERAGE_DOC.read_text(encoding="utf-8"))
    assert current == coverage_table(resolver_for(system)).strip(), "run: cn-assist coverage --update docs/coverage.md"


def test_update_rewrites_only_the_table_between_the_markers(tmp_path, capsys):
    target = tmp_path / "page.md"
    target.write_text(f"# Before\n\n{MARK_START}\nstale\n{MARK_END}\n\nAfter\n", encoding="utf-8")
    assert main(["coverage", "--update", str(target)]) == 0
    text = target.read_text(encoding="utf-8")
    assert text.startswith(f"# Before\n\n{MARK_START}\n") and text.endswith(f"{MARK_END}\n\nAfter\n")
    assert "stale" not in text and "| 低保 standard, urban |" in _table_in(text)
    assert f"updated the coverage table in {target}" in capsys.readouterr().out


def test_update_readme_is_a_deprecated_alias(tmp_path, capsys):
    target = tmp_path / "README.md"
    target.write_text(f"{MARK_START}\nstale\n{MARK_END}\n", encoding="utf-8")
    assert main(["coverage", "--update-readme", str(target)]) == 0
    assert "| 低保 standard, urban |" in _table_in(target.read_text(encoding="utf-8"))
    assert "--update-readme is deprecated; use --update FILE" in capsys.readouterr().err


def test_update_without_markers_stops_and_leaves_the_file(tmp_path, capsys):
    target = tmp_path / "plain.md"
    target.write_text("no markers\n", encoding="utf-8")
    assert main(["coverage", "--update", str(target)]) == 2
    assert target.read_text(encoding="utf-8") == "no markers\n"
    assert "has no coverage markers" in capsys.readouterr().err


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
