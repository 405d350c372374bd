"""Charts for reform-impact reports, drawn with the package's own Chinese font.

The package ships a subset of Noto Sans CJK SC (``fonts/``, SIL OFL 1.1) and registers it with
matplotlib's font manager on import, so Chinese labels render on a machine that has only what pip
installs. Drawing uses the Agg canvas directly (no pyplot, no change of the user's backend) and the
font is set only inside ``matplotlib.rc_context`` while a chart is drawn and saved: the user's own
rcParams are left as they were.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from openfisca_cn_assist.analysis.results import YUAN_PER_WAN
from openfisca_cn_assist.engine.jurisdictions import default_registry

FONT_PATH = Path(__file__).resolve().with_name("fonts") / "CNAssistSansSC-Regular.otf"
FONT_FAMILY = "CN Assist Sans SC"  # the family name written by tools/subset_font.py

font_manager.fontManager.addfont(str(FONT_PATH))

# DejaVu Sans (shipped with matplotlib) only as a per-glyph fallback for a symbol outside the subset.
CHART_RC: dict[str, Any] = {
    "font.family": [FONT_FAMILY, "DejaVu Sans"],
    "axes.unicode_minus": True,
    "svg.fonttype": "path",
}

GAIN_COLOUR = "#2b6cb0"
LOSS_COLOUR = "#c05621"
MAX_DISTINCT_BARS = 12
PER = {"年": "per year", "月": "per month", "期": "over the period"}  # amounts of a year, a month, other periods
NOTE_BOX = {"boxstyle": "round,pad=0.5", "facecolor": "#f7f7f7", "edgecolor": "#bbbbbb"}


@lru_cache(maxsize=1)
def _jurisdiction_names() -> dict[str, str]:
    return {j.key: j.name_zh for j in default_registry().jurisdictions}


def _label(key: Any) -> str:
    """A registry key or division code becomes its Chinese name (mengla → 勐腊县, 532501 → 个旧市); anything
    else is shown as given."""
    key = str(key)
    if key in _jurisdiction_names():
        return _jurisdiction_names()[key]
    try:
        label = default_registry().label(key)  # "个旧市 (532501)"
    except Exception:  # not a jurisdiction: a label of the caller's own
        return key
    return label[: -len(f" ({key})")] if label.endswith(f" ({key})") else key


def _number(value: float, decimals: int) -> str:
    """Thousands separators and a true minus sign (−), as on the axes."""
    text = f"{abs(value):,.{decimals}f}"
    return ("−" if value < 0 and float(text.replace(",", "")) != 0 else "") + text


def _signed(value: float, decimals: int) -> str:
    text = _number(value, decimals)
    return text if text.startswith("−") or float(text.replace(",", "")) == 0 else "+" + text


def _decimals(values: np.ndarray) -> int:
    """Whole 万元 for large changes, more decimals for small ones."""
    largest = float(np.max(np.abs(values))) if values.size else 0.0
    if largest >= 1000:
        return 0
    if largest >= 1:
        return 1
    return 2


def _tick(value: float, _position=None) -> str:
    """Axis ticks with thousands separators and a true minus: 1,500 rather than 1500, −0.5."""
    return _number(value, 0) if value == round(value) else _number(value, 2).rstrip("0")


def _bars(by_jurisdiction: Mapping[str, float] | Any, max_bars: int) -> tuple[list[str], np.ndarray]:
    items = [(_label(key), float(value)) for key, value in by_jurisdiction.items()]
    bad = [label for label, value in items if not math.isfinite(value)]
    if bad:
        raise ValueError(f"cost change is not a finite number for: {', '.join(bad)}")
    # Largest changes (gains or losses) first; beyond max_bars the rest are summed into one bar.
    items.sort(key=lambda item: -abs(item[1]))
    if len(items) > max_bars:
        rest = items[max_bars - 1 :]
        items = items[: max_bars - 1] + [(f"其他 {len(rest)} 个 / {len(rest)} others", sum(v for _, v in rest))]
    labels = [label for label, _ in items]
    return labels, np.array([value for _, value in items], dtype=float) / YUAN_PER_WAN


def _note(ax, text: str) -> None:
    ax.text(0.5, 0.5, text, transform=ax.transAxes, ha="center", va="center", fontsize=13, bbox=NOTE_BOX)
    ax.set_xticks([])
    ax.set_yticks([])


def _draw_cost(ax, by_jurisdiction, max_bars: int, per: str = "年") -> None:
    ax.set_title("(a) 各地区年度成本变化 / Yearly cost change by jurisdiction", loc="left", fontsize=11)
    labels, values = _bars(by_jurisdiction, max_bars)
    if not labels:
        _note(ax, "无成本变化 / no cost change")
        return
    positions = np.arange(len(labels))
    colours = [LOSS_COLOUR if v < 0 else GAIN_COLOUR for v in values]
    ax.barh(positions, values, color=colours, height=0.62)
    ax.set_yticks(positions, labels)
    ax.set_ylim(max(len(labels), 4) - 0.5, -0.5)  # largest change on top; a few bars stay bar-shaped
    ax.axvline(0, color="#444444", linewidth=0.8)
    _value_labels(ax, positions, values, margin=0.16)
    decimals = _decimals(values)
    total = float(values.sum())
    ax.set_xlabel(f"万元/{per} (10,000 元 {PER[per]})        合计 / total: {_signed(total, decimals)} 万元/{per}")


def _draw_distribution(ax, gainers: np.ndarray, weights: np.ndarray) -> None:
    """A weighted histogram; or, when the reform gives only a few distinct amounts (a flat rise), one bar each."""
    amounts, codes = np.unique(np.round(gainers, 2), return_inverse=True)
    counts = np.bincount(codes, weights=weights, minlength=len(amounts))
    if len(amounts) <= MAX_DISTINCT_BARS:
        gaps = np.diff(amounts)
        width = 0.6 * float(gaps.min()) if len(amounts) > 1 else max(1.0, 0.1 * float(amounts[0]))
        ax.bar(amounts, counts, width=width, color=GAIN_COLOUR)
        ax.set_xticks(amounts)
        if len(amounts) > 6:  # amounts as ticks would run into each other
            ax.tick_params(axis="x", labelrotation=45)
        for amount, count in zip(amounts, counts):
            ax.annotate(
                _number(float(count), 0),
                (amount, count),
                xytext=(0, 2),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=9,
            )
        pad = 2.5 * width if len(amounts) > 1 else 4 * width
        ax.set_xlim(float(amounts[0]) - pad, float(amounts[-1]) + pad)
    else:
        edges = np.histogram_bin_edges(gainers, bins="auto")
        if len(edges) > 41:
            edges = np.linspace(float(gainers.min()), float(gainers.max()), 41)
        ax.hist(gainers, bins=edges, weights=weights, color=GAIN_COLOUR, edgecolor="white", linewidth=0.6)


def _weighted_median(values: np.ndarray, weights: np.ndarray) -> float:
    order = np.argsort(values, kind="stable")
    cumulative = np.cumsum(weights[order])
    return float(values[order][np.searchsorted(cumulative, cumulative[-1] / 2)])


def _draw_gains(
    ax, gains: np.ndarray, weights: np.ndarray | None = None, losers: float | None = None, per: str = "年"
) -> None:
    """Gaining households' yearly gains; ``weights`` (one per gain) make every count a weighted count of
    households, and ``losers`` is then the weighted count of losing households."""
    ax.set_title("(b) 受益家庭年度增加额分布 / Yearly gain per gaining household", loc="left", fontsize=11)
    weights = np.ones(len(gains)) if weights is None else np.asarray(weights, dtype=float)
    gaining = gains > 0
    gainers, weights = gains[gaining], weights[gaining]
    losers = float((gains < 0).sum()) if losers is None else float(losers)
    if gainers.size == 0 or weights.sum() <= 0:
        text = "无受益家庭 / no gaining households"
        if losers:
            text += f"\n受损家庭 / losing households: {_number(losers, 0)}"
        _note(ax, text)
        return
    _draw_distribution(ax, gainers, weights)
    ax.set_xlabel(f"元/{per} (元 {PER[per]})")
    ax.set_ylabel("家庭数 (加权) / households (weighted)")
    ax.xaxis.set_major_formatter(FuncFormatter(_tick))
    ax.yaxis.set_major_formatter(FuncFormatter(_tick))
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.grid(axis="y", color="#e5e5e5", linewidth=0.8)
    ax.set_axisbelow(True)
    mean = float(np.average(gainers, weights=weights))
    ax.axvline(mean, color="#222222", linestyle="--", linewidth=1)
    lines = [
        f"受益家庭 / gaining households: {_number(float(weights.sum()), 0)}",
        f"平均 (虚线) / mean (dashed): {_number(mean, 0)} 元/{per}",
        f"中位数 / median: {_number(_weighted_median(gainers, weights), 0)} 元/{per}",
    ]
    if losers:
        lines.append(f"受损家庭 / losing households: {_number(losers, 0)}")
    ax.text(0.98, 0.97, "\n".join(lines), transform=ax.transAxes, ha="right", va="top", fontsize=9.5, bbox=NOTE_BOX)
    ax.set_ylim(0, ax.get_ylim()[1] * 1.45)  # headroom so the note box does not cover the tallest bars


def impact_chart(
    by_jurisdiction: Mapping[str, float] | Any,
    gains: np.ndarray | Any,
    title: str,
    path: str | Path,
    *,
    max_bars: int = 20,
    dpi: int = 150,
    weights: np.ndarray | Any | None = None,
) -> Path:
    """Draw a reform's impact in two panels and save it (PNG, or any format matplotlib writes, by suffix).

    ``by_jurisdiction``: yearly cost change in 元 per jurisdiction (a dict or a pandas Series keyed by
    registry key, ``mengla``, or by any label); drawn in 万元 as horizontal bars with the Chinese
    names, savings (negative changes) in another colour, the largest ``max_bars`` − 1 changes shown and
    the rest summed into one bar. ``gains``: yearly change in 元 of each household whose total
    changed; the histogram shows the households that gain (> 0), with their count, mean and median, and
    the number that lose is noted; ``weights`` (one per gain, default 1) make these weighted counts.
    ``title``: the figure title, e.g.
    "特困基本生活标准提高到 1050 元 / Raise tekun to 1050: 年度成本变化与受益分布".
    """
    gains = np.asarray(gains, dtype=float).ravel()
    if not np.isfinite(gains).all():
        raise ValueError("gains contains NaN or infinite values")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)

    with matplotlib.rc_context(CHART_RC):
        n_bars = min(len(by_jurisdiction), max_bars)
        figure = Figure(figsize=(13, max(5.0, 1.9 + 0.36 * n_bars)), layout="constrained")
        FigureCanvasAgg(figure)
        cost_ax, gains_ax = figure.subplots(1, 2, width_ratios=[1.05, 1])
        _draw_cost(cost_ax, by_jurisdiction, max_bars)
        _draw_gains(gains_ax, gains, weights)
        figure.suptitle(title, fontsize=14)
        figure.savefig(path, dpi=dpi, facecolor="white")
    return path


# --- The report figure: cost, gains, deciles, poverty --------------------------------------------------


def _draw_programmes(ax, by_programme, parts: tuple[str, ...]) -> None:
    """The programmes that are no sum of others (``parts``), so that no change is drawn twice."""
    ax.set_title("(a) 各项目成本变化 / Cost change by programme", loc="left", fontsize=11)
    rows = by_programme[by_programme["output"].isin(parts)]
    computed = rows[rows["change_10k_yuan"].notna()]
    missing = rows[rows["change_10k_yuan"].isna()]["programme"].tolist()
    if missing:
        ax.text(
            0.0,
            -0.16,
            "未计算 / not computed: " + "、".join(missing),
            transform=ax.transAxes,
            fontsize=8.5,
            va="top",
            wrap=True,
        )
    if computed.empty:
        _note(ax, "无可计算的项目 / no programme computed")
        return
    values = computed["change_10k_yuan"].to_numpy(dtype=float)
    positions = np.arange(len(values))
    ax.barh(positions, values, color=[LOSS_COLOUR if v < 0 else GAIN_COLOUR for v in values], height=0.62)
    ax.set_yticks(positions, computed["programme"].tolist())
    ax.set_ylim(max(len(values), 4) - 0.5, -0.5)
    ax.axvline(0, color="#444444", linewidth=0.8)
    _value_labels(ax, positions, values)
    ax.set_xlabel(f"万元 (10,000 元)        合计 / total: {_signed(float(values.sum()), _decimals(values))} 万元")


def _value_labels(ax, positions, values: np.ndarray, margin: float = 0.2) -> None:
    """Signed value labels beyond each bar, with room (``margin`` × the span) for them on each side."""
    ax.xaxis.set_major_formatter(FuncFormatter(_tick))
    ax.grid(axis="x", color="#e5e5e5", linewidth=0.8)
    ax.set_axisbelow(True)
    low, high = min(0.0, float(values.min())), max(0.0, float(values.max()))
    span = (high - low) or 1.0
    ax.set_xlim(low - (margin * span if low < 0 else 0.05 * span), high + (margin * span if high > 0 else 0.05 * span))
    decimals = _decimals(values)
    for y, value in zip(positions, values):
        ax.text(
            value + (0.015 * span if value >= 0 else -0.015 * span),
            y,
            _signed(value, decimals),
            ha="left" if value >= 0 else "right",
            va="center",
            fontsize=9,
        )


def _draw_deciles(ax, deciles, per: str) -> None:
    ax.set_title("(d) 按收入十分位的平均增加额 / Average gain by income decile", loc="left", fontsize=11)
    gains = deciles["average_gain_per_household"].to_numpy(dtype=float)
    shares = deciles["cost_share"].to_numpy(dtype=float)
    positions = np.arange(1, len(gains) + 1)
    shown = np.nan_to_num(gains)
    ax.bar(positions, shown, color=[LOSS_COLOUR if v < 0 else GAIN_COLOUR for v in shown], width=0.7)
    ax.set_xticks(positions, [str(p) for p in positions])
    ax.axhline(0, color="#444444", linewidth=0.8)
    for x, gain, share in zip(positions, gains, shares):
        text = "空 / empty" if not np.isfinite(gain) else ("—" if not np.isfinite(share) else f"{100 * share:.0f}%")
        ax.annotate(
            text, (x, max(0.0, float(np.nan_to_num(gain)))), xytext=(0, 3), textcoords="offset points", ha="center"
        )
    ax.set_xlabel("人均可计收入十分位 (援助前, 1 = 最低) / decile of per-capita income before assistance (1 = lowest)")
    ax.set_ylabel(f"元/户·{per} / 元 per household {PER[per].split()[-1]}")
    ax.yaxis.set_major_formatter(FuncFormatter(_tick))
    low, high = ax.get_ylim()
    ax.set_ylim(low, high + 0.12 * (high - low))
    ax.text(0.01, 0.97, "柱上: 成本占比 / on bars: share of the cost", transform=ax.transAxes, va="top", fontsize=8.5)
    ax.grid(axis="y", color="#e5e5e5", linewidth=0.8)
    ax.set_axisbelow(True)


def _draw_poverty(ax, poverty, column: str, title: str, unit: str, scale: float) -> None:
    ax.set_title(title, loc="left", fontsize=11)
    stages = [("before", "援助前 / before assistance"), ("after", "援助后 / after assistance")]
    width = 0.36
    for offset, (scenario, label, colour) in zip(
        (-width / 2, width / 2), (("baseline", "现行 / baseline", "#9aa5b1"), ("reform", "改革 / reform", GAIN_COLOUR))
    ):
        rows = poverty[poverty["scenario"] == scenario].set_index("stage")
        values = np.array([float(rows.loc[stage, column]) / scale for stage, _ in stages])
        bars = ax.bar(np.arange(len(stages)) + offset, values, width=width, color=colour, label=label)
        for bar, value in zip(bars, values):
            ax.annotate(
                _number(value, 0 if scale == 1 else 1),
                (bar.get_x() + bar.get_width() / 2, value),
                xytext=(0, 2),
                textcoords="offset points",
                ha="center",
                fontsize=8.5,
            )
    ax.set_xticks(np.arange(len(stages)), [label for _, label in stages])
    ax.set_ylabel(unit)
    ax.yaxis.set_major_formatter(FuncFormatter(_tick))
    ax.set_ylim(0, ax.get_ylim()[1] * 1.2)
    ax.legend(loc="upper right", fontsize=8.5, frameon=False)
    ax.grid(axis="y", color="#e5e5e5", linewidth=0.8)
    ax.set_axisbelow(True)


def _per(period: str) -> str:
    """年 for a year, 月 for a month, 期 (the period) otherwise: the unit of every amount drawn."""
    from openfisca_core.periods import period as as_period

    parsed = as_period(str(period))
    if parsed.size == 1 and parsed.unit in ("year", "month"):
        return "年" if parsed.unit == "year" else "月"
    return "期"


def _report_gains(impact) -> tuple[np.ndarray, np.ndarray | None, float | None]:
    """Gains and their weights from the distribution's histogram (weighted, any partitioning), else the rows."""
    distribution = impact.comparison.distribution
    if distribution is not None and distribution.reason is None:
        keys = np.array(list(distribution.gains), dtype=float) / 100
        weights = distribution.gains.floats(0)
        return keys, weights, impact.counts()["losing"]
    return np.asarray(impact.gains(), dtype=float), None, None


def impact_report_chart(impact, title: str, path: str | Path, *, top: int = 12, dpi: int = 150) -> Path:
    """The figure ``cn-assist impact --chart`` draws from an :class:`~openfisca_cn_assist.analysis.results.Impact`.

    Weighted throughout: (a) cost change by programme and (c) by jurisdiction in 万元 (the ``top`` − 1
    largest changes, the rest summed as "others", so any number of jurisdictions fits), (b) the
    distribution of gains over weighted gaining households, (d) each income decile's average gain per
    household with its share of the cost, (e, f) poor persons and the poverty gap against the baseline
    低保 standard, before and after assistance, baseline and reform. Panels (d)–(f) say so when the incomes
    could not be computed.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    per = _per(impact.baseline.period)
    distribution = impact.comparison.distribution
    reason = "no incomes were read" if distribution is None else distribution.reason
    with matplotlib.rc_context(CHART_RC):
        n_bars = min(len(impact.comparison.by_jurisdiction), top)
        figure = Figure(figsize=(15, 14 + 0.2 * max(0, n_bars - 8)), layout="constrained")
        FigureCanvasAgg(figure)
        grid = figure.add_gridspec(3, 2, height_ratios=[1, 1.1, 0.9])
        _draw_programmes(figure.add_subplot(grid[0, 0]), impact.by_programme(), impact.baseline.aggregate.outputs.parts)
        gains, weights, losers = _report_gains(impact)
        _draw_gains(figure.add_subplot(grid[0, 1]), gains, weights, losers, per)
        cost_ax = figure.add_subplot(grid[1, 0])
        _draw_cost(cost_ax, impact.by_jurisdiction(unit="元"), top, per)
        cost_ax.set_title("(c) 各地区成本变化 / Cost change by jurisdiction", loc="left", fontsize=11)
        decile_ax = figure.add_subplot(grid[1, 1])
        poverty_axes = figure.add_subplot(grid[2, 0]), figure.add_subplot(grid[2, 1])
        if reason is None:
            _draw_deciles(decile_ax, impact.deciles(), per)
            poverty = impact.poverty()
            _draw_poverty(
                poverty_axes[0],
                poverty,
                "persons",
                "(e) 低于低保标准的人数 / Persons below the 低保 standard",
                "人 / persons",
                1,
            )
            _draw_poverty(
                poverty_axes[1], poverty, "gap_yuan", "(f) 贫困缺口 / Poverty gap", "万元 (10,000 元)", YUAN_PER_WAN
            )
        else:
            for ax in (decile_ax, *poverty_axes):
                _note(ax, "收入未能计算 / incomes not computed:\n" + reason[:120])
        figure.suptitle(title, fontsize=14)
        figure.savefig(path, dpi=dpi, facecolor="white")
    return path
