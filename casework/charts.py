"""Server-rendered SVG charts as plain numbers for the templates (casework/_chart.html):
no JavaScript, scaled by the viewBox so they read on a phone, every figure also given in
the table beside the chart."""

from __future__ import annotations

from decimal import Decimal

from django.utils.safestring import SafeString, mark_safe

COLOURS = ("#d9822b", "#2f6f9f", "#5b8c3a", "#8e5ba6", "#b04a4a", "#6c757d")
# What django.utils.html.escape replaces, in one str.translate: a chart has a few hundred
# values, and escape's lazy-text wrapper costs about ten Python calls each.
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
                          "'": "&#x27;"})


def escape(value) -> str:
    """django.utils.html.escape's text, as a plain str."""
    return str(value).translate(_ESCAPES)


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


def svg(chart: dict, chart_id: str, title: str, desc: str) -> SafeString:
    """A chart of column_chart or bar_chart as casework/_chart.html renders it (the same
    markup, character for character: tests/casework/test_charts.py), built in Python with
    one escape per value rather than a template loop over every column, bar and
    segment."""
    from django.utils.translation import gettext

    e = escape
    parts = ['\n<figure class="chart cw-chart">\n']
    if chart["empty"]:
        parts.append(f'<p class="muted">{e(gettext("Nothing recorded in this period."))}</p>')
        parts.append("\n</figure>\n")
        return mark_safe("".join(parts))  # noqa: S308 - every value escaped above
    cid = e(chart_id)
    head = (f'<svg class="bar-chart" viewBox="0 0 {chart["width"]} {chart["height"]}" '
            f'role="img" aria-labelledby="{cid}-t {cid}-d" '
            f'xmlns="http://www.w3.org/2000/svg">\n'
            f'  <title id="{cid}-t">{e(title)}</title>\n'
            f'  <desc id="{cid}-d">{e(desc)}</desc>\n')
    if chart["kind"] == "columns":
        parts.append("\n\n" + head)
        parts.append(f'  <line x1="0" x2="{chart["width"]}" y1="{chart["baseline"]}" '
                     f'y2="{chart["baseline"]}" stroke="#999" stroke-width="1"/>\n  ')
        label_y = chart["label_y"]
        for c in chart["columns"]:
            parts.append("<g>\n    ")
            full, x, width = e(c["full_label"]), c["x"], c["width"]
            for s in c["segments"]:
                parts.append(f'<rect x="{x}" y="{s["y"]}" width="{width}" '
                             f'height="{s["height"]}" fill="{e(s["colour"])}"><title>{full}'
                             f' · {e(s["name"])}: {e(s["value"])}</title></rect>')
            parts.append("\n    ")
            if c["segments"]:
                parts.append(f'<text x="{c["label_x"]}" y="{c["total_y"]}" '
                             f'text-anchor="middle" class="chart-number">{e(c["total"])}</text>')
            parts.append(f'\n    <text x="{c["label_x"]}" y="{label_y}" text-anchor="middle" '
                         f'class="chart-label">{e(c["label"])}</text>\n  </g>')
        parts.append("\n</svg>\n")
    else:
        parts.append("\n\n" + head + "  ")
        label_width, bar_height = chart["label_width"], chart["bar_height"]
        for b in chart["bars"]:
            label, value = e(b["label"]), e(b["value"])
            parts.append(
                f'<g transform="translate(0 {b["y"]})">\n'
                f'    <text x="{label_width - 8}" y="{bar_height}" text-anchor="end" '
                f'class="chart-label">{label}</text>\n'
                f'    <rect x="{label_width}" y="4" width="{b["width"]}" height="{bar_height}" '
                f'fill="{e(b["colour"])}"><title>{label}: {value}</title></rect>\n'
                f'    <text x="{b["number_x"]}" y="{bar_height}" class="chart-number">{value}'
                f'</text>\n  </g>')
        parts.append("\n</svg>\n")
    legend = chart.get("legend") or []
    parts.append("\n")
    if len(legend) > 1:
        parts.append('<figcaption><ul class="legend">')
        for item in legend:
            parts.append(f'<li><svg class="swatch" viewBox="0 0 1 1" aria-hidden="true" '
                         f'focusable="false"><rect width="1" height="1" '
                         f'fill="{e(item["colour"])}"/></svg>{e(item["name"])}</li>')
        parts.append("</ul></figcaption>")
    parts.append("\n\n</figure>\n")
    return mark_safe("".join(parts))  # noqa: S308 - every value escaped above


def column_svg(labels: list[str], series: list[tuple[str, list]], chart_id: str, title: str,
               desc: str, *, full_labels: list[str] | None = None, width: int = 480,
               height: int = 220) -> SafeString:
    """svg(column_chart(labels, series, …), chart_id, title, desc), character for
    character (tests/casework/test_charts.py), written straight from the figures: the
    unit dashboard draws four of these on every view, and the chart's dictionaries and
    one escape per value cost more than the markup. The figures are numbers, whose text
    needs no escaping; the labels and names are escaped once each."""
    top, bottom, left = 22, 26, 6
    area_h = height - top - bottom
    n = max(len(labels), 1)
    slot = (width - left * 2) / n
    bar_w = max(slot * 0.62, 4)
    floats = [[float(v or 0) for v in values] for _name, values in series]
    totals = [sum(column) for column in zip(*floats, strict=False)] if floats else []
    totals = totals[:len(labels)]
    if not any(totals):
        return svg({"empty": True}, chart_id, title, desc)
    biggest = max(totals, default=0) or 1
    e = escape
    cid = e(chart_id)
    baseline = top + area_h
    parts = [f'\n<figure class="chart cw-chart">\n\n\n'
             f'<svg class="bar-chart" viewBox="0 0 {width} {height}" '
             f'role="img" aria-labelledby="{cid}-t {cid}-d" '
             f'xmlns="http://www.w3.org/2000/svg">\n'
             f'  <title id="{cid}-t">{e(title)}</title>\n'
             f'  <desc id="{cid}-d">{e(desc)}</desc>\n'
             f'  <line x1="0" x2="{width}" y1="{baseline}" '
             f'y2="{baseline}" stroke="#999" stroke-width="1"/>\n  ']
    label_y = height - 8
    kinds = [(f' · {e(name)}: ', e(COLOURS[i]), values, floats[i])
             for i, (name, values) in enumerate(series)]
    layout = _column_layout(len(labels), width, left, slot, bar_w)
    for i, label in enumerate(labels):
        rect, bar_width, label_x = layout[i]
        y = baseline
        full = e(full_labels[i] if full_labels else label)
        parts.append("<g>\n    ")
        drawn = False
        for named, colour, values, numbers in kinds:
            v = numbers[i]
            h = round(area_h * v / biggest, 1)
            y -= h
            if v:
                drawn = True
                parts.append(f'{rect}{round(y, 1)}" width="{bar_width}" '
                             f'height="{h}" fill="{colour}"><title>{full}'
                             f'{named}{_fmt(values[i])}</title></rect>')
        parts.append("\n    ")
        if drawn:
            total = _fmt(totals[i]) if totals[i] else "0"
            parts.append(f'<text x="{label_x}" y="{round(y - 5, 1)}" '
                         f'text-anchor="middle" class="chart-number">{total}</text>')
        parts.append(f'\n    <text x="{label_x}" y="{label_y}" text-anchor="middle" '
                     f'class="chart-label">{e(label)}</text>\n  </g>')
    parts.append("\n</svg>\n\n")
    if len(series) > 1:
        parts.append('<figcaption><ul class="legend">')
        for named, colour, _values, _numbers in kinds:
            parts.append(f'<li><svg class="swatch" viewBox="0 0 1 1" aria-hidden="true" '
                         f'focusable="false"><rect width="1" height="1" '
                         f'fill="{colour}"/></svg>{named[3:-2]}</li>')
        parts.append("</ul></figcaption>")
    parts.append("\n\n</figure>\n")
    return mark_safe("".join(parts))  # noqa: S308 - every text escaped above


_LAYOUTS: dict = {}


def _column_layout(n: int, width: int, left: int, slot: float, bar_w: float) -> list:
    """Each column's opening of its rects ('<rect x="…" y="'), its width and the x of its
    labels, as column_chart places
    them: the same for every chart of n columns (kept per process, a few shapes)."""
    key = (n, width)
    found = _LAYOUTS.get(key)
    if found is None:
        found = []
        for i in range(n):
            x = left + i * slot + (slot - bar_w) / 2
            found.append((f'<rect x="{round(x, 1)}" y="', round(bar_w, 1),
                          round(x + bar_w / 2, 1)))
        if len(_LAYOUTS) >= 64:
            _LAYOUTS.clear()
        _LAYOUTS[key] = found
    return found
