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


def test_views_render_tau_moves_and_svg_downloads(app_url, tmp_path):
    from playwright.sync_api import sync_playwright
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
        page.goto(app_url)
        svgs = page.locator("img[src^='data:image/svg+xml']")
        svgs.nth(1).wait_for(timeout=60_000)
        assert svgs.count() >= 2   # circuit and unfolded
        unfolded_before = svgs.nth(1).get_attribute("src")
        slider = page.get_by_role("slider").first
        slider.focus()
        slider.press("ArrowRight")
        page.wait_for_function(
            "before => { const i = document.querySelectorAll(\"img[src^='data:image/svg+xml']\")[1];"
            " return i && i.src !== before; }", arg=unfolded_before, timeout=30_000)
        with page.expect_download() as info:
            page.get_by_role("button", name="SVG").nth(1).click()
        path = tmp_path / "unfolded.svg"
        info.value.save_as(path)
        root = ET.parse(path).getroot()
        titles = {t.text for t in root.iter("{http://www.w3.org/2000/svg}title")}
        assert "h@5" in titles and "h@6" not in titles   # τ moved from 4 to 5
        page.wait_for_timeout(2_000)   # let the rerun settle before the picture
        page.mouse.wheel(0, -5_000)
        page.screenshot(path=str(ARTIFACTS / "app.png"), full_page=False)
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
