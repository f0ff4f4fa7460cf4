"""The diagram page: self-contained (nothing fetched at run time), with words for screen readers."""
import re
from pathlib import Path

from graphs.catalog import CATALOG
from viz.api import load, view
from viz.dot import to_dot
from viz.interactive import WEB, diagram_html, json_for_script
from viz.render import render_svg

VENDOR = WEB / "vendor" / "svg-pan-zoom"


def _page(steps=4, frames=None):
    graph = view(load(recurrence=CATALOG["elman"].text), "unfolded", steps)
    return diagram_html(render_svg(to_dot(graph)), graph, title="unfolded", frames=frames, name="u")


def test_the_page_fetches_nothing(graphviz_dot):
    page = _page()
    assert not re.search(r"""<(script|link|img)[^>]*\b(src|href)=""", page)
    assert "svgPanZoom" in page and "Unfold.init" in page
    assert page.count("<svg") == 1 and "<?xml" not in page and "<!DOCTYPE" not in page


def test_the_vendored_library_keeps_its_licence_and_version():
    assert "Redistribution and use in source and binary forms" in (VENDOR / "LICENSE").read_text()
    assert (VENDOR / "VERSION").read_text().startswith("svg-pan-zoom 3.6.2")
    assert (VENDOR / "svg-pan-zoom.min.js").stat().st_size > 20_000


def test_screen_readers_get_the_diagram_in_words(graphviz_dot):
    page = _page()
    words = re.search(r"<p class='sr-only' id='u-words'>(.*?)</p>", page).group(1)
    assert "Unfolded over τ = 4 steps" in words and "W acts on h → h, at every step" in words
    assert "aria-describedby='u-words'" in page


def test_frames_cannot_close_their_script_element(graphviz_dot):
    page = _page(frames={"tokens": ["</script><script>alert(1)</script>"]})
    assert "alert(1)</script>" not in page
    assert json_for_script("</script>") == '"\\u003c/script>"'


def test_scripts_are_small_files_of_ours():
    for name in ("diagram.js", "viewstate.js", "player.js", "backward.js", "component.js", "theme.js", "stepper.js",
                 "mount.js"):
        assert len((WEB / name).read_text().splitlines()) <= 200
    assert Path(WEB / "diagram.css").exists()


def test_the_diagram_component_is_a_small_door_and_the_scripts_come_once():
    """The diagram component's module is sent with every new SVG: it only calls mount.js, which comes with the
    scripts' own component (its message the same on every rerun, so Streamlit sends it once per browser)."""
    from viz.interactive import component_js, scripts_js
    assert len(component_js()) < 1_000 and "UnfoldMount" in component_js()
    scripts = scripts_js()
    assert "window.UnfoldMount" in scripts and "window.UnfoldStepper" in scripts and "export default" in scripts
    assert scripts.index("UnfoldStepper =") < scripts.index("UnfoldMount =")   # mount.js uses the stepper
