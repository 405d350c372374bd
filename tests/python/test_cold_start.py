"""Cold start: the one-household command does not load the analysis stack (pandas, matplotlib, Flask); the
register cache and the fast enum build give what building them the ordinary way gives."""

import pickle
import subprocess
import sys

import numpy as np
import pytest

from openfisca_cn_assist.engine import divisions
from openfisca_cn_assist.engine.enums import indexed_enum
from openfisca_cn_assist.engine.fingerprint import _digest, _registry_items
from openfisca_cn_assist.engine.system import JurisdictionEnum, jurisdiction_variable

HEAVY = ("pandas", "matplotlib", "flask")


def test_cn_assist_calculate_imports_no_pandas_matplotlib_or_flask():
    code = (
        "import io, contextlib, sys\n"
        "from openfisca_cn_assist.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert main(['calculate']) == 0\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# `import openfisca_cn_assist` alone: tests/python/test_layout.py.


# --- The register cache -----------------------------------------------------------------------------------------


def build(monkeypatch, tmp_path, **files):
    """national_registry without its in-process memo, with the cache under tmp_path."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv(divisions.CACHE_ENV, raising=False)
    return divisions.national_registry.__wrapped__(**files)


def cached_files(tmp_path):
    return sorted((tmp_path / "cache" / "openfisca-cn-assist").glob("register-*.pickle"))


def same_registry(a, b):
    assert a.jurisdictions == b.jurisdictions
    assert (a.keys, a.index, a.names, a.change_dates) == (b.keys, b.index, b.names, b.change_dates)
    assert all(np.array_equal(x, y) for x, y in zip(a.levels, b.levels, strict=True))
    assert np.array_equal(a.parent_index, b.parent_index)
    assert np.array_equal(a.keyed_indices, b.keyed_indices) and a.records_by_code == b.records_by_code
    for date in ("1990-06-30", "2017-06-01", "2024-12-31"):
        assert np.array_equal(a.in_force_at(date), b.in_force_at(date))
        assert np.array_equal(a.parent_index_at(date), b.parent_index_at(date))
    assert _digest(_registry_items(a)) == _digest(_registry_items(b))  # the rules fingerprint's part


def test_the_cached_register_is_the_built_one(monkeypatch, tmp_path):
    monkeypatch.setenv(divisions.CACHE_ENV, "0")
    built = divisions.national_registry.__wrapped__()
    assert cached_files(tmp_path) == []
    first = build(monkeypatch, tmp_path)  # builds and stores
    [stored] = cached_files(tmp_path)
    loads = []
    monkeypatch.setattr(divisions, "_build", lambda *a: loads.append(a))  # a second build would fail the test
    second = build(monkeypatch, tmp_path)
    assert loads == [] and second is not first
    same_registry(built, first)
    same_registry(built, second)
    assert cached_files(tmp_path) == [stored]


def test_a_changed_register_file_is_another_cache_entry(monkeypatch, tmp_path):
    build(monkeypatch, tmp_path)
    changed = tmp_path / "divisions.csv"
    rows = divisions.DIVISIONS_FILE.read_text(encoding="utf-8").splitlines(keepends=True)
    changed.write_text("".join(r.replace("勐腊县", "勐腊") if r.startswith("532823,") else r for r in rows), "utf-8")
    registry = build(monkeypatch, tmp_path, divisions=changed)
    assert registry["mengla"].name_zh == "勐腊"  # never the stale entry of the original file
    assert len(cached_files(tmp_path)) == 2
    assert build(monkeypatch, tmp_path)["mengla"].name_zh == "勐腊县"


def test_a_damaged_cache_file_is_rebuilt(monkeypatch, tmp_path):
    build(monkeypatch, tmp_path)
    [stored] = cached_files(tmp_path)
    stored.write_bytes(stored.read_bytes()[:1000])
    assert build(monkeypatch, tmp_path)["mengla"].code == "532823"
    assert isinstance(pickle.loads(stored.read_bytes()), divisions.Registry)  # written again, whole


def test_an_unwritable_cache_directory_is_no_error(monkeypatch, tmp_path):
    (tmp_path / "cache").write_text("a file where the directory would be")
    assert build(monkeypatch, tmp_path)["mengla"].code == "532823"


# --- The jurisdiction enum --------------------------------------------------------------------------------------


def describe(enum):
    """Everything about an enum class and its members that the ordinary and the fast build could differ in."""
    members = list(enum)
    return {
        "len": len(enum),
        "member_names": list(enum._member_names_),
        "member_map": {name: (m.name, m.value, m.index) for name, m in enum._member_map_.items()},
        "value_map": {value: m.name for value, m in enum._value2member_map_.items()},
        "members": [(m.name, m.value, m.index, m._sort_order_, repr(m), str(m), sorted(vars(m))) for m in members],
        "attributes": sorted(vars(enum)),
        "by_attribute": [getattr(enum, m.name) is m for m in members],
        "by_name": [enum[m.name] is m for m in members],
        "by_value": [enum(m.value) is m for m in members],
        "arrays": [(a.dtype, a.tolist()) for a in (enum.indices, enum.names)] + [[m.name for m in enum.enums]],
        "module": (enum.__module__, enum.__qualname__, repr(enum)),
    }


def test_the_fast_enum_is_the_functional_apis(system):
    members = [(m.name, m.value) for m in system.variables["jurisdiction"].possible_values]
    assert len(members) > 6000
    fast = indexed_enum(JurisdictionEnum, "Jurisdiction", members, module=__name__)
    ordinary = JurisdictionEnum("Jurisdiction", members, module=__name__)
    fast.registry = ordinary.registry = system.registry
    assert describe(fast) == describe(ordinary)
    codes = np.array(["mengla", "532823", "china"])
    assert [m.name for m in fast.encode(codes).decode()] == [m.name for m in ordinary.encode(codes).decode()]


@pytest.mark.parametrize(
    "members",
    [
        [("a", "x"), ("b", "x")],  # a repeated value: an alias
        [("a", "x"), ("encode", "y")],  # a name shadowing a method
        [("a", "x"), ("_b", "y")],  # a private name
    ],
)
def test_the_fast_enum_leaves_the_other_cases_to_the_functional_api(members):
    try:
        expected = describe(JurisdictionEnum("Small", members, module=__name__))
    except (ValueError, TypeError) as error:
        with pytest.raises(type(error)):
            indexed_enum(JurisdictionEnum, "Small", members, module=__name__)
    else:
        assert describe(indexed_enum(JurisdictionEnum, "Small", members, module=__name__)) == expected


def test_the_jurisdiction_variable_accepts_keys_codes_and_aliases(system):
    enum = jurisdiction_variable(system.registry).possible_values
    assert enum["mengla"] is enum["532823"] is enum.enums[system.registry.index["mengla"]]
    assert enum.enums[0].name == "china" and enum.enums[0].index == 0


# --- The resolver's inheritance annotations -----------------------------------------------------------------------


def full_table_sources(resolved, listed):
    """The listed columns of the whole tables, segment by segment: what the annotations were built from before."""
    sources = np.array([resolved._segment_tables(s, keep=False)[1][listed] for s in range(len(resolved.dates))])
    stale = np.array([resolved._segment_tables(s, keep=False)[2][listed] for s in range(len(resolved.dates))])
    return sources, stale


def assert_listed_sources_are_the_tables(resolver):
    checked = 0
    for resolved in resolver.resolved.values():
        listed = resolved.listed_jurisdictions()
        if not resolved.dates:
            continue
        got, expected = resolved._listed_sources(listed), full_table_sources(resolved, listed)
        assert np.array_equal(got[0], expected[0]) and np.array_equal(got[1], expected[1]), resolved.path
        checked += 1
    return checked


def test_the_annotations_are_the_whole_tables_columns(system):
    from openfisca_cn_assist.engine.resolver import resolver_for

    assert assert_listed_sources_are_the_tables(resolver_for(system)) > 50


def test_the_annotations_follow_dated_parents():
    from openfisca_core.parameters import ParameterNode
    from test_divisions import MOVING  # the county that moves from north to south

    from openfisca_cn_assist.engine.jurisdictions import Registry
    from openfisca_cn_assist.engine.resolver import JurisdictionResolver

    records = [
        *MOVING,
        {"key": "east", "code": "110300", "name_zh": "东", "name_en": "E", "level": "prefecture", "parent": "prov"},
        {"key": "110301", "code": "110301", "name_zh": "区", "name_en": "", "level": "county", "parent": "east"},
    ]

    def dated(values, horizon=None):
        meta = {"horizon": horizon} if horizon else {}
        return {"metadata": {"period": "month"}, "values": {d: {"value": v, "metadata": meta} for d, v in values}}

    tree = ParameterNode(
        "",
        data={
            "standard": {
                "metadata": {"by_jurisdiction": True},
                "north": dated([("2005-01-01", 300)], horizon="2011-12-31"),
                "south": dated([("2008-01-01", 400), ("2012-01-01", None)]),
                "prov": dated([("2001-01-01", 100)]),
                "110301": dated([("2003-01-01", 50)]),
            }
        },
    )
    resolver = JurisdictionResolver(tree, Registry.from_records(records))
    assert assert_listed_sources_are_the_tables(resolver) == 1
    runs = resolver["standard"].inheritance()
    assert runs["county"][:2] == [{"from": "2001-01-01", "source": "prov"}, {"from": "2005-01-01", "source": "north"}]
    assert {"from": "2010-01-01", "source": "south"} in runs["county"]
