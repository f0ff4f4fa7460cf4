"""The same students in real browsers: headless chromium, one context (a fresh profile) each.

An action counts as answered when the browser shows its result: the unfolded graph's node h@τ drawn, the Run
page's player drawn, the sentence's new word shown by the player. That is the server's rerun plus Streamlit's
front end and the diagram's own JavaScript, all of it on this machine's cores beside the server: use a few
browsers beside the protocol client, not a class of them. τ moves one step right each time (the arrow key).
"""
from __future__ import annotations

import asyncio
import time

from load_users import Plan, Step, Tally, follow

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"]


async def shown(page, selector: str, timeout: float, text: bool = False) -> None:
    """Wait until some frame of the page (the page itself, a diagram's iframe or component) has the selector
    (or, with text=True, shows that text)."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        for frame in page.frames:
            try:
                if await (frame.get_by_text(selector) if text else frame.locator(selector)).count():
                    return
            except Exception:  # noqa: BLE001 - a frame replaced while we looked: look again
                pass
        await asyncio.sleep(0.05)
    raise TimeoutError(f"{selector} not shown within {timeout:.0f} s")


async def browser_student(k: int, browser, url: str, plan: Plan, tally: Tally, barrier, timeout: float) -> None:
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await context.new_page()

    async def act(step: Step):
        start = time.perf_counter()
        if step.action == "page load":
            await page.goto(url, timeout=timeout * 1e3, wait_until="commit")
            await shown(page, "g.node[data-node='h@4']", timeout)
        elif step.action == "τ change":
            slider = page.get_by_role("slider").first
            await slider.focus()
            start = time.perf_counter()
            await slider.press("ArrowRight")
            await shown(page, f"g.node[data-node='h@{step.value}']", timeout)
        elif step.action == "switch to Run":
            await page.get_by_text("Run", exact=True).click()
            await shown(page, ".status", timeout)
        else:
            box = page.get_by_label("Sequence", exact=True)
            await box.fill(step.value)
            start = time.perf_counter()
            await box.press("Enter")
            await shown(page, step.value.split()[-1], timeout, text=True)
        return time.perf_counter() - start, True, ""   # shown() has checked the content

    await follow(f"browser {k}", plan, act, tally, barrier)
    await context.close()


async def drive_browsers(url: str, plans: list[Plan], tally: Tally, barrier, timeout: float) -> None:
    from playwright.async_api import async_playwright
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
        await asyncio.gather(*(browser_student(k, browser, url, plan, tally, barrier, timeout)
                               for k, plan in enumerate(plans)))
        await browser.close()
