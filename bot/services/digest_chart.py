"""The digest's chart: check-in completion and lesson reading over the last 6 months (PNG).

Agg draws without a display. Matplotlib's bundled DejaVu Sans has every Vietnamese glyph
(tests/services/test_digest_files.py renders the diacritics and asserts no missing-glyph
warning), so no system font is needed.
"""

from __future__ import annotations

import io

import matplotlib
from matplotlib.figure import Figure

from bot.services.digest import MonthPoint
from bot.texts import digest as t

matplotlib.use("Agg")  # no display on a server; Figure alone never touches pyplot's state

FONT = "DejaVu Sans"
SIZE = (8.0, 4.5)  # inches at 100 dpi: 800×450 px, sharp on a phone and about 30 KB
DPI = 100


def history_chart(cell_name: str, points: tuple[MonthPoint, ...]) -> bytes:
    """Return a PNG of the months' check-in completion and reading, in per cent."""
    figure = Figure(figsize=SIZE, dpi=DPI)  # no pyplot: no global state between requests
    axes = figure.subplots()
    labels = [t.month_label(p.month) for p in points]
    submitted = [_pct(p.submitted, p.asked) for p in points]
    reading = [_pct(p.readers, p.members) for p in points]
    places = range(len(points))
    width = 0.38
    bars = axes.bar([x - width / 2 for x in places], submitted, width, label=t.CHART_CHECKINS)
    bars2 = axes.bar([x + width / 2 for x in places], reading, width, label=t.CHART_READING)
    for group in (bars, bars2):
        axes.bar_label(group, fmt="%.0f", fontsize=8, fontfamily=FONT)
    axes.set_xticks(list(places), labels, fontfamily=FONT)
    axes.set_ylim(0, 110)
    axes.set_ylabel(t.CHART_AXIS, fontfamily=FONT)
    axes.set_title(t.chart_title(cell_name), fontfamily=FONT)
    axes.legend(loc="upper left", prop={"family": FONT}, ncols=2, frameon=False)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()


def _pct(part: int, whole: int) -> float:
    return 100.0 * part / whole if whole else 0.0
