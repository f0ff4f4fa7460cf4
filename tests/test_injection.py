"""User strings reach the page as text: through a shared link and every text widget, no link, image, math or
styled text is made from them. (tests/test_e2e.py checks the phishing link in a real browser.)"""
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from viz.plain import plain
from viz.share import ignored, state_from_query

APP = str(Path(__file__).parent.parent / "app.py")

INJECTIONS = [
    "input [Session expired - log in again](https://evil.example/login)\nh = 1",   # the link
    "size [Session-expired,log-in-again](https://evil.example/login) = 3\ninput x\nh = x",   # echoed whole
    "input ![x](http://127.0.0.1:8600/p.png)\nh = x",
    "input x\nh = tanh(Q_[a](https://evil.example))",
    "I am $\\bad{$ happy",
    "$" + "\\sqrt{" * 60 + "x" + "}" * 60 + "$",
    "<img src=x onerror=alert(1)> <b>bold</b>",
    ":red[styled] **bold** _em_ `code` # head ~~gone~~ :material/home:",
    "see www.evil.example or https://evil.example",
]

# What Markdown, HTML, KaTeX and Streamlit directives act on, once escaped pairs are taken out; and what GFM
# makes a link of even when it is escaped (bare URLs, e-mail addresses), once only the backslashes are.
ACTIVE = re.compile(r"\]\(|!\[|<[a-z/]|\$|:\w+\[|\*\*|~~|`|:material/")
AUTOLINK = re.compile(r"https?://|www\.|\w@\w")


def _markup(body: str):
    """The first piece of `body` that would render as markup, or None."""
    return ACTIVE.search(re.sub(r"\\.", "", body)) or AUTOLINK.search(re.sub(r"\\(.)", r"\1", body))


def _bodies(at) -> set[tuple[str, str]]:
    assert not [e.value for e in at.error if "Something went wrong" in e.value]   # the app's catch-all
    return {(kind, e.value) for kind in ("error", "warning", "info", "caption", "markdown", "success")
            for e in getattr(at, kind)}


def _assert_all_text(at, own: frozenset = frozenset()) -> None:
    """No element outside the app's own fixed texts (`own`) turns a mark into markup."""
    assert not at.exception, at.exception
    for kind, body in _bodies(at) - own:
        found = _markup(body)
        assert not found, f"{kind} makes markup of {found.group()!r}: {body[:200]}"


@pytest.mark.parametrize("text", INJECTIONS)
def test_plain_escapes_every_active_mark(text):
    assert not _markup(plain(text))
    assert plain(text).replace("\\", "").replace("\u200b", "") == text.replace("\\", "")   # nothing lost


def _linked(recurrence: str):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({"arch": "(write your own)", "recurrence": recurrence})
    return at.run()


@pytest.fixture(scope="module")
def own_link_texts():
    """What the app itself writes for an ordinary shared link (its guide, captions): its own Markdown."""
    return frozenset(_bodies(_linked("input x\nh = x")))


@pytest.mark.parametrize("text", INJECTIONS[:4] + INJECTIONS[6:])
def test_shared_link_recurrence_shows_as_text(text, own_link_texts, graphviz_dot):
    at = _linked(text)
    assert at.error, "a broken recurrence shows an error"
    _assert_all_text(at, own_link_texts)


def _pages(text: str) -> list:
    """The app after `text` is typed into each text widget in turn, one state per widget."""
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.text_area(key="source-elman").set_value(text).run()
    states = [_bodies(at)]
    at.text_area(key="source-elman").set_value("input x\nparam W, U, b\nh = tanh(W @ h[t-1] + U @ x + b)").run()
    at.radio(key="view").set_value("Run").run()
    at.text_input(key="text").set_value(text).run()
    states.append(_bodies(at))
    at.radio(key="view").set_value("Explain").run()
    at.text_input(key="first").set_value(text).run()
    states.append(_bodies(at))
    at.radio(key="topic").set_value("“2009” in any position").run()
    at.text_input(key="year_text").set_value(text).run()
    states.append(_bodies(at))
    assert not at.exception, at.exception
    return states


@pytest.fixture(scope="module")
def own_texts():
    """What the app itself writes on each page for ordinary input: its own Markdown, not the user's."""
    return [frozenset(b) for b in _pages("I am happy")]


@pytest.mark.parametrize("text", INJECTIONS)
def test_typed_strings_show_as_text_on_every_page(text, own_texts, graphviz_dot):
    for bodies, own in zip(_pages(text), own_texts):
        for kind, body in bodies - own:
            found = _markup(body)
            assert not found, f"{kind} makes markup of {found.group()!r}: {body[:200]}"


@pytest.mark.parametrize("steps", ["²", "①", "٣", "1e3", "-1", " 4", "4 ", "0", "61", "9" * 40])
def test_steps_in_a_link_are_ascii_digits_in_bounds_or_ignored_and_said(steps, graphviz_dot):
    assert "steps" not in state_from_query({"steps": steps})
    assert ignored({"steps": steps}, {}) == ["steps"]
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["steps"] = steps
    at.run()
    assert not at.exception and not at.error
    assert any("steps" in info.value for info in at.info)
    assert at.slider(key="steps").value == 4
