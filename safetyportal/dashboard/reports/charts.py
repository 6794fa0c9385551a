"""Bar charts drawn as SVG by the templates: the numbers here, the shapes in
dashboard/reports/_bars.svg.html (ECharts cannot render on the server in Python)."""

from __future__ import annotations

BAR_WIDTH = 300  # the longest bar, in the SVG's user units
ROW_HEIGHT = 22


def bars(rows: list[tuple[str, int, int]]) -> dict:
    """Horizontal bars for (label, value, highlighted part of value): the geometry the
    template draws, scaled to the largest value."""
    top = max((value for _label, value, _part in rows), default=0) or 1
    drawn = []
    for index, (label, value, part) in enumerate(rows):
        drawn.append(
            {
                "label": label,
                "value": value,
                "part": part,
                "y": index * ROW_HEIGHT,
                "text_y": index * ROW_HEIGHT + 15,
                "width": round(BAR_WIDTH * value / top, 1),
                "part_width": round(BAR_WIDTH * part / top, 1),
            }
        )
    return {"rows": drawn, "height": max(len(rows), 1) * ROW_HEIGHT, "value_x": BAR_WIDTH + 125}
