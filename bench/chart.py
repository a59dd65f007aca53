"""The latency chart of docs/benchmarks.md: one row per load scenario, p50, p90 and p99 as three
marks joined by a bar on a log-scale time axis (the scenarios span 0.2 ms to 100+ ms, so a
linear axis would flatten the fast ones). Hand-written SVG, standard library only.
"""

import math
from xml.sax.saxutils import escape

# Colour-blind-safe (Okabe-Ito) and told apart by shape as well.
MARKS = (
    ("p50", "#0072B2", "circle"),
    ("p90", "#E69F00", "square"),
    ("p99", "#D55E00", "triangle"),
)
ROW = 26
LEFT = 330
PLOT = 520
TOP = 64
NICE = (1, 2, 5)


def ticks(low, high):
    """1-2-5 steps covering [low, high] in ms."""
    exponent = math.floor(math.log10(low))
    values = []
    while True:
        for step in NICE:
            value = step * 10**exponent
            if value >= low / 1.0001 and value <= high * 1.0001:
                values.append(value)
            if value > high:
                return values
        exponent += 1


def label_ms(value):
    return f"{value:g}" if value >= 1 else f"{value:.1f}".rstrip("0").rstrip(".")


def mark(shape, x, y, colour):
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y}" r="5" fill="{colour}"/>'
    if shape == "square":
        return f'<rect x="{x - 4.5:.1f}" y="{y - 4.5}" width="9" height="9" fill="{colour}"/>'
    return f'<path d="M{x:.1f},{y - 6} l6,10.5 h-12 z" fill="{colour}"/>'


def render(rows, title):
    """`rows`: [(group, label, {"p50": ms, "p90": ms, "p99": ms})]; an SVG document."""
    values = [row[2][name] for row in rows for name, _, _ in MARKS if row[2].get(name)]
    # The axis runs between the 1-2-5 steps just outside the figures.
    low = max(step for step in ticks(1e-3, min(values)) if step <= min(values))
    high = min(step for step in ticks(1e-3, max(values) * 10) if step >= max(values))
    scale = lambda ms: LEFT + PLOT * (math.log10(ms) - math.log10(low)) / (math.log10(high) - math.log10(low))  # noqa: E731

    groups = []
    for group, _, _ in rows:
        if group not in groups:
            groups.append(group)
    height = TOP + ROW * (len(rows) + len(groups)) + 50
    width = LEFT + PLOT + 40
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        'font-family="system-ui, -apple-system, Segoe UI, sans-serif" font-size="13">',
        f'<rect width="{width}" height="{height}" fill="#fff"/>',
        f'<text x="{width / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">{escape(title)}</text>',
    ]
    # Legend.
    x = LEFT
    for name, colour, shape in MARKS:
        out.append(mark(shape, x, 44, colour))
        out.append(f'<text x="{x + 10}" y="48">{name}</text>')
        x += 60
    out.append(f'<line x1="{x + 4}" y1="44" x2="{x + 30}" y2="44" stroke="#999" stroke-width="3"/>')
    out.append(f'<text x="{x + 36}" y="48">p50 to p99</text>')

    bottom = height - 44
    for value in ticks(low, high):
        tx = scale(value)
        major = NICE.index(round(value / 10 ** math.floor(math.log10(value)))) == 0
        out.append(
            f'<line x1="{tx:.1f}" y1="{TOP - 6}" x2="{tx:.1f}" y2="{bottom}" '
            f'stroke="{"#bbb" if major else "#e4e4e4"}"/>'
        )
        out.append(f'<text x="{tx:.1f}" y="{bottom + 16}" text-anchor="middle" fill="#333">{label_ms(value)}</text>')
    out.append(
        f'<text x="{LEFT + PLOT / 2}" y="{bottom + 36}" text-anchor="middle">latency, ms (log scale)</text>'
    )

    y = TOP + ROW // 2
    for group in groups:
        out.append(f'<text x="8" y="{y + 4}" font-weight="bold">{escape(group)}</text>')
        y += ROW
        for row_group, label, figures in rows:
            if row_group != group:
                continue
            out.append(f'<text x="{LEFT - 10}" y="{y + 4}" text-anchor="end">{escape(label)}</text>')
            if figures.get("p50") and figures.get("p99"):
                out.append(
                    f'<line x1="{scale(figures["p50"]):.1f}" y1="{y}" x2="{scale(figures["p99"]):.1f}" y2="{y}" '
                    'stroke="#999" stroke-width="3"/>'
                )
            for name, colour, shape in MARKS:
                if figures.get(name):
                    out.append(mark(shape, scale(figures[name]), y, colour))
            y += ROW
    out.append("</svg>")
    return "\n".join(out) + "\n"
