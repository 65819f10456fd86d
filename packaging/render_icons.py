"""Render the application icon from its one SVG into the PNG (and .ico) files the installers need.

Run with the build's Python, which has PySide6 (QtSvg is part of PySide6-Essentials), so no
other drawing tool is needed::

    python packaging/render_icons.py OUT_DIR [--ico]

writes ``OUT_DIR/hicolor/<N>x<N>/apps/netviz.png`` for every size in :data:`SIZES` (the layout of
``/usr/share/icons/hicolor``), ``OUT_DIR/hicolor/scalable/apps/netviz.svg`` (the SVG itself) and
``OUT_DIR/netviz.png`` (512 px, the icon PyInstaller turns into .ico/.icns on Windows and macOS).
With ``--ico`` it also writes ``OUT_DIR/netviz.ico`` (several sizes, through Pillow) for the
Windows installer. Exit status 1, with the reason, when the SVG is missing or renders empty.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SVG = ROOT / "netviz" / "resources" / "icons" / "netviz.svg"
SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def render(svg: Path, size: int):  # -> QImage; PySide6 is imported late so --help needs no Qt
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"{svg}: not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    return image


def _opaque_fraction(image) -> float:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QColor

    w, h = image.width(), image.height()
    opaque = sum(1 for y in range(0, h, max(1, h // 32)) for x in range(0, w, max(1, w // 32))
                 if QColor.fromRgba(image.pixel(x, y)).alpha() > 0)
    total = len(range(0, h, max(1, h // 32))) * len(range(0, w, max(1, w // 32)))
    return opaque / total


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0 if argv else 2
    out = Path(argv[0])
    want_ico = "--ico" in argv[1:]
    if not SVG.is_file():
        print(f"render_icons: {SVG} is missing", file=sys.stderr)
        return 1
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(["render_icons"])  # noqa: F841 (fonts, plugins)
    try:
        for size in SIZES:
            image = render(SVG, size)
            if _opaque_fraction(image) < 0.5:  # the icon is a filled rounded square: mostly opaque
                print(f"render_icons: the {size}px render is (nearly) empty", file=sys.stderr)
                return 1
            dest = out / "hicolor" / f"{size}x{size}" / "apps" / "netviz.png"
            dest.parent.mkdir(parents=True, exist_ok=True)
            if not image.save(str(dest), "PNG"):
                print(f"render_icons: could not write {dest}", file=sys.stderr)
                return 1
        scalable = out / "hicolor" / "scalable" / "apps" / "netviz.svg"
        scalable.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SVG, scalable)
        shutil.copyfile(out / "hicolor" / "512x512" / "apps" / "netviz.png", out / "netviz.png")
        if want_ico:
            from PIL import Image  # Pillow: in the 'packaging' extra on Windows and macOS

            with Image.open(out / "netviz.png") as big:
                big.save(out / "netviz.ico", format="ICO", sizes=[(s, s) for s in ICO_SIZES])
    except ValueError as e:
        print(f"render_icons: {e}", file=sys.stderr)
        return 1
    print(f"render_icons: {len(SIZES)} sizes in {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
