"""Reform-impact charts render Chinese with the bundled font: no glyph missing, the user's settings untouched."""

import io
import re
import shutil
import struct
import unicodedata
import warnings
from pathlib import Path

import matplotlib
import numpy as np
import pytest
from matplotlib import font_manager, ft2font
from matplotlib.figure import Figure
from matplotlib.text import Text

from openfisca_cn_assist.analysis import charts
from openfisca_cn_assist.engine.jurisdictions import Registry

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
TITLE = "特困基本生活标准提高到 1050 元 / Raise tekun to 1050: 年度成本变化与受益分布"
MISSING_GLYPH = re.compile(r"missing from (current )?font", re.IGNORECASE)


def example_costs() -> dict[str, float]:
    """Every jurisdiction with a project key (so every such name is drawn), two of them with savings."""
    rng = np.random.default_rng(5)
    costs = {key: float(rng.uniform(2e4, 1.5e6)) for key in Registry.load().keys}
    costs["yuxi"] = -15_000.0
    costs["hanzhong"] = -30_500.0
    return costs


def example_gains() -> np.ndarray:
    rng = np.random.default_rng(7)
    return np.concatenate([rng.gamma(2.0, 600.0, 800), -rng.gamma(2.0, 100.0, 12)])


@pytest.fixture
def drawn_texts(monkeypatch):
    """Record, at save time, each visible text of the figure with the font file matplotlib picks for it."""
    texts: list[tuple[str, str]] = []
    original = Figure.savefig

    def spying_savefig(figure, *args, **kwargs):
        result = original(figure, *args, **kwargs)
        for artist in figure.findobj(Text):
            if artist.get_visible() and artist.get_text().strip():
                path = font_manager.findfont(artist.get_fontproperties(), fallback_to_default=False)
                texts.append((artist.get_text(), path))
        return result

    monkeypatch.setattr(Figure, "savefig", spying_savefig)
    return texts


def render(path, by_jurisdiction, gains, title=TITLE):
    """Draw a chart and return the warnings matplotlib raised about missing glyphs."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = charts.impact_chart(by_jurisdiction, gains, title, path)
    assert result == Path(path)
    return [str(w.message) for w in caught if MISSING_GLYPH.search(str(w.message))]


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG file"
    return struct.unpack(">II", data[16:24])


def test_the_bundled_font_is_registered_and_shipped_with_its_license():
    assert charts.FONT_PATH.is_file()
    assert charts.FONT_PATH.stat().st_size <= 3 * 1024 * 1024
    license_text = (charts.FONT_PATH.parent / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in license_text
    found = font_manager.findfont(font_manager.FontProperties(family=charts.FONT_FAMILY), fallback_to_default=False)
    assert Path(found).resolve() == charts.FONT_PATH


def test_the_font_covers_every_hanzi_the_package_uses():
    """Labels, descriptions, jurisdiction names and reforms: a new rare character needs tools/subset_font.py."""
    charmap = ft2font.FT2Font(str(charts.FONT_PATH)).get_charmap()
    patterns = [
        "openfisca_cn_assist/**/*.py",
        "openfisca_cn_assist/**/*.yaml",
        "variables/**/*.py",
        "parameters/**/*.yaml",
        "reforms/**/*.py",
        "reforms/**/*.yaml",
    ]
    missing = {}
    for pattern in patterns:
        for path in ROOT.glob(pattern):
            for char in set(path.read_text(encoding="utf-8")):
                if unicodedata.category(char) == "Lo" and ord(char) not in charmap:
                    missing.setdefault(char, str(path.relative_to(ROOT)))
    assert missing == {}, f"characters missing from the bundled font (re-run tools/subset_font.py): {missing}"


def test_chart_draws_every_chinese_label_with_the_bundled_font(tmp_path, drawn_texts):
    path = tmp_path / "impact.png"
    missing = render(path, example_costs(), example_gains())

    assert missing == [], f"glyphs missing from the chart font: {missing}"
    assert path.stat().st_size > 50_000
    width, height = png_size(path)
    assert width >= 1500 and height >= 700

    drawn = {text for text, _ in drawn_texts}
    for jurisdiction in Registry.load().jurisdictions:  # the project keys
        assert jurisdiction.name_zh in drawn
    assert TITLE in drawn
    assert any(text.startswith("−") for text in drawn), "a saving should be annotated with a minus sign"
    assert any("受益家庭 / gaining households: 800" in text for text in drawn)
    assert any("受损家庭 / losing households: 12" in text for text in drawn)
    wrong_font = {text: font for text, font in drawn_texts if Path(font).resolve() != charts.FONT_PATH}
    assert wrong_font == {}

    # A copy for people to look at (test-artifacts/ is gitignored).
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(path, ARTIFACTS / "impact_chart.png")


def test_no_gaining_households_draws_a_note_instead_of_an_empty_histogram(tmp_path, drawn_texts):
    path = tmp_path / "no_gainers.png"
    missing = render(path, {"mengla": -12_000.0, "menghai": -3_400.0}, np.array([-120.0, -45.0]))

    assert missing == []
    assert path.stat().st_size > 10_000
    notes = [text for text, _ in drawn_texts if "无受益家庭 / no gaining households" in text]
    assert notes and "受损家庭 / losing households: 2" in notes[0]
    assert any("合计 / total: −1.5 万元/年" in text for text, _ in drawn_texts)
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(path, ARTIFACTS / "impact_chart_no_gainers.png")


def test_empty_inputs_still_give_a_chart(tmp_path, drawn_texts):
    path = tmp_path / "nothing.png"
    assert render(path, {}, []) == []
    drawn = {text for text, _ in drawn_texts}
    assert "无成本变化 / no cost change" in drawn
    assert "无受益家庭 / no gaining households" in drawn


def test_a_flat_rise_shows_one_bar_per_amount(tmp_path, drawn_texts):
    gains = np.r_[np.full(50, 1680.0), np.full(20, 3360.0)]
    assert render(tmp_path / "flat.png", {"qinghai": 117_600.0}, gains) == []
    drawn = {text for text, _ in drawn_texts}
    assert {"1,680", "3,360", "50", "20"} <= drawn


def test_a_pandas_series_and_many_jurisdictions(tmp_path, drawn_texts):
    pandas = pytest.importorskip("pandas")
    costs = pandas.Series({f"county_{i}": 1_000.0 * (i + 1) for i in range(30)})
    assert render(tmp_path / "many.png", costs, example_gains(), title="Many") == []
    assert any(text.startswith("其他 11 个 / 11 others") for text, _ in drawn_texts)


def test_the_missing_glyph_check_does_catch_a_missing_glyph():
    """The check above is not vacuous: a character outside the subset (龘) does raise the warning."""
    with warnings.catch_warnings(record=True) as caught, matplotlib.rc_context(charts.CHART_RC):
        warnings.simplefilter("always")
        figure = Figure()
        figure.text(0.5, 0.5, "龘")
        figure.savefig(io.BytesIO(), format="png")
    assert any(MISSING_GLYPH.search(str(w.message)) for w in caught)


def test_the_users_matplotlib_settings_are_left_alone(tmp_path):
    before = dict(matplotlib.rcParams)
    backend = matplotlib.get_backend()
    charts.impact_chart({"mengla": 1.0}, [1.0], "标题 / title", tmp_path / "x.png")
    assert dict(matplotlib.rcParams) == before
    assert matplotlib.get_backend() == backend


def test_non_finite_values_are_refused(tmp_path):
    with pytest.raises(ValueError, match="gains"):
        charts.impact_chart({"mengla": 1.0}, [1.0, np.nan], "t", tmp_path / "x.png")
    with pytest.raises(ValueError, match="勐腊县"):
        charts.impact_chart({"mengla": float("inf")}, [1.0], "t", tmp_path / "x.png")


# --- The report figure (cn-assist impact --chart), from an Impact: weighted ------------------------------------


def render_report(impact, name, drawn_texts, title=TITLE):
    path = ARTIFACTS / name
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        charts.impact_report_chart(impact, title, path)
    missing = [str(w.message) for w in caught if MISSING_GLYPH.search(str(w.message))]
    assert missing == [], f"glyphs missing from the chart font: {missing}"
    wrong_font = {text: font for text, font in drawn_texts if Path(font).resolve() != charts.FONT_PATH}
    assert wrong_font == {}
    return {text for text, _ in drawn_texts}


def test_report_chart_on_the_builtin_caseload(drawn_texts):
    from openfisca_cn_assist.api import compare

    impact = compare("raise_tekun_1050", "xishuangbanna_2022", "2022")
    drawn = render_report(impact, "impact_report_builtin.png", drawn_texts)
    assert {"景洪市", "勐海县", "勐腊县", "特困基本生活费"} <= drawn
    assert any("受益家庭 / gaining households: 1,191" in text for text in drawn)
    assert any("中位数 / median: 1,680 元/年" in text for text in drawn)
    assert "(d) 按收入十分位的平均增加额 / Average gain by income decile" in drawn
    assert any(text.startswith("未计算 / not computed: ") for text in drawn)  # programmes it could not draw


def test_report_chart_on_a_small_weighted_caseload_counts_weighted_households(tmp_path, drawn_texts):
    from weighted_caseload import reform_file, weighted_caseload

    from openfisca_cn_assist.api import compare

    impact = compare(reform_file(tmp_path), weighted_caseload(), "2020")
    drawn = render_report(impact, "impact_report_weighted.png", drawn_texts, "城市低保标准提高 10% (2020)")
    # weighted: 2,075 gaining households (test_weighted.py), not the 22 rows that gain
    assert any("受益家庭 / gaining households: 2,075" in text for text in drawn)
    assert {"青海省", "贺州市", "14%", "18%"} <= drawn  # deciles 1–5: 14 % of the cost each; decile 8: 18 %
    assert {"649.7", "1,800"} <= drawn  # the poverty gap before assistance in 万元 (649.68), persons below the line


def test_report_chart_with_many_jurisdictions_keeps_labels_apart(drawn_texts):
    import pandas as pd

    from openfisca_cn_assist.api import compare
    from openfisca_cn_assist.caseload.model import Caseload

    # one urban household in each of 18 counties of 红河 and 昆明, given by division code (Yunnan's standard)
    codes = "532501 532502 532503 532504 532523 532524 532525 532527 532528 532529 532530 532531 532532"
    codes = (codes + " 530102 530103 530111 530112 530113").split()
    ids = [f"h{i}" for i in range(len(codes))]
    persons = pd.DataFrame({"person_id": ids, "household_id": ids, "age": 40, "has_able_supporter": True})
    persons["wage_income"] = [100 + 20 * i for i in range(len(codes))]
    households = pd.DataFrame({"household_id": ids, "jurisdiction": codes, "area": "urban"})
    households["weight"] = [60 + 10 * i for i in range(len(codes))]
    impact = compare("raise_dibao_standards_10pct", Caseload(persons, households), "2022-08")
    assert len(impact.comparison.by_jurisdiction) == 18
    drawn = render_report(impact, "impact_report_many.png", drawn_texts, "城乡低保标准提高 10% (2022-08)")
    others = [text for text in drawn if text.startswith("其他 ")]
    assert others == ["其他 7 个 / 7 others"]  # the 11 largest changes, then the other 7 summed
    assert "个旧市" not in drawn and "五华区" in drawn  # codes drawn by name; 个旧市's change is the smallest
