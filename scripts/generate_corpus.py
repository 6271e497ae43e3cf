"""Generate realistic reports for benchmarks and notebooks: the seed's layout, other departments and years.

Each report keeps the seed's wording and structure; its budget figures are drawn per department and year and
stated consistently (rates and shares computed from the amounts), so comparisons across departments and years
show real variation. Options add longer prose or bigger indicator tables for benchmarking.

Usage: python scripts/generate_corpus.py OUT [--departments 6] [--years 2019-2023] [--formats txt,docx]
"""

from __future__ import annotations

import argparse
import random
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from make_seed_docx import build  # noqa: E402  (the seed's own .docx writer)

ROOT = Path(__file__).resolve().parent.parent
SEED_DEPARTMENT = "雁峰区重点建设项目事务中心"
DEPARTMENTS = [
    "雁峰区重点建设项目事务中心",
    "雁峰区财政局",
    "雁峰区教育局",
    "雁峰区卫生健康局",
    "珠晖区城市管理局",
    "石鼓区民政局",
    "蒸湘区自然资源局",
    "南岳区文化旅游局",
]
CENT = Decimal("0.01")


def _money(low: int, high: int, rng: random.Random) -> Decimal:
    return Decimal(rng.randint(low * 100, high * 100)) / 100


def _rate(part: Decimal, whole: Decimal) -> Decimal:
    return (part / whole * 100).quantize(CENT, ROUND_HALF_UP)


def _percent(value: Decimal) -> str:
    return f"{value.normalize():f}%"


def make_report(department: str, year: int, rng: random.Random, extra_prose: int = 0, extra_indicators: int = 0) -> str:
    """One report text in the seed's layout for `department` and `year`."""
    text = (ROOT / "corpus" / "seed.txt").read_text(encoding="utf-8")
    basic_planned = _money(60, 400, rng)
    basic_actual = (basic_planned * Decimal(rng.uniform(0.8, 1.25))).quantize(CENT)
    personnel = (basic_actual * Decimal(rng.uniform(0.8, 0.95))).quantize(CENT)
    public = basic_actual - personnel
    project_planned = _money(800, 20000, rng)
    project_actual = (project_planned * Decimal(rng.uniform(0.7, 1.0))).quantize(CENT)
    total_planned, total_actual = basic_planned + project_planned, basic_actual + project_actual
    total_rate = _rate(total_actual, total_planned)
    rate_score = 10 if total_rate >= 95 else 9 if total_rate >= 85 else 7
    staff = rng.randint(5, 60)
    replacements = [
        (
            "2023年基本支出预算安排98.56万元，实际支出135.79万元，完成预算安排的133.77%。人员经费支出127.94万元，"
            "占基本支出的94.22%；日常公用经费支出7.85万元，占基本支出的5.78%。",
            f"{year}年基本支出预算安排{basic_planned}万元，实际支出{basic_actual}万元，完成预算安排的"
            f"{_percent(_rate(basic_actual, basic_planned))}。人员经费支出{personnel}万元，占基本支出的"
            f"{_percent(_rate(personnel, basic_actual))}；日常公用经费支出{public}万元，占基本支出的"
            f"{_percent(_rate(public, basic_actual))}。",
        ),
        (
            "项目全年预算安排12873.13万元，实际支出12873.13万元，完成预算安排的100%。",
            f"项目全年预算安排{project_planned}万元，实际支出{project_actual}万元，完成预算安排的"
            f"{_percent(_rate(project_actual, project_planned))}。",
        ),
        (
            "财政拨款全年预算数13008.93万元，全年执行数13008.93万元，预算执行率100%。",
            f"财政拨款全年预算数{total_planned}万元，全年执行数{total_actual}万元，预算执行率{_percent(total_rate)}。",
        ),
        (
            "(一)预算执行率(分值10分，得9分，扣1分)",
            f"(一)预算执行率(分值10分，得{rate_score}分，扣{10 - rate_score}分)",
        ),
        ("部门整体支出绩效得分99分", f"部门整体支出绩效得分{rate_score + 90}分"),
        ("在职人员9人", f"在职人员{staff}人"),
        (SEED_DEPARTMENT, department),
        ("2023", str(year)),
    ]
    for old, new in replacements:
        text = text.replace(old, new)
    if extra_prose:
        duties = [line for line in text.split("\n") if line.startswith("（") and "。" in line]
        text = text.replace(duties[-1], "\n".join([duties[-1]] + duties * extra_prose))
    if extra_indicators:
        items = "\n".join(
            f"{5 + i}、辅助指标{i + 1}，年度指标值：≥90%，实际完成值：{rng.randint(85, 100)}%，分值1分，得分1分。"
            for i in range(extra_indicators)
        )
        text = text.replace(" (三)效益指标", items + "\n (三)效益指标")
    return text


def write_corpus(
    out: Path,
    departments: list[str],
    years: list[int],
    formats: list[str],
    seed: int = 0,
    extra_prose: int = 0,
    extra_indicators: int = 0,
) -> list[Path]:
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for department in departments:
        for year in years:
            text = make_report(department, year, rng, extra_prose, extra_indicators)
            stem = out / f"{department}_{year}_部门整体支出绩效自评报告"
            if "txt" in formats:
                stem.with_suffix(".txt").write_text(text, encoding="utf-8")
                written.append(stem.with_suffix(".txt"))
            if "docx" in formats:
                build(text.split("\n")).save(stem.with_suffix(".docx"))
                written.append(stem.with_suffix(".docx"))
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--departments", type=int, default=6)
    parser.add_argument("--years", default="2019-2023", help="first-last")
    parser.add_argument("--formats", default="txt,docx")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    first, last = map(int, args.years.split("-"))
    files = write_corpus(
        args.out, DEPARTMENTS[: args.departments], list(range(first, last + 1)), args.formats.split(","), args.seed
    )
    print(f"wrote {len(files)} reports to {args.out}")


if __name__ == "__main__":
    main()
