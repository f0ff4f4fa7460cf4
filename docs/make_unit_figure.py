"""Regenerate docs/string-unit.png: the shipped character model's string unit colouring held-out code.

    .venv/bin/python docs/make_unit_figure.py

The unit is the one units.find_units elects; the text is the start of selectors.py (held out, its comments and
docstrings cut; the stretch of the held-out code with the most strings), coloured as the Explain page colours
it, then photographed by headless Chromium.
"""
from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from graphs.explainers import charrnn, pycorpus  # noqa: E402
from graphs.explainers.units import find_units  # noqa: E402
from viz.textcolor import coloured_html, range_for  # noqa: E402

CHROMIUM = "/usr/bin/chromium"


def main() -> None:
    from playwright.sync_api import sync_playwright
    model = charrnn.load()
    unit = find_units(model)["inside a string"]
    text = pycorpus.module_source("selectors", layout=model.layout)[:1_150]   # a tab is shown as 4 spaces
    values = model.states(text)[unit.state][:, unit.unit]
    centre, scale = range_for(values)
    page = ("<html><body style='font-family:sans-serif;margin:8px'>"
            + coloured_html(text, values, scale, f"{unit.name} (inside a string) after each character", centre)
            + "</body></html>")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        tab = browser.new_page(viewport={"width": 760, "height": 700})
        tab.set_content(page)
        tab.screenshot(path=str(HERE / "string-unit.png"))
        browser.close()


if __name__ == "__main__":
    main()
