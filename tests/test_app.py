from pathlib import Path

from streamlit.testing.v1 import AppTest



def _app(view: str = "Build"):
    at = AppTest.from_file(str(Path(__file__).parent.parent / "app.py"), default_timeout=60).run()
    if view != "Build":
        at.radio(key="view").set_value(view).run()
    return at


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
    at.text_area(key="source-elman").set_value("input x\nh = tanh(Q @ x)").run()
    assert not at.exception
    assert at.error and "line 2, col 10" in at.error[0].value
    assert at.code[0].value.splitlines()[1:] == ["> 2 | h = tanh(Q @ x)", "    |          ^"]


def _svg_images(at) -> list[str]:
    import base64
    urls = [img.proto.imgs[0].url for img in at.get("image")]
    return [base64.b64decode(u.split(",", 1)[1]).decode() for u in urls if u.startswith("data:image/svg+xml")]


def test_run_tab_shows_frames_heatmap_and_gradients(graphviz_dot):
    at = _app("Run")
    assert at.slider(key="frame").value == 8   # "I am not sad, I'm happy." has 8 tokens
    images = _svg_images(at)
    assert len(images) == 4   # frame, heatmap, unit lines, gradient norms
    frame_before = images[0]
    assert "h(8) = [" in frame_before   # the last frame carries every step's vector in its tooltips
    at.slider(key="frame").set_value(3).run()
    assert not at.exception
    frame_after = _svg_images(at)[0]
    assert frame_after != frame_before and "step 3 of 8" in frame_after


def test_empty_sequence_is_an_error_in_the_page(graphviz_dot):
    at = _app("Run")
    at.text_input(key="text").set_value("").run()
    assert not at.exception
    assert any("no tokens" in e.value for e in at.error)


def test_backends_switch_without_error(graphviz_dot):
    at = _app("Run")
    at.radio(key="backend").set_value("torch").run()
    assert not at.exception and not at.error


def test_state_comes_from_and_goes_to_the_url(graphviz_dot):
    at = AppTest.from_file(str(Path(__file__).parent.parent / "app.py"), default_timeout=60)
    at.query_params.update({"arch": "lstm", "steps": "6", "text": "hello there", "view": "Run"})
    at.run()
    assert not at.exception and not at.error
    assert at.selectbox(key="arch").value == "lstm" and at.slider(key="steps").value == 6
    assert at.text_input(key="text").value == "hello there" and at.radio(key="view").value == "Run"
    at.slider(key="steps").set_value(3).run()
    assert at.query_params["steps"] == "3" and at.query_params["arch"] == "lstm"


def test_explain_order_matters_shows_both_models(graphviz_dot):
    at = _app("Explain")
    metrics = {(m.label, m.value) for m in at.metric}
    assert ("Recurrent net", "positive") in metrics and ("Recurrent net", "negative") in metrics
    bag = [m for m in at.metric if m.label == "Bag of words"]
    assert len(bag) == 2 and bag[0].value == bag[1].value   # the same words: the same score
    steps = [m.value for m in at.markdown if m.value.startswith("**Step by step.**")]
    assert steps == ["**Step by step.** The hidden states part at step 3; the verdicts part for good at step 8."]
    at.text_input(key="first").set_value("").run()
    assert not at.exception and any("at least one word" in e.value for e in at.error)


def test_explain_year_and_character_pages(graphviz_dot):
    at = _app("Explain")
    at.radio(key="topic").set_value("“2009” in any position").run()
    assert not at.exception and at.table
    at.text_input(key="year_text").set_value("In 2009, I went to Nepal").run()
    words = at.table[0].value["word"].tolist()
    shared = [float(p) for p in at.table[0].value["P(year), shared weights"]]
    assert words[:3] == ["In", "2009", ","] and shared[1] >= 0.9
    at.radio(key="topic").set_value("Character RNN").run()
    assert not at.exception and at.code and at.code[0].value.startswith("def ")
    at.slider(key="temperature").set_value(1.2).run()
    assert not at.exception
    choices = at.radio(key="unit_choice").options
    assert [c.split(":")[0] for c in choices] == ["inside a string", "bracket depth", "indentation", "any unit"]
    coloured = [h for h in at.get("html") if "after each character" in h.proto.body]
    string_unit = choices[0].split(": ")[1]          # e.g. "h[4]"
    assert len(coloured) == 1 and f"{string_unit} after each character" in coloured[0].proto.body
    at.radio(key="unit_choice").set_value("any unit").run()
    at.number_input(key="unit").set_value(5).run()
    assert not at.exception and "h[5] after each character" in at.get("html")[-1].proto.body
    at.text_area(key="colour_text").set_value("").run()
    assert any("type some text" in e.value for e in at.error)


def test_the_animation_downloads_as_a_gif(graphviz_dot):
    at = _app("Run")
    before = len(at.get("download_button"))
    at.button(key="make-gif").click().run()
    assert not at.exception
    assert len(at.get("download_button")) == before + 1


def test_png_is_rendered_on_request(graphviz_dot):
    at = _app()
    before = len(at.get("download_button"))
    at.button(key="elman-unfolded-make-png").click().run()
    assert not at.exception and len(at.get("download_button")) == before + 1
