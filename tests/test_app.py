from pathlib import Path

from streamlit.testing.v1 import AppTest



def _app():
    at = AppTest.from_file(str(Path(__file__).parent.parent / "app.py"), default_timeout=60)
    return at.run()


def test_default_page_shows_both_views_and_g_of_t(graphviz_dot):
    at = _app()
    assert not at.exception and not at.error
    assert [h.value for h in at.subheader] == ["Circuit", "Unfolded"]
    assert at.latex and "tanh" in at.latex[0].value


def test_tau_slider_changes_the_unfolded_view(graphviz_dot):
    at = _app()
    before = at.latex[0].value
    at.slider(key="steps").set_value(2).run()
    assert not at.exception
    assert at.latex[0].value != before and "h^{(2)}" in at.latex[0].value


def test_bad_recurrence_shows_an_error_not_a_traceback(graphviz_dot):
    at = _app()
    at.text_area(key="source-elman").set_value("h = __import__('os')").run()
    assert not at.exception
    assert at.error and "line 1" in at.error[0].value
