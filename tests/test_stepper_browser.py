"""The unfolded diagram's own τ stepper (viz/web/stepper.js) in a real browser: a step swaps in the drawing the
server sent ahead, at once and without a request, then the slider, the link and g(t) follow.

Real chromium against `streamlit run app.py` (the server fixture of test_e2e)."""
from urllib.parse import parse_qs, urlparse

import pytest

from test_e2e import app_url  # noqa: F401 - the fixture
from test_link_view import frame_named, opened

AT_HAND = "([tau]) => { const slot = window.unfoldViews.unfolded.root.parentNode.__unfold; " \
          "return !!(slot && slot.stepper && slot.stepper.cache[tau]); }"
SCALE = "v => { const s = v.zoom.getSizes(), p = v.zoom.getPan(); " \
        "return [s.realZoom, (s.width / 2 - p.x) / s.realZoom, (s.height / 2 - p.y) / s.realZoom]; }"


def followed(page, tau: int) -> None:
    """The server took the step: the sidebar slider, the link and g(t) show τ."""
    slider = page.get_by_role("slider").first
    for _ in range(120):
        if slider.input_value() == str(tau):
            break
        page.wait_for_timeout(250)
    assert slider.input_value() == str(tau)
    page.wait_for_function("([tau]) => location.search.includes('steps=' + tau)", arg=[tau], timeout=10_000)
    assert parse_qs(urlparse(page.url).query)["steps"] == [str(tau)]
    page.locator("p.gt").filter(has_text=f"h({tau}) =").wait_for(timeout=10_000)


def test_a_step_swaps_in_the_next_drawing_at_once_and_the_slider_and_link_follow(app_url):
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser, page, _ = opened(p, app_url)
        unfolded = frame_named(page, "unfolded")
        page.wait_for_function(AT_HAND, arg=[5], timeout=30_000)   # τ + 1 was sent ahead (asked for after the load)
        unfolded.evaluate("v => { v.zoom.zoomBy(3); v.zoom.panBy({x: 120, y: 10}); }")
        before = unfolded.evaluate(SCALE)
        # swapped in the browser: the new drawing is in the page when the click's handler returns, in the same
        # task, so before anything could come back from the server
        assert unfolded.evaluate("""v => { v.root.querySelector("button[aria-label^='one step more']").click();
            return !!window.unfoldViews.unfolded.root.querySelector("g.node[data-node='h@5']"); }""") is True
        assert page.evaluate("window.unfoldLastStep.instant") is True
        after = unfolded.evaluate(SCALE)
        assert after[0] == pytest.approx(before[0], rel=0.01)   # the reader's zoom and centre are kept
        assert after[1] == pytest.approx(before[1], abs=1) and after[2] == pytest.approx(before[2], abs=1)
        assert page.locator("div.unfold[data-name='unfolded'] .bar .status").inner_text() == "τ = 5"
        followed(page, 5)
        # ← on the focused diagram steps back; the drawing of τ = 4 was kept in the browser
        page.locator("div.unfold[data-name='unfolded']").focus()
        page.keyboard.press("ArrowLeft")
        page.locator("div.unfold[data-name='unfolded'] g.node[data-node='h@5']").wait_for(state="detached",
                                                                                           timeout=2_000)
        assert page.evaluate("window.unfoldLastStep")["instant"] is True
        followed(page, 4)
        assert page.locator("div.unfold").count() == 2   # swapped in place: one element per diagram
        browser.close()


def test_the_slider_still_moves_the_drawing_and_the_stepper_follows_it(app_url):
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser, page, _ = opened(p, app_url + "/?steps=2")
        slider = page.get_by_role("slider").first
        slider.focus()
        slider.press("ArrowLeft")
        page.locator("div.unfold[data-name='unfolded'] g.node[data-node='h@2']").wait_for(state="detached",
                                                                                           timeout=30_000)
        bar = page.locator("div.unfold[data-name='unfolded'] .bar")
        assert bar.locator(".status").inner_text() == "τ = 1"
        assert bar.get_by_role("button", name="one step fewer (←)").is_disabled()   # τ = 1 is the least
        bar.get_by_role("button", name="one step more (→)").click()
        page.locator("div.unfold[data-name='unfolded'] g.node[data-node='h@2']").wait_for(timeout=30_000)
        followed(page, 2)
        browser.close()


def test_a_slider_step_to_a_drawing_at_hand_is_swapped_in_by_the_browser(app_url):
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser, page, _ = opened(p, app_url)
        page.wait_for_function(AT_HAND, arg=[5], timeout=30_000)   # τ + 1 was sent ahead
        slider = page.get_by_role("slider").first
        slider.focus()
        slider.press("ArrowRight")
        page.locator("div.unfold[data-name='unfolded'] g.node[data-node='h@5']").wait_for(timeout=30_000)
        # the swap came from the page's own copy, as the slider moved: the server's rerun sets no such mark
        assert page.evaluate("window.unfoldLastStep") | {"at": 0} == {"tau": 5, "at": 0, "instant": True,
                                                                         "by": "slider"}
        followed(page, 5)
        assert page.locator("div.unfold[data-name='unfolded'] .bar .status").inner_text() == "τ = 5"
        browser.close()


def test_a_rerun_that_left_the_server_before_the_step_does_not_take_the_drawing_back(app_url):
    """The server's rerun for τ = 4 can arrive after the reader stepped to 5 (it left before the step reached the
    server, e.g. the warm-up's rerun on a loaded machine): replayed here, it must keep τ = 5 and its drawing."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser, page, _ = opened(p, app_url)
        unfolded = frame_named(page, "unfolded")
        page.wait_for_function(AT_HAND, arg=[5], timeout=30_000)
        kept = unfolded.evaluate("""v => { const slot = v.root.parentNode.__unfold;
            const stale = {parentElement: slot.host, data: slot.component.data,
                           setTriggerValue: () => {}};   // the rerun as it was sent for τ = 4
            v.root.querySelector("button[aria-label^='one step more']").click();
            window.UnfoldMount.mount(stale);
            const now = window.unfoldViews.unfolded.root;
            return [!!now.querySelector("g.node[data-node='h@5']"), now.querySelector(".bar .status").textContent,
                    slot.stepper.tau]; }""")
        assert kept == [True, "τ = 5", 5]
        followed(page, 5)   # the server's own answer then arrives, and agrees
        assert page.locator("div.unfold[data-name='unfolded'] .bar .status").inner_text() == "τ = 5"
        browser.close()
