"""The zoom of a diagram and the player's frame live in the page's URL: a shared link opens on the same view.

Real chromium against `streamlit run app.py` (the server fixture of test_e2e)."""
from urllib.parse import parse_qs, urlparse

from test_e2e import app_url, diagram_frames, launch  # noqa: F401 - app_url is the fixture

VIEWPORT = {"width": 1400, "height": 1000}


def frame_named(page, name: str):
    """The diagram iframe whose page is `name` (circuit, unfolded, run), once its zoom is set up."""
    for _ in range(240):
        for frame in page.frames:
            try:
                if frame.evaluate(f"!!(window.unfoldView && window.unfoldView.zoom "
                                  f"&& window.unfoldView.root.dataset.name === '{name}')"):
                    return frame
            except Exception:  # noqa: BLE001 - a frame still loading or gone: look again
                pass
        page.wait_for_timeout(250)
    raise AssertionError(f"no '{name}' diagram on the page")


def zoom_and_centre(frame) -> tuple[float, float, float]:
    return tuple(frame.evaluate("""() => { const z = window.unfoldView.zoom, s = z.getSizes(), p = z.getPan();
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
        browser = launch(p)
        page = browser.new_page(viewport=VIEWPORT)
        page.goto(app_url)
        diagram_frames(page, 2)
        unfolded = frame_named(page, "unfolded")
        assert query_of(page, "zoom_unfolded", 1_000) is None   # fitted: nothing in the link
        unfolded.evaluate("() => { window.unfoldView.zoom.zoomBy(4); window.unfoldView.zoom.panBy({x: 80, y: -30}); }")
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
        browser = launch(p)
        page = browser.new_page(viewport=VIEWPORT)
        page.goto(app_url + "/?view=Run&frame=3")
        (player,) = diagram_frames(page, 1)
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
        browser = launch(p)
        page = browser.new_page(viewport=VIEWPORT)
        page.goto(app_url + "/?zoom_unfolded=9e99,x,1&frame=-2")
        diagram_frames(page, 2)
        page.get_by_text("Left out from the link").wait_for(timeout=30_000)
        assert zoom_and_centre(frame_named(page, "unfolded"))[0] == 1
        browser.close()
