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

YUAN_PER_WAN = 10_000
GAIN_COLOUR = "#2b6cb0"
LOSS_COLOUR = "#c05621"
MAX_DISTINCT_BARS = 12
NOTE_BOX = {"boxstyle": "round,pad=0.5", "facecolor": "#f7f7f7", "edgecolor": "#bbbbbb"}


@lru_cache(maxsize=1)
def _jurisdiction_names() -> dict[str, str]:
    return {j.key: j.name_zh for j in default_registry().jurisdictions}


def _label(key: Any) -> str:
    """A registry key becomes its Chinese name (mengla → 勐腊县); anything else is shown as given."""
    return _jurisdiction_names().get(str(key), str(key))


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


def _draw_cost(ax, by_jurisdiction, max_bars: int) -> None:
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
    ax.xaxis.set_major_formatter(FuncFormatter(_tick))
    ax.grid(axis="x", color="#e5e5e5", linewidth=0.8)
    ax.set_axisbelow(True)

    # Room for the value labels beyond the longest bar on each side.
    low, high = min(0.0, float(values.min())), max(0.0, float(values.max()))
    span = (high - low) or 1.0
    ax.set_xlim(low - (0.16 * span if low < 0 else 0.05 * span), high + (0.16 * span if high > 0 else 0.05 * span))
    decimals = _decimals(values)
    offset = 0.015 * span
    for y, value in zip(positions, values):
        ax.text(
            value + (offset if value >= 0 else -offset),
            y,
            _signed(value, decimals),
            ha="left" if value >= 0 else "right",
            va="center",
            fontsize=9,
        )
    total = float(values.sum())
    ax.set_xlabel(f"万元/年 (10,000 元 per year)        合计 / total: {_signed(total, decimals)} 万元/年")


def _draw_distribution(ax, gainers: np.ndarray) -> None:
    """A histogram; or, when the reform gives only a few distinct amounts (a flat rise), one bar each."""
    amounts, counts = np.unique(np.round(gainers, 2), return_counts=True)
    if len(amounts) <= MAX_DISTINCT_BARS:
        gaps = np.diff(amounts)
        width = 0.6 * float(gaps.min()) if len(amounts) > 1 else max(1.0, 0.1 * float(amounts[0]))
        ax.bar(amounts, counts, width=width, color=GAIN_COLOUR)
        ax.set_xticks(amounts)
        for amount, count in zip(amounts, counts):
            ax.annotate(
                f"{count:,}",
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
        ax.hist(gainers, bins=edges, color=GAIN_COLOUR, edgecolor="white", linewidth=0.6)


def _draw_gains(ax, gains: np.ndarray) -> None:
    ax.set_title("(b) 受益家庭年度增加额分布 / Yearly gain per gaining household", loc="left", fontsize=11)
    gainers = gains[gains > 0]
    losers = int((gains < 0).sum())
    if gainers.size == 0:
        text = "无受益家庭 / no gaining households"
        if losers:
            text += f"\n受损家庭 / losing households: {losers:,}"
        _note(ax, text)
        return
    _draw_distribution(ax, gainers)
    ax.set_xlabel("元/年 (元 per year)")
    ax.set_ylabel("家庭数 / households")
    ax.xaxis.set_major_formatter(FuncFormatter(_tick))
    ax.yaxis.set_major_formatter(FuncFormatter(_tick))
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.grid(axis="y", color="#e5e5e5", linewidth=0.8)
    ax.set_axisbelow(True)
    mean = float(gainers.mean())
    ax.axvline(mean, color="#222222", linestyle="--", linewidth=1)
    lines = [
        f"受益家庭 / gaining households: {gainers.size:,}",
        f"平均 (虚线) / mean (dashed): {_number(mean, 0)} 元/年",
        f"中位数 / median: {_number(float(np.median(gainers)), 0)} 元/年",
    ]
    if losers:
        lines.append(f"受损家庭 / losing households: {losers:,}")
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
) -> Path:
    """Draw a reform's impact in two panels and save it (PNG, or any format matplotlib writes, by suffix).

    ``by_jurisdiction``: yearly cost change in 元 per jurisdiction (a dict or a pandas Series keyed by
    registry key, ``mengla``, or by any label); drawn in 万元 as horizontal bars with the Chinese
    names, savings (negative changes) in another colour, the largest ``max_bars`` − 1 changes shown and
    the rest summed into one bar. ``gains``: yearly change in 元 of each household whose total
    changed; the histogram shows the households that gain (> 0), with their count, mean and median, and
    the number that lose is noted. ``title``: the figure title, e.g.
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
        _draw_gains(gains_ax, gains)
        figure.suptitle(title, fontsize=14)
        figure.savefig(path, dpi=dpi, facecolor="white")
    return path
