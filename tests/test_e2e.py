"""The app in a real browser: Debian's chromium driven by Playwright against `streamlit run app.py`."""
import socket
import subprocess
import sys
import time
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import require_program

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def app_url():
    require_program("chromium")
    require_program("dot")
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
         "--server.headless", "true", "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url + "/_stcore/health", timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    else:
        server.kill()
        pytest.fail("streamlit did not start within 60 s")
    yield url
    server.terminate()
    server.wait(timeout=10)


def diagram_frames(page, count: int):
    """The app's interactive diagrams (components in the page, each in its own shadow root, which Playwright's
    locators reach into), once each has drawn its SVG."""
    frames = []
    for k in range(count):
        frame = page.locator("div.unfold").nth(k)
        frame.locator("svg g.node").first.wait_for(timeout=60_000)
        frames.append(frame)
    return frames


def launch(p):
    return p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)


def test_views_render_tau_moves_and_svg_downloads(app_url, tmp_path):
    from playwright.sync_api import sync_playwright
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
        page.goto(app_url)
        circuit, unfolded = diagram_frames(page, 2)
        assert circuit.locator("g.node[data-node='h']").count() == 1
        assert unfolded.locator("g.node[data-node='h@4']").count() == 1
        slider = page.get_by_role("slider").first
        slider.focus()
        slider.press("ArrowRight")
        page.locator("div.unfold").nth(1).locator("g.node[data-node='h@5']").wait_for(timeout=30_000)
        # the download buttons come after the diagram in the same rerun: wait for the rerun to end, or a loaded
        # machine clicks the previous τ's button
        page.wait_for_function("!document.querySelector('[data-testid=stStatusWidget]')", timeout=60_000)
        with page.expect_download() as info:
            page.get_by_role("button", name="SVG").nth(1).click()
        path = tmp_path / "unfolded.svg"
        info.value.save_as(path)
        root = ET.parse(path).getroot()
        titles = {t.text for t in root.iter("{http://www.w3.org/2000/svg}title")}
        assert "h@5" in titles and "h@6" not in titles   # τ moved from 4 to 5
        with page.expect_download() as info:   # rendered when clicked (a callable), in one click
            page.get_by_role("button", name="PNG").nth(1).click()
        assert Path(info.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        page.wait_for_timeout(1_000)   # let the rerun settle before the picture
        page.screenshot(path=str(ARTIFACTS / "app.png"), full_page=False)
        browser.close()


def test_hover_in_the_circuit_lights_the_copies_in_the_unfolded_graph(app_url):
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(app_url)
        circuit, unfolded = diagram_frames(page, 2)
        circuit.locator("g.node[data-node='h']").hover()
        copies = unfolded.locator("g.copy")
        copies.first.wait_for(timeout=5_000)
        assert sorted(copies.evaluate_all("els => els.map(g => g.dataset.node)")) == [f"h@{t}" for t in range(1, 5)]
        browser.close()


def test_play_in_the_browser_sends_nothing_to_the_server(app_url):
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        sent, requests = [], []
        page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(payload)))
        page.goto(app_url + "/?view=Run")
        (player,) = diagram_frames(page, 1)
        # the whole page first (heatmap, unit lines, gradient plot and their scripts), so what follows is the player's
        page.wait_for_function("document.querySelectorAll('[data-testid=stVegaLiteChart] canvas, "
                               "[data-testid=stVegaLiteChart] svg').length >= 3", timeout=120_000)   # drawn charts
        loaded = []   # then two quiet seconds: no script or image still loading (the websocket stays open)
        page.on("request", lambda r: loaded.append(time.time()))
        settled, deadline = time.time(), time.time() + 60
        while time.time() < deadline and time.time() - max(loaded[-1:] + [settled]) < 2:
            page.wait_for_timeout(250)
        page.on("request", lambda r: requests.append(r.url))
        before = len(sent)
        status = player.locator(".status")
        status.evaluate("""s => { window.seen = []; new MutationObserver(() => window.seen.push(s.textContent))
                                     .observe(s, {childList: true, characterData: true, subtree: true}); }""")
        player.get_by_label("speed").select_option("slow")
        player.get_by_role("button", name="play").click()
        player.get_by_role("button", name="pause").wait_for(timeout=10_000)
        player.get_by_role("button", name="play").wait_for(timeout=60_000)   # played to the end
        seen = [int(text.split()[1]) for text in status.evaluate("s => window.seen")]
        # steps in order to the end (a loaded machine may skip one: the player keeps to the clock)
        assert seen[0] <= 1 and seen[-1] == 8 and seen == sorted(set(seen)) and len(seen) >= 6
        assert len(sent) == before and requests == []   # and not one message to the server
        player.evaluate("e => e.scrollIntoView({block: 'center'})")
        page.mouse.move(5, 5)   # away from the drawing: no hover highlight in the picture
        player.get_by_role("button", name="step back").click()
        page.mouse.move(5, 5)
        page.wait_for_timeout(300)
        page.screenshot(path=str(ARTIFACTS / "run.png"))
        browser.close()


PAGES = {"build": "", "run": "/?view=Run", "explain": "/?view=Explain"}


@pytest.mark.parametrize("width, scheme", [(1400, "light"), (800, "light"), (1400, "dark")])
def test_screenshots_of_every_page(app_url, width, scheme):
    from playwright.sync_api import sync_playwright
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = launch(p)
        # tall: Streamlit scrolls inside its own container, so a full-page shot is one viewport
        context = browser.new_context(viewport={"width": width, "height": 2000}, color_scheme=scheme)
        for name, path in PAGES.items():
            page = context.new_page()
            page.goto(app_url + path)
            if name != "explain":
                frames = diagram_frames(page, 2 if name == "build" else 1)
                dark = frames[0].evaluate("e => e.classList.contains('dark')")
                assert dark == (scheme == "dark")   # the diagrams follow the page's theme
            else:
                page.get_by_text("Recurrent net").first.wait_for(timeout=60_000)
            page.wait_for_timeout(1_000)
            page.screenshot(path=str(ARTIFACTS / f"{name}-{width}-{scheme}.png"), full_page=True)
            page.close()
        browser.close()


def test_a_shared_link_cannot_put_a_link_or_an_image_on_the_page(app_url):
    """The issue's phishing link and tracking image, through the URL, in Chromium: shown as text only."""
    from urllib.parse import quote, urlparse

    from playwright.sync_api import sync_playwright
    link = "size [Session-expired](https://evil.example/login) = 3\ninput x\nh = x"
    image = "input ![x](http://127.0.0.1:8600/p.png)\nh = x"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page()
        fetched = []
        page.on("request", lambda request: fetched.append(request.url))
        for text, shown in ((link, "[Session-expired](https://evil.example/login)"), (image, "![x](http")):
            page.goto(f"{app_url}/?arch={quote('(write your own)')}&recurrence={quote(text)}")
            page.get_by_text(shown).first.wait_for(timeout=60_000)   # the user's text, literally
            assert page.locator("a[href*='evil.example'], img[src*='8600']").count() == 0
        browser.close()
    assert not [url for url in fetched if urlparse(url).netloc in ("127.0.0.1:8600", "evil.example")]
