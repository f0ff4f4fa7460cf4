"""The diagram page in a real browser (Playwright + Debian's chromium): hover, zoom, tooltips, the player."""
import pytest

from conftest import require_program
from graphs.backends.bptt import gradient_norms
from graphs.backends.data import from_text
from graphs.backends.session import inputs_for, run_sequence
from graphs.catalog import CATALOG
from viz.api import load, view
from viz.dot import to_dot
from viz.interactive import diagram_html
from viz.playback import backward, playback
from viz.render import render_svg

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"]
WORDS = "the cat sat on the mat and then it ran off to see a dog who was not happy at all"


def page_of(arch: str, steps: int, play: bool = False, back: bool = False) -> str:
    graph = view(load(recurrence=CATALOG[arch].text), "unfolded", steps)
    frames = None
    if play:
        sequence = from_text(" ".join(WORDS.split()[:steps]), "word")
        session = run_sequence(CATALOG[arch].text, sequence)
        frames = playback(graph, session.result.arrays(), list(session.tokens))
        if back:
            norms = gradient_norms(session.graph, inputs_for(session.graph, sequence), session.result.params,
                                   loss="L", state="h", at_step=steps - 1)
            frames["backward"] = backward("h", norms, steps - 1)
    return diagram_html(render_svg(to_dot(graph)), graph, title=f"{arch} unfolded", frames=frames, name=arch)


@pytest.fixture(scope="module")
def browser():
    require_program("chromium")
    require_program("dot")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def open_page(browser, html: str, width: int = 900, height: int = 460):
    page = browser.new_page(viewport={"width": width, "height": height})
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.set_content(html)
    page.wait_for_function("window.unfoldView && window.unfoldView.zoom")
    return page, errors


def lit(page) -> list[str]:
    return page.eval_on_selector_all(
        "g.lit", "els => els.map(g => g.dataset.node || (g.dataset.src ? g.dataset.src + '>' + g.dataset.dst : 'label:' + g.dataset.params))")


def test_hovering_w_lights_every_w_edge_and_nothing_else(browser):
    page, errors = open_page(browser, page_of("elman", 6))
    page.locator("g.node:not([data-node])[data-params='W']").first.hover()
    shown = lit(page)
    w_edges = ["h[0]>h@1"] + [f"h@{t - 1}>h@{t}" for t in range(2, 7)]
    assert sorted(s for s in shown if ">" in s) == sorted(w_edges)
    assert sorted(s for s in shown if ">" not in s) == ["label:W"] * 6   # the six W labels, no node
    assert not errors


def test_hovering_h3_lights_what_it_depends_on(browser):
    page, errors = open_page(browser, page_of("elman", 6))
    page.locator("g.node[data-node='h@3']").hover()
    nodes = sorted(s for s in lit(page) if ">" not in s and not s.startswith("label:"))
    assert nodes == sorted(["x@1", "x@2", "x@3", "h[0]", "h@1", "h@2"])
    assert page.eval_on_selector_all("g.focus", "els => els.map(g => g.dataset.node)") == ["h@3"]
    page.mouse.move(2, 2)
    assert lit(page) == [] and not errors


def font_pixels(page, node: str) -> float:
    """The label's font size on screen, in CSS pixels."""
    return page.eval_on_selector(f"g.node[data-node='{node}'] text",
                                 "t => t.getScreenCTM().a * parseFloat(t.getAttribute('font-size'))")


@pytest.mark.parametrize("arch", ["elman", "lstm"])
def test_zooming_in_four_times_makes_labels_readable(browser, arch):
    page, errors = open_page(browser, page_of(arch, 6))
    before = font_pixels(page, "h@1")
    page.evaluate("window.unfoldView.zoom.zoomBy(4)")
    after = font_pixels(page, "h@1")
    assert after == pytest.approx(4 * before, rel=0.02) and after >= 12
    page.get_by_role("button", name="fit the whole drawing").click()
    assert font_pixels(page, "h@1") == pytest.approx(before, rel=0.02)
    assert not errors


def test_tooltip_shows_the_whole_vector_and_tokens_label_the_inputs(browser):
    page, errors = open_page(browser, page_of("elman", 6, play=True))
    page.locator("g.node[data-node='h@2']").hover()
    tip = page.locator(".tip").inner_text()
    assert tip.startswith("h(2) = [") and tip.count(",") == 7   # 8 hidden units, every one shown
    tokens = page.eval_on_selector_all("text.token", "els => els.map(t => t.textContent)")
    assert tokens == [f"“{w}”" for w in WORDS.split()[:6]]
    assert not errors


def test_step_and_scrub_grey_the_steps_not_yet_computed(browser):
    page, errors = open_page(browser, page_of("elman", 6, play=True))
    muted = "() => Array.from(document.querySelectorAll('g.muted')).map(g => g.dataset.node).filter(Boolean)"
    assert page.evaluate(muted) == []   # the last frame: everything computed
    page.locator("input[type=range]").fill("2")
    greyed = page.evaluate(muted)
    assert "h@3" in greyed and "x@6" in greyed and "h@2" not in greyed and "h@1" not in greyed
    page.get_by_role("button", name="step forward").click()
    assert "h@3" not in page.evaluate(muted) and "h@4" in page.evaluate(muted)
    assert page.locator(".status").inner_text() == "step 3 of 6: “sat”"
    assert not errors


@pytest.mark.parametrize("arch", ["elman", "lstm"])
def test_playing_runs_at_30_frames_per_second_or_more(browser, arch):
    page, errors = open_page(browser, page_of(arch, 20, play=True), width=1400, height=700)
    page.evaluate("""() => { window.ticks = 0; const count = () => { window.ticks++; requestAnimationFrame(count); };
                             requestAnimationFrame(count); }""")
    page.get_by_role("button", name="play").click()
    page.wait_for_timeout(2_000)
    fps = page.evaluate("""() => { const s = window.unfoldView.player.stats;
                                   return 1000 * (s.renders - 1) / (s.last - s.first); }""")
    ticks = page.evaluate("window.ticks")
    print(f"{arch}: player {fps:.1f} frames/s, page {ticks / 2:.1f} animation frames/s")
    assert fps >= 30
    assert page.evaluate("window.unfoldView.player.isPlaying()")   # still playing: 20 steps take 12 s
    assert not errors


def test_wheel_zooms_drag_pans_and_full_screen_opens(browser):
    page, errors = open_page(browser, page_of("elman", 6))
    before = font_pixels(page, "h@1")
    box = page.locator(".stage").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, -300)
    page.wait_for_timeout(200)
    assert font_pixels(page, "h@1") > 1.2 * before
    pan = "() => { const p = window.unfoldView.zoom.getPan(); return [p.x, p.y]; }"
    start = page.evaluate(pan)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 + 80, box["y"] + box["height"] / 2 + 30, steps=5)
    page.mouse.up()
    moved = page.evaluate(pan)
    assert moved[0] - start[0] == pytest.approx(80, abs=2) and moved[1] - start[1] == pytest.approx(30, abs=2)
    page.get_by_role("button", name="full screen").click()
    page.wait_for_function("document.fullscreenElement === document.querySelector('.unfold')")
    assert not errors


def test_the_backward_pass_thins_from_the_last_loss_back_to_step_one(browser):
    page, errors = open_page(browser, page_of("elman", 8, play=True, back=True), width=1200, height=540)
    page.get_by_role("button", name="backward").click()
    page.wait_for_function("!window.unfoldView.backward.isRunning()", timeout=20_000)
    assert page.locator(".status").inner_text().startswith("∂L(7)/∂h(t) flowing back: t = 1, ‖·‖ = ")
    width = "id => parseFloat(document.querySelector(`g.node[data-node='${id}'] ellipse`).style.strokeWidth || 0)"
    widths = [page.evaluate(width, f"h@{t}") for t in range(1, 9)]
    assert widths[:7] == sorted(widths[:7]) and widths[0] < widths[6]   # ‖∂L(7)/∂h(t)‖ grows towards t = 7
    assert widths[7] == 0   # h(8) comes after the loss: no gradient
    edge = "() => document.querySelector(`g.edge[data-src='h@6'][data-dst='h@7'] path`).style.strokeWidth"
    assert float(page.evaluate(edge)) == pytest.approx(widths[6])
    page.get_by_role("button", name="play").click()   # back to the forward pass: the overlay goes
    assert page.evaluate(width, "h@7") == 0
    assert not errors
