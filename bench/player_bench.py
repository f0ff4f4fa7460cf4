"""Frames per second of the in-page player (Debian's chromium, headless), counted with requestAnimationFrame.

    python bench/player_bench.py [--seconds 3] [--archs elman lstm] [--steps 20]

Prints, per architecture, the player's redraws per second while playing and the page's animation frames
per second over the same time (the browser's own pace: the player cannot beat it).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graphs.backends.data import from_text  # noqa: E402
from graphs.backends.session import run_sequence  # noqa: E402
from graphs.catalog import CATALOG  # noqa: E402
from viz.api import load, view  # noqa: E402
from viz.dot import to_dot  # noqa: E402
from viz.interactive import diagram_html  # noqa: E402
from viz.playback import playback  # noqa: E402
from viz.render import render_svg  # noqa: E402

WORDS = ("the cat sat on the mat and then it ran off to see a dog who was not happy at all " * 20).split()


def page_of(arch: str, steps: int) -> str:
    graph = view(load(recurrence=CATALOG[arch].text), "unfolded", steps)
    session = run_sequence(CATALOG[arch].text, from_text(" ".join(WORDS[:steps]), "word"))
    return diagram_html(render_svg(to_dot(graph)), graph, title=arch, name=arch,
                        frames=playback(graph, session.result.arrays(), list(session.tokens)))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--archs", nargs="+", default=["elman", "lstm"])
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        for arch in args.archs:
            page = browser.new_page(viewport={"width": 1400, "height": 700})
            page.set_content(page_of(arch, args.steps))
            page.wait_for_function("window.unfoldView && window.unfoldView.zoom")
            page.evaluate("""() => { window.ticks = 0; const count = () => { window.ticks++;
                                     requestAnimationFrame(count); }; requestAnimationFrame(count); }""")
            page.get_by_label("speed").select_option("slow")   # 1.2 s a step: still playing at the end
            page.get_by_role("button", name="play").click()
            start = page.evaluate("window.ticks")
            page.wait_for_timeout(args.seconds * 1000)
            ticks = page.evaluate("window.ticks") - start
            fps = page.evaluate("""() => { const s = window.unfoldView.player.stats;
                                           return 1000 * (s.renders - 1) / (s.last - s.first); }""")
            nodes = page.evaluate("window.unfoldView.timed.length")
            print(f"{arch:<6} τ = {args.steps}: {nodes} timed nodes, player {fps:5.1f} frames/s, "
                  f"page {ticks / args.seconds:5.1f} animation frames/s")
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
