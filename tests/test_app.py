import re
from pathlib import Path

import pytest

from streamlit.testing.v1 import AppTest



@pytest.fixture(autouse=True, scope="module")
def torch_imported():
    """The page complete, as on a warmed server: while torch is still being imported in the background, the Run
    page leaves out its gradients (and completes itself later, which AppTest does not wait for)."""
    import torch  # noqa: F401


def _diagrams(at) -> list[dict]:
    """The data of every interactive diagram on the page (the app's component: SVG, frames, name), in order."""
    import json
    return [json.loads(e.proto.json) for e in at.get("bidi_component") if e.proto.component_name == "unfold.diagram"]


def _app(view: str = "Build"):
    at = AppTest.from_file(str(Path(__file__).parent.parent / "app.py"), default_timeout=60).run()
    if view != "Build":
        at.radio(key="view").set_value(view).run()
    return at


def g_of_t(at) -> str:
    """g(t) below the diagrams: HTML in the book's notation (viz/gbook.py), tags taken out."""
    shown = [h.value for h in at.html if "class='gt'" in h.value]
    return re.sub(r"<[^>]+>", "", shown[0]) if shown else ""   # h<sup>(4)</sup> reads h(4)


def test_default_page_shows_both_views_and_g_of_t(graphviz_dot):
    at = _app()
    assert not at.exception and not at.error
    assert [h.value for h in at.subheader] == ["Circuit", "Unfolded"]
    assert g_of_t(at).startswith("h(4) = tanh(W tanh(") and not at.latex   # no KaTeX on the first page


def test_tau_slider_changes_the_unfolded_view(graphviz_dot):
    at = _app()
    before = g_of_t(at)
    at.slider(key="steps").set_value(2).run()
    assert not at.exception
    assert g_of_t(at) != before and g_of_t(at).startswith("h(2) =")


def test_bad_recurrence_shows_an_error_not_a_traceback(graphviz_dot):
    at = _app()
    at.text_area(key="source-elman").set_value("input x\nh = tahn(Q @ x)").run()
    assert not at.exception
    assert at.error and "line 2, col 5" in at.error[0].value and "did you mean tanh" in at.error[0].value
    assert at.code[0].value.splitlines()[1:] == ["> 2 | h = tahn(Q @ x)", "    |     ^"]


def test_the_books_notation_is_drawn_and_the_assumed_names_are_said(graphviz_dot):
    at = _app()
    at.text_area(key="source-elman").set_value("h(t) = σ(W h(t−1) + U x(t) + b)").run()
    assert not at.exception and not at.error
    assert any(c.value.replace("\\", "").startswith("assumed: input x; param W, U, b") for c in at.caption)
    assert [h.value for h in at.subheader] == ["Circuit", "Unfolded"]


def test_a_syntax_error_keeps_the_last_good_diagrams_and_the_page_selector(graphviz_dot):
    at = _app()
    at.text_area(key="source-elman").set_value("input x\nh = tanh(W @ h[t-1] +").run()
    assert not at.exception and at.error
    assert [h.value for h in at.subheader] == ["Circuit", "Unfolded"] and len(_diagrams(at)) == 2
    assert at.radio(key="view").value == "Build"
    assert any("last recurrence that parsed" in c.value for c in at.caption)
    assert "tanh" in g_of_t(at)   # g(t) of the last good recurrence
    assert "h = tanh(W @ h[t-1] +" in at.query_params["recurrence"]   # the link keeps what was typed


def _charts(at) -> list[dict]:
    """The Vega-Lite specs of the page's charts (drawn by the browser), in page order."""
    import json
    return [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]


def _frames(at) -> dict:
    """The player's data inside the Run page's diagram (every frame's values, sent once)."""
    return _diagrams(at)[0]["frames"]


def test_run_tab_sends_every_frame_once_with_heatmap_and_gradients(graphviz_dot):
    at = _app("Run")
    frames = _frames(at)
    assert frames["steps"] == 8 and frames["tokens"][:4] == ["I", "am", "not", "sad"]
    assert len(frames["nodes"]["h@8"]["values"]) == 8   # hidden units, the whole vector
    norms = frames["backward"]["norms"]   # the backward pass from L(7): the last step has no next word
    assert frames["backward"]["loss_step"] == 7 and sorted(norms) == [f"h@{t}" for t in range(1, 8)]
    assert norms["h@1"] < norms["h@7"]
    charts = _charts(at)
    assert len(charts) == 3   # heatmap, unit lines, gradient norms
    assert charts[0]["mark"] == "rect" and charts[0]["encoding"]["y"]["field"] == "unit"
    assert [panel["encoding"]["y"]["scale"]["type"] for panel in charts[2]["hconcat"]] == ["log", "log"]
    assert "gradient plot" not in " ".join(c.value for c in at.caption)


def test_heatmap_uses_the_diagrams_colour_scale(graphviz_dot):
    at = _app("Run")
    scale = _frames(at)["scale"]
    colour = _charts(at)[0]["encoding"]["color"]["scale"]
    assert colour["domain"] == [-scale, 0, scale] and colour["nice"] is False
    assert colour["range"] == ["#2563eb", "#ffffff", "#dc2626"]   # the diagrams' blue · white · red
    states = max(abs(v) for node, info in _frames(at)["nodes"].items() if node.startswith("h@") for v in info["values"])
    assert scale > states   # the bar of h alone would end sooner: the scale is the diagram's


@pytest.mark.parametrize("arch", ["jordan", "teacher_forcing"])
def test_gradient_plot_is_replaced_by_a_sentence_without_a_square_recurrent_matrix(graphviz_dot, arch):
    at = AppTest.from_file(str(Path(__file__).parent.parent / "app.py"), default_timeout=60)
    at.query_params.update({"arch": arch, "view": "Run"})
    at.run()
    assert not at.exception and not at.error
    assert any("no square recurrent matrix" in c.value for c in at.caption)
    assert len(_charts(at)) == 2   # heatmap and unit lines only


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


def test_every_control_round_trips_through_the_url(graphviz_dot):
    shared = {"view": "Run", "arch": "elman", "steps": "5", "param_nodes": "1", "generic": "1", "split": "char",
              "backend": "torch", "hidden": "16", "seed": "3", "text": "abc", "loss": "summed over all steps"}
    at = AppTest.from_file(str(Path(__file__).parent.parent / "app.py"), default_timeout=60)
    at.query_params.update(shared)
    at.run()
    assert not at.exception and not at.error and not at.warning
    assert at.toggle(key="param_nodes").value and at.toggle(key="generic").value
    assert (at.radio(key="split").value, at.radio(key="backend").value) == ("char", "torch")
    assert (at.number_input(key="hidden").value, at.number_input(key="seed").value) == (16, 3)
    assert at.radio(key="loss").value == "summed over all steps"
    assert {k: at.query_params[k] for k in shared} == shared
    at.radio(key="view").set_value("Build").run()   # widgets of a page not shown keep their values
    at.radio(key="view").set_value("Run").run()
    assert at.number_input(key="hidden").value == 16 and at.text_input(key="text").value == "abc"


def test_the_explain_page_is_in_the_url(graphviz_dot):
    at = AppTest.from_file(str(Path(__file__).parent.parent / "app.py"), default_timeout=60)
    at.query_params.update({"view": "Explain", "topic": "Order matters", "first": "I am happy.", "second": "I am sad."})
    at.run()
    assert not at.exception and at.text_input(key="first").value == "I am happy."
    assert at.query_params["second"] == "I am sad."


def test_explain_order_matters_shows_both_models(graphviz_dot):
    at = _app("Explain")
    metrics = {(m.label, m.value) for m in at.metric}
    assert ("Recurrent net", "positive") in metrics and ("Recurrent net", "negative") in metrics
    bag = [m for m in at.metric if m.label == "Bag of words"]
    assert len(bag) == 2 and bag[0].value == bag[1].value   # the same words: the same score
    assert "Step by step" in [h.value for h in at.subheader]
    assert [t.value for t in at.text if "part" in t.value] == [
        "The hidden states part at step 3; the verdicts part for good at step 3."]
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
    assert "\n\t" not in at.code[0].value and "\n    " in at.text_area(key="colour_text").value   # 4 spaces a level
    assert "\t" not in at.text_area(key="colour_text").value
    at.slider(key="temperature").set_value(1.2).run()
    assert not at.exception
    choices = at.radio(key="unit_choice").options
    assert [c.split(":")[0] for c in choices] == ["inside a string", "bracket depth", "indentation", "any unit"]
    coloured = [h for h in at.get("html") if "after each character" in h.proto.body]
    string_unit = choices[0].split(": ")[1]          # e.g. "h[4]"
    assert len(coloured) == 1 and f"{string_unit} after each character" in coloured[0].proto.body
    at.radio(key="unit_choice").set_value("any unit").run()
    at.number_input(key="unit").set_value(5).run()
    assert not at.exception and any("h[5] after each character" in h.proto.body for h in at.get("html"))
    states = at.radio(key="unit_state").options          # any unit of any state: h, and an LSTM's cell state s
    assert states[0] == "h"
    at.radio(key="unit_state").set_value(states[-1]).run()
    assert not at.exception and any(f"{states[-1]}[5] after each character" in h.proto.body for h in at.get("html"))
    at.text_area(key="colour_text").set_value("").run()
    assert any("type some text" in e.value for e in at.error)


def test_the_animation_downloads_as_a_gif(graphviz_dot):
    at = _app("Run")
    before = len(at.get("download_button"))
    at.button(key="make-gif").click().run()
    assert not at.exception
    assert len(at.get("download_button")) == before + 1


def test_downloads_are_made_on_click_not_with_every_rerun(graphviz_dot):
    at = _app()   # each diagram's SVG, DOT and PNG: a callable each (tests/test_e2e.py downloads the PNG)
    labels = {b.key: b.proto.label for b in at.get("download_button")}
    assert labels == {f"elman-{view}-{kind}": kind.upper() for view in ("circuit", "unfolded")
                      for kind in ("svg", "dot", "png")}
    assert all(not b.proto.url for b in at.get("download_button"))   # no file stored with the page


def test_run_page_offers_teacher_forcing_steps_and_trees(graphviz_dot):
    def page(at) -> str:
        return _diagrams(at)[0]["svg"]
    at = _app()
    at.selectbox(key="arch").set_value("teacher_forcing").run()
    at.radio(key="view").set_value("Run").run()
    at.text_input(key="text").set_value("a b a b").run()
    test_values = _frames(at)["nodes"]
    at.radio(key="mode").set_value("train").run()
    assert not at.exception and not at.error
    assert _frames(at)["nodes"] != test_values   # y(t-1) fed back instead of ŷ(t-1): other values
    at.selectbox(key="arch").set_value("dynamical").run()
    at.number_input(key="auto_steps").set_value(5).run()
    assert not at.exception and not at.error
    assert _frames(at)["steps"] == 5
    at.number_input(key="hidden").set_value(2).run()
    from_zero = _frames(at)["nodes"]
    at.text_input(key="h0").set_value("0.5, -1").run()
    assert not at.exception and not at.error
    assert _frames(at)["nodes"] != from_zero   # s(t) now starts from the given s(0), not from zeros
    at.selectbox(key="arch").set_value("recursive").run()
    at.text_input(key="tree").set_value("(a (b (a b)))").run()
    assert not at.exception and not at.error
    assert "<title>h@2:4</title>" in page(at) and "<title>h@1:2</title>" not in page(at)


def test_a_decoder_has_its_own_length_on_both_pages(graphviz_dot):
    at = AppTest.from_file(str(Path(__file__).parent.parent / "app.py"), default_timeout=60)
    at.query_params.update({"arch": "encoder_decoder", "steps": "5", "out_steps": "3"})
    at.run()
    assert not at.exception and not at.error
    assert at.number_input(key="out_steps").value == 3 and g_of_t(at).startswith("s(3) =")
    at.number_input(key="out_steps").set_value(2).run()
    assert g_of_t(at).startswith("s(2) =") and at.query_params["out_steps"] == "2"
    at.radio(key="view").set_value("Run").run()
    at.text_input(key="text").set_value("the cat sat on the mat").run()
    frames = _frames(at)
    assert not at.exception and not at.error
    assert frames["steps"] == 6 + 2   # the encoder's six words, then the decoder's two steps of zeros
    at.text_input(key="out_text").set_value("le chat noir dort").run()
    frames = _frames(at)
    assert not at.exception and not at.error
    assert frames["steps"] == 6 + 4 and frames["tokens"][6:] == ["le", "chat", "noir", "dort"]
    assert sorted(k for k in frames["nodes"] if k.startswith("s@")) == ["s@1", "s@2", "s@3", "s@4"]


def test_a_weights_file_shows_its_equations_and_draws_them(graphviz_dot):
    import io

    import torch
    buffer = io.BytesIO()
    torch.save(torch.nn.GRUCell(3, 4).state_dict(), buffer)
    at = _app()
    assert not at.get("file_uploader")   # the box's content is drawn only when it is opened
    at.session_state["weights_box"] = True
    at.run()
    at.file_uploader(key="weights_file").set_value(("cell.pt", buffer.getvalue(), "application/octet-stream")).run()
    assert not at.exception
    shown = [c.value for c in at.code]
    assert any("h0 = (1 - z0) * n0 + z0 * h0[t-1]" in text for text in shown)
    at.button(key="use_weights").click().run()
    assert not at.exception and not at.error
    assert "h0 = (1 - z0) * n0 + z0 * h0[t-1]" in at.text_area[0].value
    at.file_uploader(key="weights_file").set_value(("bad.pt", b"not torch", "application/octet-stream")).run()
    assert "not a readable torch weights file" in at.error[0].value
