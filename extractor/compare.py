"""Compare departments across years from a batch's DuckDB store: one field as a department × year table."""

from __future__ import annotations

import csv
import io
import unicodedata
from decimal import Decimal
from pathlib import Path

CJK_FONTS = ["WenQuanYi Micro Hei", "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "SimHei"]


def store_path(out: str | Path) -> Path:
    """The DuckDB file of a batch output folder (or the file itself)."""
    path = Path(out)
    return path / "reports.duckdb" if path.is_dir() else path


def comparison(out: str | Path, field: str, by: str = "department") -> tuple[list[str], list[str], dict]:
    """(row labels, column labels, {(row, column): [values]}) for `field`; rows are departments (by='department')
    or years (by='year'). A cell holds every distinct value stated for it, so a conflict stays visible."""
    import duckdb

    with duckdb.connect(str(store_path(out)), read_only=True) as con:
        rows = con.execute(
            "SELECT coalesce(department_key, '(unknown)') AS department, fiscal_year, "
            "list(DISTINCT value ORDER BY value) FROM facts WHERE field = ? AND fiscal_year IS NOT NULL "
            "GROUP BY ALL",
            [field],
        ).fetchall()
    cells = {}
    for department, year, values in rows:
        key = (department, str(year)) if by == "department" else (str(year), department)
        cells[key] = values
    row_labels = sorted({k[0] for k in cells})
    column_labels = sorted({k[1] for k in cells})
    return row_labels, column_labels, cells


def _show(values: list | None) -> str:
    """A cell as text: empty when nothing was stated (never 0), 'a / b' when reports disagree."""
    if not values:
        return ""
    return " / ".join(_number(v) for v in values)


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}" if isinstance(value, Decimal) else str(value)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def format_table(rows: list[str], columns: list[str], cells: dict, corner: str) -> str:
    table = [[corner, *columns]] + [[r, *(_show(cells.get((r, c))) for c in columns)] for r in rows]
    widths = [max(_width(line[i]) for line in table) for i in range(len(table[0]))]
    return "\n".join(
        "  ".join(cell + " " * (w - _width(cell)) for cell, w in zip(line, widths)).rstrip() for line in table
    )


def format_csv(rows: list[str], columns: list[str], cells: dict, corner: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([corner, *columns])
    writer.writerows([r, *(_show(cells.get((r, c))) for c in columns)] for r in rows)
    return buffer.getvalue()


def cjk_font() -> str | None:
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)


def plot(rows: list[str], columns: list[str], cells: dict, field: str, path: str | Path) -> str | None:
    """A line per row label across the column labels; returns the CJK font used (None: labels may show boxes)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    font = cjk_font()
    if font:
        plt.rcParams["font.sans-serif"] = [font, "DejaVu Sans"]
        plt.rcParams["axes.unicode_minus"] = False
    figure, axes = plt.subplots(figsize=(9, 5), dpi=120)
    for row in rows:
        points = [(c, float(cells[(row, c)][0])) for c in columns if cells.get((row, c))]
        if points:
            axes.plot([p[0] for p in points], [p[1] for p in points], marker="o", label=row)
    axes.set_title(field)
    axes.grid(alpha=0.3)
    axes.legend(fontsize=8, loc="best")
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)
    return font
