"""Unfold's Streamlit shell: widgets → graphs/viz calls → display. No logic of its own."""
from __future__ import annotations

import time

import numpy as np
import streamlit as st

from graphs import ParseError
from graphs.catalog import CATALOG
from graphs.gtext import g_text
from graphs.limits import MAX_GT_STEPS, MAX_STEPS
from viz.api import load, view
from viz.dot import to_dot
from viz.errors import point_at
from viz.render import RenderError, render, render_svg
from viz.share import query_from_state, state_from_query

CUSTOM = "(write your own)"
PAGES = ["Build", "Run", "Explain"]
MAX_ANIMATED_STEPS = 60


def sequence_of(text: str, split: str, upload: tuple | None):
    """The uploaded (name, bytes) sequence if any, else the typed text."""
    from graphs.backends.data import from_file, from_text
    return from_file(*upload) if upload else from_text(text, split)


@st.cache_data(max_entries=16, show_spinner="Running…")
def run_values(source: str, text: str, split: str, backend: str, hidden: int, seed: int,
               upload: tuple | None = None) -> tuple:
    """(values as NumPy arrays, tokens) of the recurrence on the typed text or the uploaded sequence."""
    from graphs.backends.session import run_sequence
    session = run_sequence(source, sequence_of(text, split, upload), backend=backend, hidden=hidden, seed=seed)
    return session.result.arrays(), session.tokens


@st.cache_data(max_entries=16, show_spinner=False)
def frame_dots(source: str, text: str, split: str, backend: str, hidden: int, seed: int,
               upload: tuple | None = None) -> list[str]:
    from viz.animate import frames, node_values
    values, tokens = run_values(source, text, split, backend, hidden, seed, upload)
    unfolded = view(load(recurrence=source), "unfolded", len(tokens))
    return frames(unfolded, *node_values(unfolded, values))


@st.cache_data(max_entries=16, show_spinner=False)
def gradient_plot(source: str, text: str, split: str, hidden: int, seed: int, loss: str, state: str,
                  upload: tuple | None = None) -> str:
    from viz.plots import gradient_norms, to_svg
    return to_svg(gradient_norms(gradient_curves(source, text, split, hidden, seed, loss, state, upload)))


@st.cache_data(max_entries=16, show_spinner="Back-propagating…")
def gradient_curves(source: str, text: str, split: str, hidden: int, seed: int, loss: str, state: str,
                    upload: tuple | None = None) -> dict:
    from graphs.backends.bptt import gradient_norms, with_spectral_radius
    from graphs.backends.session import inputs_for, run_sequence
    sequence = sequence_of(text, split, upload)
    session = run_sequence(source, sequence, hidden=hidden, seed=seed)
    params = session.result.params
    square = [k for k, v in params.items() if v.ndim == 2 and v.shape[0] == v.shape[1]]
    curves = {}
    for radius in (0.5, 1.0, 2.0):
        scaled = dict(params, **{k: with_spectral_radius(params[k], radius) for k in square[:1]})
        curves[f"ρ({square[0] if square else 'W'}) = {radius}"] = gradient_norms(
            session.graph, inputs_for(session.graph, sequence), scaled, loss=loss, state=state, hidden=hidden)
    return curves


@st.cache_data(max_entries=64, show_spinner=False)
def circuit_dot(source: str, param_nodes: bool) -> str:
    return to_dot(load(recurrence=source), param_nodes=param_nodes)


@st.cache_data(max_entries=64, show_spinner="Unfolding…")
def unfolded_dot(source: str, steps: int, param_nodes: bool, elide: bool, generic: bool) -> str:
    graph = load(recurrence=source)
    name = "window" if generic else "unfolded"
    return to_dot(view(graph, name, steps, param_nodes=param_nodes, elide=elide), param_nodes=param_nodes)


@st.cache_data(max_entries=128, show_spinner="Drawing…")
def svg_of(dot_source: str) -> str:
    return render_svg(dot_source)


@st.cache_data(max_entries=128, show_spinner=False)
def png_of(dot_source: str) -> bytes:
    return render(dot_source, "png")


@st.cache_data(max_entries=32, show_spinner=False)
def plot_svg(kind: str, states: np.ndarray, tokens: tuple, units: tuple = ()) -> str:
    """A cached plot: the heatmap of states, or the chosen units' lines."""
    from viz.plots import heatmap, to_svg, unit_lines
    if kind == "heatmap":
        return to_svg(heatmap(states, list(tokens), title=units[0] if units else "h(t)"))
    return to_svg(unit_lines(states, list(units), list(tokens)))


@st.cache_data(max_entries=4, show_spinner="Drawing every frame…")
def animation_gif(dots: tuple[str, ...]) -> bytes:
    from viz.animate import gif
    return gif(list(dots))


@st.cache_data(max_entries=32, show_spinner=False)
def g_of_t(source: str, state: str, steps: int) -> str:
    return g_text(load(recurrence=source), state, steps, substitute=True, latex=True)


def show_svg(column, title: str, dot_source: str, file_name: str) -> None:
    """One diagram with its downloads; falls back to in-browser rendering without Graphviz."""
    column.subheader(title)
    try:
        svg = svg_of(dot_source)
    except RenderError as err:
        column.warning(str(err))
        column.graphviz_chart(dot_source)
        return
    column.image(svg, width="content" if "circuit" in file_name else "stretch")
    buttons = column.columns(3)
    buttons[0].download_button("SVG", svg, f"{file_name}.svg", "image/svg+xml", key=f"{file_name}-svg")
    buttons[1].download_button("DOT", dot_source, f"{file_name}.dot", "text/vnd.graphviz", key=f"{file_name}-dot")
    if buttons[2].button("PNG…", key=f"{file_name}-make-png", help="render a PNG (on request: it takes a moment)"):
        try:
            buttons[2].download_button("PNG", png_of(dot_source), f"{file_name}.png", "image/png",
                                       key=f"{file_name}-png")
        except RenderError as err:
            column.warning(str(err))


def main() -> None:
    st.set_page_config(page_title="Unfold", layout="wide")
    try:
        page()
    except Exception as err:  # noqa: BLE001 - a short message, never a traceback in the page
        st.error(f"Something went wrong inside Unfold ({type(err).__name__}): {str(err)[:200]}. "
                 "Please report it with the recurrence you used.")


def restore_from_url(names: list[str]) -> None:
    """On a page's first run, widgets start from the shared link's query parameters."""
    if st.session_state.get("restored"):
        return
    st.session_state["restored"] = True
    shared = state_from_query(dict(st.query_params), names, 60, PAGES)
    defaults = {"arch": "elman", "steps": 4, "text": "I am not sad, I'm happy.", "view": "Build"}
    for key, value in defaults.items():   # widgets below take their start values from here
        st.session_state[key] = shared.get(key, value)
    if "recurrence" in shared:
        st.session_state[f"source-{shared.get('arch', 'elman')}"] = shared["recurrence"]


def page() -> None:
    st.title("Unfold — recurrent computation, made visible")
    names = list(CATALOG) + [CUSTOM]
    restore_from_url(names)
    with st.sidebar:
        arch = st.selectbox("Architecture", names, format_func=lambda n: n if n == CUSTOM else
                            f"{n} ({CATALOG[n].figure})", key="arch")
        tau = st.slider("τ (steps)", 1, 60, key="steps")
        if st.toggle("A longer sequence (elided view)", key="long"):
            tau = int(st.number_input("τ", 1, MAX_STEPS, 1_000_000, key="big_steps"))
        param_nodes = st.toggle("Parameters as shared nodes", key="param_nodes")
        generic = st.toggle("Generic window t-1, t, t+1", key="generic")
    default = CATALOG[arch].text if arch != CUSTOM else CATALOG["driven"].text
    if arch != CUSTOM:
        st.caption(CATALOG[arch].title)
    source = st.text_area("Recurrence", default, height=170, key=f"source-{arch}")
    elide = tau > 60   # past 60 steps a full drawing is unreadable on a page
    try:
        circuit = circuit_dot(source, param_nodes)
        unfolded = unfolded_dot(source, tau, param_nodes, elide, generic)
    except ParseError as err:
        st.error(f"{err}")
        pointer = point_at(source, err)
        if pointer:
            st.code(pointer, language=None)
        return
    st.query_params.from_dict(query_from_state(arch, tau if tau <= 60 else 60, st.session_state.get("text", ""),
                                               source, st.session_state.get("view", "Build")))
    # one page at a time (not st.tabs, which would compute all three on every change)
    view = st.radio("Page", PAGES, horizontal=True, key="view", label_visibility="collapsed")
    state = CATALOG[arch].state if arch != CUSTOM else "h"
    if view == "Build":
        left, right = st.columns([1, 2])
        show_svg(left, "Circuit", circuit, f"{arch}-circuit")
        show_svg(right, "Unfolded" + (" (elided)" if elide and not generic else ""), unfolded, f"{arch}-unfolded")
        if state and tau <= MAX_GT_STEPS:
            try:
                st.latex(g_of_t(source, state, tau))
            except ParseError as err:
                st.caption(f"g(t) not shown: {err}")
    elif view == "Run":
        run_page(source, state)
    else:
        explain_page()


def run_page(source: str, state: str) -> None:
    """Type a sequence, run it, watch h(t) fill in on the unfolded graph."""
    text = st.text_input("Sequence", key="text", max_chars=2_000)
    a, b, c, d = st.columns(4)
    split = a.radio("Split into", ["word", "char"], horizontal=True, key="split")
    backend = b.radio("Backend", ["numpy", "torch"], horizontal=True, key="backend")
    hidden = int(c.number_input("Hidden units", 1, 256, 8, key="hidden"))
    seed = int(d.number_input("Seed", 0, 10_000, 0, key="seed"))
    file = st.file_uploader("…or upload numbers: a .npy or .csv of shape (T, units)", type=["npy", "csv"],
                            key="sequence_file")
    upload = (file.name, file.getvalue()) if file is not None else None
    try:
        values, tokens = run_values(source, text, split, backend, hidden, seed, upload)
    except ParseError as err:
        st.error(str(err))
        return
    if len(tokens) > MAX_ANIMATED_STEPS:
        st.warning(f"{len(tokens)} steps: the animation shows at most {MAX_ANIMATED_STEPS}; the plots show all.")
    else:
        dots = frame_dots(source, text, split, backend, hidden, seed, upload)
        frame = st.slider("Frame (steps computed)", 0, len(tokens), len(tokens), key="frame")
        picture = st.empty()
        if st.button("▶ Play", key="play"):
            for k in range(len(dots)):
                picture.image(svg_of(dots[k]), width="stretch")
                time.sleep(0.35)
        picture.image(svg_of(dots[frame]), width="stretch")
        downloads = st.columns(3)
        downloads[0].download_button("Frame as SVG", svg_of(dots[frame]), f"frame-{frame}.svg", "image/svg+xml",
                                     key="frame-svg")
        if downloads[1].button("Prepare the animation (GIF)", key="make-gif"):
            downloads[1].download_button("Download GIF", animation_gif(tuple(dots)), "unfold.gif", "image/gif",
                                         key="gif")
    shown = state if state in values else next((k for k, v in values.items() if np.ndim(v) == 3), None)
    if shown is None:
        return
    states = values[shown][:, 0]
    st.image(plot_svg("heatmap", states, tuple(tokens), (f"{shown}(t)",)), width="stretch")
    units = st.multiselect("Units", list(range(states.shape[1])), [0, 1][: states.shape[1]], key="units")
    if units:
        st.image(plot_svg("lines", states, tuple(tokens), tuple(units)), width="stretch")
    if "L" in values and state:
        try:
            st.image(gradient_plot(source, text, split, hidden, seed, "L", state, upload), width="stretch")
            st.caption("‖∂L/∂h(t)‖ by back-propagation through time: with a small spectral radius of W the "
                       "gradient from late losses vanishes on its way back to early steps; with a large one it grows.")
        except ParseError as err:
            st.caption(f"gradient plot not shown: {err}")


@st.cache_resource(show_spinner="Loading the trained models…")
def models() -> dict:
    """The shipped explainer models (read-only: never mutated)."""
    from graphs.explainers import charrnn, sentiment, window, year
    words = sentiment.load()
    return {"sentiment": words, "window": window.load(words=words), "year": year.load(), "chars": charrnn.load()}


@st.cache_data(max_entries=32, show_spinner=False)
def order_views(first: str, second: str) -> dict:
    """Plots and scores of the two sentences through both sentiment models."""
    from graphs.explainers.trace import trace_pair
    from graphs.explainers.window import classify
    from viz.plots import heatmap, pair_trace, probability_lines, projection, to_svg
    model = models()["sentiment"]
    runs = {s: model.trajectory(s) for s in (first, second)}
    trace = trace_pair(model, first, second)
    return {"trace": to_svg(pair_trace(trace)), "steps": (trace["divergence_step"], trace["flip_step"]),
            "lines": to_svg(probability_lines({s: (tokens, p) for s, (tokens, _, p) in runs.items()})),
            "projection": to_svg(projection({s: (tokens, h) for s, (tokens, h, _) in runs.items()})),
            "heatmaps": [to_svg(heatmap(h, tokens, title=s)) for s, (tokens, h, _) in runs.items()],
            "scores": [classify(model, models()["window"], s) for s in (first, second)]}


@st.cache_data(max_entries=8, show_spinner="Scoring every position…")
def year_plot() -> str:
    from graphs.explainers.year import TRAIN_POSITIONS, accuracy_by_position
    from viz.plots import accuracy_by_position as bars
    from viz.plots import to_svg
    return to_svg(bars(accuracy_by_position(models()["year"], per_position=50), TRAIN_POSITIONS))


def explain_page() -> None:
    """The chapter's examples: order matters, parameter sharing, a character-level RNN."""
    topic = st.radio("Example", ["Order matters", "“2009” in any position", "Character RNN"], horizontal=True,
                     key="topic")
    if topic == "Order matters":
        order_matters()
    elif topic.startswith("“2009”"):
        year_anywhere()
    else:
        character_rnn()


def order_matters() -> None:
    from graphs.explainers.sentiment import words
    st.markdown("The two sentences below use the same words. A **bag-of-words** model (the mean of the words' "
                "embeddings) is *position invariant*: it must give both the same score. A **time-delay net** (a 1-D "
                "convolution) sees order only inside a window of three words. A **recurrent** net reads "
                "the words in order, and its hidden state h(t), a lossy summary of the words so far, can carry "
                "the “not” to the adjective it negates. Watch where the two sentences' P(positive) part ways.")
    a, b = st.columns(2)
    first = a.text_input("First sentence", "I am not sad, I'm happy.", key="first")
    second = b.text_input("Second sentence", "I am sad, I'm not happy.", key="second")
    try:
        views = order_views(first, second)
    except ParseError as err:
        st.error(str(err))
        return
    for column, result in zip((a, b), views["scores"]):
        rnn, bag = result["recurrent"], result["bag_of_words"]
        column.metric("Recurrent net", rnn["label"], f"P(positive) = {rnn['p_positive']:.3f}", delta_color="off")
        column.metric("Bag of words", bag["label"], f"P(positive) = {bag['p_positive']:.3f}", delta_color="off")
        tdnn = result["time_delay"]
        column.metric("Time-delay net (3-word window)", tdnn["label"], f"P(positive) = {tdnn['p_positive']:.3f}",
                      delta_color="off")
    if sorted(words(first)) == sorted(words(second)) and first != second:
        st.info("Same words, other order: the bag-of-words scores are equal by construction.")
    parted, flipped = views["steps"]
    st.markdown("**Step by step.** " + (f"The hidden states part at step {parted}" if parted else
                                         "The hidden states never part") + "; " +
                (f"the verdicts part for good at step {flipped}." if flipped else
                 "the verdicts do not end apart (or the sentences differ in length)."))
    st.image(views["trace"], width="stretch")
    st.image(views["lines"], width="stretch")
    left, right = st.columns(2)
    left.image(views["projection"], width="stretch")
    for image in views["heatmaps"]:
        right.image(image, width="stretch")


def year_anywhere() -> None:
    st.markdown("“I went to Nepal in 2009” and “In 2009, I went to Nepal”: a net with **separate weights for every "
                "position** must learn the year at each place on its own; a **recurrent** net applies the same "
                "weights at every step, so what it learned at one position serves at all of them. Both were "
                "trained only on sentences whose year is the 2nd or the 6th word.")
    st.image(year_plot(), width="stretch")
    sentence = st.text_input("Try a sentence", "we visited paris with friends in 1987", key="year_text")
    try:
        tagged = models()["year"].tag(sentence)
    except ParseError as err:
        st.error(str(err))
        return
    tokens, shared, positional = tagged["tokens"], tagged["shared"], tagged["per_position"]
    st.table({"word": tokens, "P(year), shared weights": [f"{p:.2f}" for p in shared],
              "P(year), per-position weights": [f"{p:.2f}" for p in positional] + [""] * (len(tokens) - len(positional))})


@st.cache_data(max_entries=1, show_spinner="Finding the units that follow strings, brackets, indentation…")
def shipped_units() -> dict:
    """The shipped character model's units, found on the two held-out excerpts."""
    from graphs.explainers.units import find_units
    return {name: (f.state, f.unit, f.correlations) for name, f in find_units(models()["chars"]).items()}


def character_rnn() -> None:
    from graphs.explainers.pycorpus import VALID_MODULES, held_out_spans
    from graphs.explainers.units import BAR, find_units
    from viz.plots import loss_curves, to_svg
    from viz.textcolor import coloured_html
    user_model = st.session_state.get("user_chars")
    model = user_model or models()["chars"]
    train_on_upload()
    baseline = model.facts.get("baseline_3gram")
    corpus = ("your text; validation on its last 10%" if user_model else
              f"standard-library modules; validation on modules it never read ({', '.join(VALID_MODULES)})")
    st.markdown(f"A character-level GRU ({model.hidden_size} units), written in the recurrence language, trained on "
                f"{corpus}. It reads one character at a time and predicts the next: validation loss "
                f"**{model.history['validation'][-1]:.2f} nats/char**"
                + (f", against {baseline:.2f} for a character 3-gram." if baseline else "."))
    a, b = st.columns([2, 1])
    temperature = b.slider("Temperature", 0.1, 1.5, 0.6, key="temperature")
    prefix = b.text_input("Start with", "def ", key="prefix")
    try:
        a.code(model.sample(prefix, 300, temperature=temperature, seed=0), language="python")
    except ParseError as err:
        a.error(str(err))
    b.image(to_svg(loss_curves(model.history)), width="stretch")
    found = ({n: (f.state, f.unit, f.correlations) for n, f in find_units(model).items()} if user_model
             else shipped_units())
    st.caption(f"Units found automatically (r on each of two held-out excerpts; |r| ≥ {BAR} counts): " + "; ".join(
        f"{name}: {state}[{unit}] ({', '.join(f'{r:+.2f}' for r in rs)})" for name, (state, unit, rs) in found.items()))
    left, right = st.columns([2, 1])
    choice = left.radio("Colour the text by", [*found, "any unit"], horizontal=True, key="unit_choice",
                        format_func=lambda n: f"{n}: {found[n][0]}[{found[n][1]}]" if n in found else n)
    if choice in found:
        state, unit = found[choice][:2]
    else:
        state, unit = "h", int(right.number_input("Unit of h", 0, model.hidden_size - 1, 0, key="unit"))
    source, start, stop = held_out_spans(1_500)[0]
    text = st.text_area("Text to colour", source[start:stop], height=120, max_chars=5_000, key="colour_text")
    if not text:
        st.error("type some text to colour")
        return
    st.html(coloured_html(text, model.states(text)[state][:, unit],
                          title=f"{state}[{unit}] after each character"))


def train_on_upload() -> None:
    """Train a character RNN on the user's own text, with a progress bar; any click elsewhere stops it."""
    from graphs.explainers.charrnn import train
    from graphs.limits import MAX_UPLOAD_BYTES
    with st.expander("Train on your own text"):
        upload = st.file_uploader("A text file (.txt, .py, .md)", type=["txt", "py", "md"], key="upload")
        epochs = int(st.number_input("Epochs", 1, 50, 5, key="epochs"))
        if upload is None or not st.button("Train", key="train"):
            return
        if upload.size > MAX_UPLOAD_BYTES:
            st.error(f"the file is larger than {MAX_UPLOAD_BYTES:,} bytes")
            return
        text = upload.getvalue().decode("utf-8", errors="replace")
        bar = st.progress(0.0, "Training… (press Stop at the top right, or change anything, to stop)")

        def progress(epoch: int, train_loss: float, validation: float) -> None:
            bar.progress((epoch + 1) / epochs, f"epoch {epoch + 1}/{epochs}: train {train_loss:.3f}, "
                                               f"validation {validation:.3f}")
        try:
            st.session_state["user_chars"] = train(text, epochs=epochs, progress=progress)
        except ParseError as err:
            st.error(str(err))
            return
        st.success("Trained: the samples and colours below now come from your model.")


if __name__ == "__main__":
    main()
