"""SVG charts as plain numbers for casework/_chart.html: no JavaScript, scaled by the
viewBox so they read on a phone; every figure is also in the table beside the chart."""

from __future__ import annotations

from decimal import Decimal

COLOURS = ("#d9822b", "#2f6f9f", "#5b8c3a", "#8e5ba6", "#b04a4a", "#6c757d")


def _num(value) -> float:
    return float(value or 0)


_FRACTIONAL = (Decimal, float)


def _fmt(value) -> str:
    if isinstance(value, _FRACTIONAL):
        text = f"{float(value):.1f}"
        return text[:-2] if text.endswith(".0") else text
    return str(value)


def column_chart(labels: list[str], series: list[tuple[str, list]], *, width: int = 480,
                 height: int = 220, full_labels: list[str] | None = None) -> dict:
    """Vertical columns, one per label, stacked by series [(name, values)]."""
    top, bottom, left = 22, 26, 6
    area_h = height - top - bottom
    n = max(len(labels), 1)
    slot = (width - left * 2) / n
    bar_w = max(slot * 0.62, 4)
    totals = [sum(_num(values[i]) for _, values in series) for i in range(len(labels))]
    biggest = max(totals, default=0) or 1
    columns = []
    for i, label in enumerate(labels):
        x = left + i * slot + (slot - bar_w) / 2
        y = top + area_h
        segments = []
        for s_index, (name, values) in enumerate(series):
            v = _num(values[i])
            h = round(area_h * v / biggest, 1)
            y -= h
            if v:
                segments.append({"y": round(y, 1), "height": h, "colour": COLOURS[s_index],
                                 "name": name, "value": _fmt(values[i])})
        full = full_labels[i] if full_labels else label
        columns.append({"x": round(x, 1), "width": round(bar_w, 1), "label": label,
                        "full_label": full, "segments": segments,
                        "total": _fmt(totals[i]) if totals[i] else "0",
                        "label_x": round(x + bar_w / 2, 1), "total_y": round(y - 5, 1)})
    legend = [{"name": name, "colour": COLOURS[i]} for i, (name, _) in enumerate(series)]
    return {"kind": "columns", "width": width, "height": height, "columns": columns,
            "baseline": top + area_h, "label_y": height - 8, "legend": legend,
            "empty": not any(totals)}


def bar_chart(rows: list[tuple[str, object]], *, width: int = 480, label_width: int = 150,
              row_height: int = 30) -> dict:
    """Horizontal bars [(label, value)], for categories such as referral outcomes."""
    number_width = 50
    area = width - label_width - number_width
    biggest = max((_num(v) for _, v in rows), default=0) or 1
    bars = []
    for i, (label, value) in enumerate(rows):
        w = round(area * _num(value) / biggest, 1)
        bars.append({"y": i * row_height, "label": label, "value": _fmt(value), "width": w,
                     "number_x": label_width + w + 6, "colour": COLOURS[i % len(COLOURS)]})
    return {"kind": "bars", "width": width, "height": len(rows) * row_height + 4,
            "label_width": label_width, "bar_height": row_height - 10, "bars": bars,
            "empty": not any(_num(v) for _, v in rows)}
