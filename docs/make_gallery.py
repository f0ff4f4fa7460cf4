"""Regenerate docs/gallery.md: every catalog architecture's circuit and unfolded view (τ = 4), as SVG.

    python3 docs/make_gallery.py
"""
from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from graphs.catalog import CATALOG  # noqa: E402
from viz.api import diagram  # noqa: E402
from viz.legend import legend_svg  # noqa: E402

STEPS = 4


def main() -> None:
    folder = HERE / "gallery"
    folder.mkdir(exist_ok=True)
    lines = ["# Gallery", "",
             "Every architecture of the catalog as a circuit (the black square is the one-step delay) and "
             f"unfolded over τ = {STEPS} steps. Regenerate with `python3 docs/make_gallery.py`.", "",
             "![key: the kinds of node](gallery/key.svg)", ""]
    (folder / "key.svg").write_text(legend_svg())
    for arch in CATALOG.values():
        lines += [f"## {arch.name} ({arch.figure})", "", arch.title, "", "```text", arch.text.rstrip(), "```", "",
                  "| circuit | unfolded |", "|---|---|"]
        cells = []
        for view in ("circuit", "unfolded"):
            name = f"{arch.name}-{view}.svg"
            diagram(arch.name, view, STEPS).save(folder / name)
            cells.append(f"![{arch.name} {view}](gallery/{name})")
        lines += ["| " + " | ".join(cells) + " |", ""]
    (HERE / "gallery.md").write_text("\n".join(lines))
    print(f"wrote {HERE / 'gallery.md'} and {2 * len(CATALOG)} drawings in {folder}")


if __name__ == "__main__":
    main()
