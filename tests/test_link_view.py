"""The zoom of a diagram and the player's frame live in the page's URL: a shared link opens on the same view.

Real chromium against `streamlit run app.py` (the server fixture of test_e2e)."""
from urllib.parse import parse_qs, urlparse

import pytest

from test_e2e import app_url, diagram_frames, launch  # noqa: F401 - app_url is the fixture

VIEWPORT = {"width": 1400, "height": 1000}


class Diagram:
    """One diagram in the app's page (a component: the page holds its view as window.unfoldViews[name])."""

    def __init__(self, page, name: str):
        self.page, self.name = page, name

    def evaluate(self, body: str):
        """Run `body`, a function of the view: `view => ...`."""
        return self.page.evaluate(f"([name]) => ({body})(window.unfoldViews[name])", [self.name])


def frame_named(page, name: str) -> Diagram:
    """The diagram named `name` (circuit, unfolded, run), once its zoom is set up."""
    page.wait_for_function(f"!!(window.unfoldViews && window.unfoldViews['{name}'] "
                           f"&& window.unfoldViews['{name}'].zoom && window.unfoldViews['{name}'].root.isConnected)",
                           timeout=60_000)
    return Diagram(page, name)


def opened(p, url: str, diagrams: int = 2):
    """A fresh browser on `url` once its `diagrams` diagrams are drawn: (browser, page, the diagrams)."""
    browser = launch(p)
    page = browser.new_page(viewport=VIEWPORT)
    page.goto(url)
    return browser, page, diagram_frames(page, diagrams)


def zoom_and_centre(diagram) -> tuple[float, float, float]:
    return tuple(diagram.evaluate("""v => { const z = v.zoom, s = z.getSizes(), p = z.getPan();
        return [z.getZoom(), (s.width / 2 - p.x) / s.realZoom, (s.height / 2 - p.y) / s.realZoom]; }"""))


def query_of(page, key: str, timeout_ms: int = 10_000) -> str | None:
    for _ in range(timeout_ms // 250):
        values = parse_qs(urlparse(page.url).query).get(key)
        if values:
            return values[0]
        page.wait_for_timeout(250)
    return None


def test_a_zoomed_view_is_written_to_the_link_and_a_fresh_browser_restores_it(app_url):
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser, page, _ = opened(p, app_url)
        unfolded = frame_named(page, "unfolded")
        assert query_of(page, "zoom_unfolded", 1_000) is None   # fitted: nothing in the link
        unfolded.evaluate("v => { v.zoom.zoomBy(4); v.zoom.panBy({x: 80, y: -30}); }")
        written = query_of(page, "zoom_unfolded")
        assert written is not None
        zoom, x, y = zoom_and_centre(unfolded)
        assert [float(v) for v in written.split(",")] == [round(zoom, 3), round(x, 1), round(y, 1)]
        link = page.url
        page.wait_for_timeout(1_500)   # the app's own rewrites of the URL do not lose it
        assert query_of(page, "zoom_unfolded") == written

        fresh = browser.new_context(viewport=VIEWPORT).new_page()
        fresh.goto(link)
        diagram_frames(fresh, 2)
        restored = zoom_and_centre(frame_named(fresh, "unfolded"))
        assert abs(restored[0] - zoom) < 1e-2 and abs(restored[1] - x) < 1 and abs(restored[2] - y) < 1
        assert zoom_and_centre(frame_named(fresh, "circuit"))[0] == 1   # the other diagram stays fitted
        fresh.wait_for_timeout(1_500)
        assert query_of(fresh, "zoom_unfolded") == written
        browser.close()


def test_the_players_frame_is_in_the_link(app_url):
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser, page, (player,) = opened(p, app_url + "/?view=Run&frame=3", 1)
        status = player.locator(".status")
        status.filter(has_text="step 3 of 8").wait_for(timeout=30_000)
        player.get_by_role("button", name="step forward").click()
        status.filter(has_text="step 4 of 8").wait_for(timeout=10_000)
        assert query_of(page, "frame") == "4"
        fresh = browser.new_context(viewport=VIEWPORT).new_page()
        fresh.goto(page.url)
        (again,) = diagram_frames(fresh, 1)
        again.locator(".status").filter(has_text="step 4 of 8").wait_for(timeout=30_000)
        browser.close()


def test_a_bad_zoom_in_the_link_is_said_and_ignored(app_url):
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser, page, _ = opened(p, app_url + "/?zoom_unfolded=9e99,x,1&frame=-2")
        page.get_by_text("Left out from the link").wait_for(timeout=30_000)
        assert zoom_and_centre(frame_named(page, "unfolded"))[0] == 1
        browser.close()


def test_a_tau_change_keeps_the_zoom_and_the_centre_on_screen(app_url):
    """The diagram is one component kept across reruns: a new τ swaps its drawing and keeps the reader's scale."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser, page, _ = opened(p, app_url)
        unfolded = frame_named(page, "unfolded")
        unfolded.evaluate("v => { v.zoom.zoomBy(3); v.zoom.panBy({x: 120, y: 10}); }")
        scale = "v => [v.zoom.getSizes().realZoom, ...(() => { const s = v.zoom.getSizes(), p = v.zoom.getPan(); " \
                "return [(s.width / 2 - p.x) / s.realZoom, (s.height / 2 - p.y) / s.realZoom]; })()]"
        before = unfolded.evaluate(scale)
        page.evaluate("() => { window.unfoldViews.unfolded.root.dataset.old = '1'; }")
        slider = page.get_by_role("slider").first
        slider.focus()
        slider.press("ArrowRight")
        page.locator("div.unfold[data-name='unfolded'] g.node[data-node='h@5']").wait_for(timeout=30_000)
        page.wait_for_function("!window.unfoldViews.unfolded.root.dataset.old", timeout=10_000)   # the new drawing
        after = unfolded.evaluate(scale)
        assert after[0] == pytest.approx(before[0], rel=0.01)
        assert after[1] == pytest.approx(before[1], abs=1) and after[2] == pytest.approx(before[2], abs=1)
        assert page.locator("div.unfold").count() == 2   # swapped in place: still one element per diagram
        browser.close()
