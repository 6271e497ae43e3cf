"""Make scanned versions of report texts: pages rendered with a CJK font, optionally degraded like a real scan
(a slight rotation, noise, JPEG compression), saved as an image-only PDF - no text layer, as archives hold them.

Usage: python scripts/make_scans.py REPORT.txt OUT.pdf [--dpi 300] [--degrade] [--png-dir DIR]
"""

from __future__ import annotations

import argparse
import io
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONTS = ["/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"]
A4_INCHES = (8.27, 11.69)


def font_path() -> str | None:
    return next((f for f in FONTS if Path(f).exists()), None)


def render_pages(text: str, dpi: int, size_pt: float = 12.0) -> list[Image.Image]:
    """The text on A4 pages with one-inch margins, long lines wrapped at the margin."""
    width, height = int(A4_INCHES[0] * dpi), int(A4_INCHES[1] * dpi)
    font = ImageFont.truetype(font_path(), int(size_pt / 72 * dpi))
    line_height = int(size_pt / 72 * dpi * 1.6)
    pages, page, draw, y = [], None, None, height
    for paragraph in text.split("\n"):
        paragraph = paragraph.strip() or " "
        while paragraph:
            if y + line_height > height - dpi:
                page = Image.new("L", (width, height), 255)
                draw = ImageDraw.Draw(page)
                pages.append(page)
                y = dpi
            n = len(paragraph)
            while n > 1 and draw.textlength(paragraph[:n], font=font) > width - 2 * dpi:
                n -= 1
            draw.text((dpi, y), paragraph[:n], font=font, fill=0)
            paragraph = paragraph[n:]
            y += line_height
    return pages


def render_table_page(rows: list[list[str]], dpi: int, size_pt: float = 11.0) -> Image.Image:
    """A page holding one ruled table (a 绩效自评表 as printed), each cell's text on one line."""
    width, height = int(A4_INCHES[0] * dpi), int(A4_INCHES[1] * dpi)
    font = ImageFont.truetype(font_path(), int(size_pt / 72 * dpi))
    page = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    margin, row_height = dpi // 2, int(size_pt / 72 * dpi * 2.2)
    widths = [max(draw.textlength(row[c], font=font) for row in rows) + dpi // 5 for c in range(len(rows[0]))]
    y = dpi
    for row in rows:
        x = margin
        for text, w in zip(row, widths):
            draw.rectangle([x, y, x + w, y + row_height], outline=0, width=2)
            draw.text((x + dpi // 10, y + row_height // 4), text, font=font, fill=0)
            x += w
        y += row_height
    return page


def degrade(page: Image.Image, rng: random.Random) -> Image.Image:
    """A scanner's marks: turned by 1-2 degrees, speckled, blurred a little, JPEG-compressed."""
    page = page.rotate(rng.choice([-1, 1]) * rng.uniform(1, 2), fillcolor=255, expand=False)
    noise = Image.effect_noise(page.size, 24).point(lambda v: 255 if v > 60 else 180)
    page = Image.composite(page, noise, page.point(lambda v: 255 if v < 128 else 0))
    page = page.filter(ImageFilter.GaussianBlur(0.6))
    buffer = io.BytesIO()
    page.save(buffer, "JPEG", quality=55)
    return Image.open(io.BytesIO(buffer.getvalue())).convert("L")


def make_scan(
    text: str, out: Path, dpi: int = 300, degraded: bool = False, seed: int = 0, png_dir: Path | None = None
) -> list[Image.Image]:
    rng = random.Random(seed)
    pages = render_pages(text, dpi)
    if degraded:
        pages = [degrade(p, rng) for p in pages]
    pages[0].save(out, "PDF", resolution=dpi, save_all=True, append_images=pages[1:])
    if png_dir is not None:
        png_dir.mkdir(parents=True, exist_ok=True)
        for n, page in enumerate(pages, 1):
            page.save(png_dir / f"{out.stem}-p{n}.png")
    return pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--dpi", type=int, default=300)
    parser.add_argument("--degrade", action="store_true")
    parser.add_argument("--png-dir", type=Path)
    args = parser.parse_args()
    if font_path() is None:
        raise SystemExit("no CJK font found: apt-get install fonts-wqy-microhei")
    pages = make_scan(args.report.read_text(encoding="utf-8"), args.out, args.dpi, args.degrade, png_dir=args.png_dir)
    print(f"wrote {args.out}: {len(pages)} image-only page(s) at {args.dpi} dpi")


if __name__ == "__main__":
    main()
