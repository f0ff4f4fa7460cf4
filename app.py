"""Unfold's Streamlit shell: widgets → graphs/viz calls → display. No logic of its own."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import streamlit as st

from graphs import ParseError
from graphs.catalog import CATALOG
from graphs.cost import TooCostly, check_frames
from graphs.gtext import g_text
from graphs.limits import MAX_GT_STEPS, MAX_STEPS
from graphs.parse import assumptions
from viz.api import load, view
from viz.dot import to_dot
from viz.errors import point_at
from viz.guide import EXAMPLE, READING, SYNTAX
from viz.interactive import component_css, component_js, scripts_js, theme_js
from viz.neighbours import remember
from viz.plain import plain
from viz.render import RenderError, render, render_svg
from viz.reuse import once_per_process
from viz.share import (CONTROLS, CUSTOM, LOSSES, PAGES, TOPICS, ignored, query_from_state, state_from_query,
                       view_from_query)

if TYPE_CHECKING:   # numpy itself is imported where it is used, off the first page's path
    import numpy as np

# st.cache_data's wrappers, built once per process rather than on every rerun (viz/reuse.py says why)
cache_data, cache_resource = once_per_process(st.cache_data), once_per_process(st.cache_resource)

MAX_ANIMATED_STEPS = 60
NARROW_CSS = Path(__file__).parent / "viz" / "web" / "narrow.css"
DIAGRAM_HEIGHT = 460   # px of each interactive diagram; the drawing is fitted inside and zooms from there
# One component element per diagram, kept across reruns (stable key): a rerun sends it the new SVG only
DIAGRAM = st.components.v2.component("unfold.diagram", css=component_css(), js=component_js())
# The diagrams' scripts, once per page: the same message on every rerun, so the browser gets it once
SCRIPTS = st.components.v2.component("unfold.scripts", js=scripts_js())
# Asks for a rerun when the browser's theme differs from the one the plots were drawn in
THEME = st.components.v2.component("unfold.theme", js=theme_js())


def sequence_of(text: str, split: str, upload: tuple | None):
    """The uploaded (name, bytes) sequence if any, else the typed text."""
    from graphs.backends.data import from_file, from_text
    return from_file(*upload) if upload else from_text(text, split)


@cache_data(max_entries=16, show_spinner="Running…")
def run_values(source: str, text: str, split: str, backend: str, hidden: int, seed: int,
               upload: tuple | None = None, options: tuple = ("test", 0, "", "", "", 0)) -> tuple:
    """(values as NumPy arrays, tokens, a second axis's tokens) of the recurrence on the typed text or the upload.

    options: (mode, steps for a recurrence without inputs or 0, a recursive net's bracketing or "",
    a given h(0) as "state=numbers" or "", a second sequence (y over u) or "", its steps n_y or 0).
    """
    from graphs.backends.data import from_numbers, from_text
    from graphs.backends.session import run_sequence
    from graphs.tree import read_bracketing
    mode, steps, tree, start, out_text, out_steps = options
    sequence = None if steps else sequence_of(text, split, upload)
    out_sequence = from_text(out_text, split) if out_text.strip() else None
    name, _, numbers = start.partition("=")
    initial = {name: from_numbers(numbers).values[0]} if numbers.strip() else None
    session = run_sequence(source, sequence, backend=backend, hidden=hidden, seed=seed, mode=mode,
                           steps=steps or None, tree=read_bracketing(tree).merges if tree else None,
                           initial=initial, out_sequence=out_sequence, out_steps=out_steps or None)
    return session.result.arrays(), session.tokens, session.out_tokens


@cache_data(max_entries=16, show_spinner="Preparing the player…")
def run_page_html(source: str, text: str, split: str, backend: str, hidden: int, seed: int, state: str,
                  upload: tuple | None = None, options: tuple = ("test", 0, "", "", "", 0),
                  with_backward: bool = True) -> tuple[dict, float]:
    """The unfolded graph with every frame's values, played in the browser (the component's data); and the
    shared colour scale. with_backward False: the forward pass alone (no torch needed)."""
    from viz.interactive import diagram_data
    from viz.playback import backward, playback
    values, tokens, out_tokens = run_values(source, text, split, backend, hidden, seed, upload, options)
    unfolded = view(load(recurrence=source), "unfolded", len(tokens), tree=options[2] or None,
                    out_steps=len(out_tokens) or None)
    frames = playback(unfolded, values, list(tokens) + list(out_tokens))   # a decoder's steps come after
    if "L" in values and state and with_backward:
        try:
            frames["backward"] = backward(state, *last_loss_gradients(source, text, split, hidden, seed, state, upload))
        except ParseError:
            pass   # no gradient to show (no state reading its own past): the forward pass alone
    page = diagram_data(svg_of(to_dot(unfolded)), unfolded, title=f"the forward pass over {len(tokens)} steps",
                        frames=frames, name="run", height=DIAGRAM_HEIGHT + 60)
    return page, frames["scale"]


@cache_data(max_entries=16, show_spinner="Back-propagating…")
def last_loss_gradients(source: str, text: str, split: str, hidden: int, seed: int, state: str,
                        upload: tuple | None = None) -> tuple[list[float], int]:
    """‖∂L/∂state(t)‖ for the loss of the last step with a target (or the loss computed once), and that step."""
    from graphs.backends.bptt import gradient_norms
    from graphs.backends.session import inputs_for, last_target_step, run_sequence
    sequence = sequence_of(text, split, upload)
    session = run_sequence(source, sequence, hidden=hidden, seed=seed)
    once = session.graph.node("L").kind == "once"
    at_step = len(session.tokens) if once else last_target_step(session.graph, len(session.tokens))
    norms = gradient_norms(session.graph, inputs_for(session.graph, sequence), session.result.params, loss="L",
                           state=state, hidden=hidden, at_step=None if once else at_step)
    return [float(v) for v in norms], at_step


@cache_data(max_entries=16, show_spinner=False)
def frame_dots(source: str, text: str, split: str, backend: str, hidden: int, seed: int,
               upload: tuple | None = None, options: tuple = ("test", 0, "", "", "", 0)) -> list[str]:
    from viz.animate import frames, node_values
    values, tokens, out_tokens = run_values(source, text, split, backend, hidden, seed, upload, options)
    unfolded = view(load(recurrence=source), "unfolded", len(tokens), tree=options[2] or None,
                    out_steps=len(out_tokens) or None)
    return frames(unfolded, *node_values(unfolded, values))


@cache_data(max_entries=16, show_spinner="Back-propagating…")
def gradient_plot(source: str, text: str, split: str, hidden: int, seed: int, loss: str, state: str,
                  last_step_only: bool, upload: tuple | None = None) -> dict:
    """‖∂L/∂h(t)‖ with the state's recurrent matrices at three spectral radii (ParseError when there are none);
    for a late loss and a single W, beside it the same in the linear regime, where ρ > 1 explodes (drawn in
    the browser: viz/charts.py)."""
    from graphs.backends.bptt import linear_sweep, spectral_sweep
    from graphs.backends.session import inputs_for, last_target_step, run_sequence
    from viz.charts import gradient_spec
    sequence = sequence_of(text, split, upload)
    session = run_sequence(source, sequence, hidden=hidden, seed=seed)
    at_step = last_target_step(session.graph, len(session.tokens)) if last_step_only else None
    curves = spectral_sweep(session.graph, inputs_for(session.graph, sequence), session.result.params,
                            loss=loss, state=state, hidden=hidden, at_step=at_step)
    linear = at_step and linear_sweep(session.graph, inputs_for(session.graph, sequence), session.result.params,
                                      loss=loss, state=state, hidden=hidden, at_step=at_step)
    which = f"{loss}({at_step})" if at_step else f"Σ_t {loss}(t)"
    return gradient_spec(curves, linear or None, ylabel=f"‖∂{which}/∂{state}(t)‖")


@cache_data(max_entries=64, show_spinner=False)
def circuit_dot(source: str, param_nodes: bool) -> str:
    return to_dot(view(load(recurrence=source), "circuit"), param_nodes=param_nodes)


@cache_data(max_entries=64, show_spinner="Unfolding…")
def unfolded_dot(source: str, steps: int, param_nodes: bool, elide: bool, generic: bool,
                 out_steps: int | None = None) -> str:
    graph = load(recurrence=source)
    name = "window" if generic else "unfolded"
    return to_dot(view(graph, name, steps, param_nodes=param_nodes, elide=elide, out_steps=out_steps),
                  param_nodes=param_nodes)


@cache_data(max_entries=128, show_spinner="Drawing…")
def svg_of(dot_source: str) -> str:
    return render_svg(dot_source)


@cache_data(max_entries=128, show_spinner=False)
def png_of(dot_source: str) -> bytes:
    return render(dot_source, "png")


@cache_data(max_entries=32, show_spinner=False)
def heatmap_svg(states: np.ndarray, tokens: tuple, title: str, limit: float | None = None, dark: bool = False) -> str:
    """The heatmap of states as a picture (on the diagram's colour scale ±limit): too many cells for the browser's chart."""
    from viz.plots import heatmap, to_svg
    return to_svg(heatmap(states, list(tokens), title=title, limit=limit), dark)


@cache_data(max_entries=4, show_spinner="Drawing every frame…")
def animation_gif(dots: tuple[str, ...]) -> bytes:
    from viz.animate import gif
    return gif(list(dots))


@cache_data(max_entries=32, show_spinner=False)
def g_of_t(source: str, state: str, steps: int, out_steps: int | None = None) -> str:
    """g(t) as HTML in the book's notation (viz/gbook.py: no KaTeX to load on the first page)."""
    from viz.gbook import g_html
    return g_html(g_text(load(recurrence=source), state, steps, substitute=True, out_steps=out_steps))


@cache_data(max_entries=64, show_spinner="Drawing…")
def diagram_page(source: str, steps: int | None, param_nodes: bool, elide: bool, generic: bool, name: str,
                 out_steps: int | None = None) -> dict:
    """The interactive diagram of the circuit (steps None) or the unfolded graph: inline SVG, zoom, hover."""
    from viz.interactive import diagram_data
    graph = load(recurrence=source)
    if steps is None:
        return diagram_data(svg_of(circuit_dot(source, param_nodes)), graph, title="the circuit", name=name,
                            height=DIAGRAM_HEIGHT)
    graph = view(graph, "window" if generic else "unfolded", steps, param_nodes=param_nodes, elide=elide,
                 out_steps=out_steps)
    return diagram_data(svg_of(unfolded_dot(source, steps, param_nodes, elide, generic, out_steps)), graph,
                        title=f"unfolded over {steps} steps", name=name, height=DIAGRAM_HEIGHT)


def show_svg(column, title: str, dot_source: str, file_name: str, drawing: tuple, steps: tuple | None = None) -> None:
    """One diagram (zoom, pan, hover) with its downloads; falls back to in-browser rendering without Graphviz.
    steps: (lowest, highest) τ for the unfolded graph's own τ stepper (viz/web/stepper.js)."""
    column.subheader(title)
    try:
        svg = svg_of(dot_source)
        page = diagram_page(*drawing)
    except RenderError as err:
        column.warning(plain(err))
        column.graphviz_chart(dot_source)
        return
    with column:
        if steps:
            from viz.neighbours import stepper
            remember(drawing, page)
            sent = st.session_state.setdefault("stepper_sent", {})   # what this browser holds (stepper.js)
            DIAGRAM(key=f"diagram-{page['name']}", data={**page, "stepper": stepper(drawing, *steps, sent)},
                    on_step_change=step_to, on_ahead_change=draw_ahead_now)
        else:
            DIAGRAM(key=f"diagram-{page['name']}", data=page)
    # Each file is made when its button is clicked (a callable), not stored with every rerun: a τ change then
    # sends no file, and the PNG is rendered on request in one click. No rerun after a download.
    buttons = column.container(horizontal=True)
    buttons.download_button("SVG", lambda: svg, f"{file_name}.svg", "image/svg+xml", key=f"{file_name}-svg",
                            on_click="ignore")
    buttons.download_button("DOT", lambda: dot_source, f"{file_name}.dot", "text/vnd.graphviz",
                            key=f"{file_name}-dot", on_click="ignore")
    buttons.download_button("PNG", lambda: png_of(dot_source), f"{file_name}.png", "image/png",
                            key=f"{file_name}-png", on_click="ignore", help="rendered when you click (a moment)")


def step_to() -> None:
    """The diagram's τ stepper moved (already shown in the browser): τ's widget follows before it is drawn, and
    this rerun draws the next neighbours at once (the reader is not waiting for it)."""
    tau = int(st.session_state["diagram-unfolded"]["step"])
    st.session_state["big_steps" if st.session_state.get("long") else "steps"] = tau
    st.session_state["stepped"] = True


def slider_moved() -> None:
    """A move of the slider by one step was already shown by the page (stepper.js: followSlider) when its drawing
    was at hand: as after a step of the stepper, this rerun draws the next neighbours before sending the diagram, so
    that the next step is at hand too. A longer move is drawn at once, the neighbours in the background."""
    if abs(st.session_state["steps"] - st.session_state.get("slider_was", 0)) == 1:
        st.session_state["stepped"] = True


def draw_ahead_now() -> None:
    """The diagram asks for its neighbours (its first picture came before they were drawn): drawn in this rerun."""
    st.session_state["stepped"] = True


def main() -> None:
    st.set_page_config(page_title="Unfold", layout="wide")
    st.html(f"<style>{NARROW_CSS.read_text(encoding='utf-8')}</style>")
    SCRIPTS(key="unfold-scripts", height=0)
    try:
        page()
    except Exception as err:  # noqa: BLE001 - a short message, never a traceback in the page
        st.error(f"Something went wrong inside Unfold ({type(err).__name__}): {plain(str(err)[:200])}. "
                 "Please report it with the recurrence you used.")


def dark() -> bool:
    """Whether the page is in dark mode (as the browser said with this rerun): plots are drawn to match."""
    return st.context.theme.type == "dark"


def keep_controls() -> None:
    """Every shareable widget starts from the link (first run) or keeps its value (later runs).

    Written back each run so a widget of a page not shown keeps its value when its page comes back.
    """
    first = not st.session_state.get("restored")
    query = dict(st.query_params) if first else {}
    shared = state_from_query(query)
    view = view_from_query(query)   # zoom and frame: kept in the first rewritten link, for the diagrams to read
    if ignored(query, {**shared, **view}):
        st.info("Left out from the link, as not valid: " + plain(", ".join(ignored(query, {**shared, **view}))))
    st.session_state["link_view"] = view
    for key, (default, _) in CONTROLS.items():
        st.session_state[key] = shared.get(key, st.session_state.get(key, default))
    st.session_state["restored"] = True
    if "recurrence" in shared:
        st.session_state[f"source-{st.session_state['arch']}"] = shared["recurrence"]


def page() -> None:
    st.title("Unfold — recurrent computation, made visible")
    st.caption(READING)
    names = list(CATALOG) + [CUSTOM]
    keep_controls()
    with st.sidebar:
        arch = st.selectbox("Architecture", names, format_func=lambda n: n if n == CUSTOM else
                            f"{n} ({CATALOG[n].figure})", key="arch")
        tau = st.slider("τ (steps)", 1, 60, key="steps", on_change=slider_moved)
        st.session_state["slider_was"] = tau
        if st.toggle("A longer sequence (elided view)", key="long"):
            tau = int(st.number_input("τ", 1, MAX_STEPS, key="big_steps"))
        param_nodes = st.toggle("Parameters as shared nodes", key="param_nodes")
        generic = st.toggle("Generic window t-1, t, t+1", key="generic")
    default = CATALOG[arch].text if arch != CUSTOM else CATALOG["driven"].text
    if arch != CUSTOM:
        st.caption(CATALOG[arch].title)
    source = typed = st.text_area("Recurrence", default, height=170, key=f"source-{arch}")
    with st.expander("Syntax cheat sheet", key="cheat_sheet", on_change="rerun") as sheet:
        if sheet.open:   # drawn when opened: a closed expander's content still costs the first page its time
            st.text(EXAMPLE)
            st.markdown(SYNTAX)
    weights_box()
    elide = tau > 60   # past 60 steps a full drawing is unreadable on a page
    out_steps = second_axis_steps(source)
    try:
        try:
            circuit, too_dense = circuit_dot(source, param_nodes), None
        except TooCostly as err:   # too dense for Graphviz: the other views still work
            circuit, too_dense = None, err
        unfolded = unfolded_dot(source, tau, param_nodes, elide, generic, out_steps)
        st.session_state["last_good_source"] = source
    except ParseError as err:
        st.error(plain(err))
        pointer = point_at(source, err)
        if pointer:
            st.code(pointer, language=None)
        if "last_good_source" not in st.session_state:
            return
        # the last recurrence that parsed stays on screen below the error, so the page keeps its shape
        source = st.session_state["last_good_source"]
        st.caption("Below: the last recurrence that parsed.")
        try:
            circuit = circuit_dot(source, param_nodes)
        except TooCostly as err:
            circuit, too_dense = None, err
        out_steps = second_axis_steps(source, widget=False)
        unfolded = unfolded_dot(source, tau, param_nodes, elide, generic, out_steps)
    assumed = assumptions(source)
    if assumed:
        st.caption(plain(assumed) + " (declare them with `input …` or `param …` to decide otherwise)")
    st.query_params.from_dict({**query_from_state(st.session_state, typed), **st.session_state.pop("link_view", {})})
    # one page at a time (not st.tabs, which would compute all three on every change)
    view = st.radio("Page", list(PAGES), horizontal=True, key="view", label_visibility="collapsed")
    state = CATALOG[arch].state if arch != CUSTOM else "h"
    if view != "Build":
        st.session_state.pop("stepper_sent", None)   # the diagram leaves the page, and the drawings it held
    if view == "Build":
        left, right = st.columns([1, 2])
        if circuit is None:
            left.subheader("Circuit")
            left.warning(plain(too_dense))
        else:
            show_svg(left, "Circuit", circuit, f"{arch}-circuit", (source, None, param_nodes, False, False, "circuit"))
        drawing = (source, tau, param_nodes, elide, generic, "unfolded", out_steps)
        if st.session_state.pop("stepped", False) and not elide:
            draw_neighbours(*drawing[:5], out_steps, state, now=True)
        show_svg(right, "Unfolded" + (" (elided)" if elide and not generic else ""), unfolded, f"{arch}-unfolded",
                 drawing, None if generic else (1, MAX_STEPS if st.session_state.get("long") else 60))
        if state and tau <= MAX_GT_STEPS:
            try:
                st.html(f"<p class='gt'>{g_of_t(source, state, tau, out_steps)}</p>")
            except ParseError as err:
                st.caption(f"g(t) not shown: {plain(err)}")
        draw_neighbours(source, tau, param_nodes, elide, generic, out_steps, state)
    elif view == "Run":
        run_page(source, state, out_steps)
    else:
        explain_page()
    THEME(key="theme", data="dark" if dark() else "light", on_theme_change=lambda: None)
    warm_other_pages()


def draw_neighbours(source: str, tau: int, param_nodes: bool, elide: bool, generic: bool, out_steps: int | None,
                    state: str, now: bool = False) -> None:
    """The unfolded drawings (and g(t)) at τ ± 1, in the background: a step of the slider then finds them cached,
    and the next rerun hands them to the diagram's stepper. now: drawn before returning (after a step of the
    stepper, whose reader already sees the new picture), so the browser has the next step at hand."""
    from viz.neighbours import at_steps
    from viz.warm import ahead
    def draw(steps: int):
        def task() -> None:
            drawing = at_steps((source, tau, param_nodes, elide, generic, "unfolded", out_steps), steps)
            remember(drawing, diagram_page(*drawing))
            if state and steps <= MAX_GT_STEPS:
                g_of_t(source, state, steps, out_steps)
        return task
    tasks = [draw(t) for t in (tau - 1, tau + 1) if 1 <= t <= MAX_STEPS and not elide]
    if now:
        from viz.warm import run_all
        run_all(tasks)
    else:
        ahead(*tasks)


def warm_other_pages() -> None:
    """Once per server process, after a first page is drawn: import torch and matplotlib and compute the Run and
    Explain pages' defaults in the background (caches are shared by every session), so a switch finds them ready."""
    from viz.warm import warm_once
    default = {key: value for key, (value, _) in CONTROLS.items()}
    source, state = CATALOG[default["arch"]].text, CATALOG[default["arch"]].state
    run = (source, default["text"], default["split"], default["backend"], default["hidden"], default["seed"])

    options = ("test", 0, "", "", "", 0)   # what run_options gives the default architecture

    def forward() -> None:   # the same calls, with the same arguments, as run_page makes for the defaults
        run_page_html(*run, state, None, options, False)

    def backward() -> None:   # torch's autograd: imported last, the longest
        run_page_html(*run, state, None, options)
        gradient_plot(*run[:3], *run[4:], "L", state, True, None)

    def explain_first() -> None:   # the Explain page's scores: its models and NumPy, no plot yet
        order_scores(default["first"], default["second"])

    # NumPy and matplotlib first (the Run and Explain pages' first paint), torch last
    warm_once(explain_first, forward, lambda: order_views(default["first"], default["second"], False), backward)


def second_axis_steps(source: str, widget: bool = True) -> int | None:
    """n_y, the steps of a second time axis (a decoder over u), from its own sidebar input; None without one."""
    try:
        axis = load(recurrence=source).second_axis()
    except ParseError:
        return None
    if not axis:
        return None
    if not widget:   # the widget is drawn once per run; a second call reads its value
        return int(st.session_state["out_steps"])
    return int(st.sidebar.number_input(f"Steps over {axis} (a decoder's n_y)", 1, 60, key="out_steps"))


def weights_box() -> None:
    """A torch weights file → the explicit cell equations it became, drawn on request."""
    with st.expander("From torch weights: the equations a state_dict becomes", key="weights_box",
                     on_change="rerun") as box:
        if not box.open:   # the file uploader and the rest only when opened (the first page loads less)
            return
        from graphs.backends.weights import weights_text
        file = st.file_uploader("torch.save(module.state_dict()) of nn.RNN/GRU/LSTM or nn.RNNCell/GRUCell/LSTMCell",
                                type=["pt", "pth"], key="weights_file")
        nonlinearity = st.radio("nn.RNN's nonlinearity (the file does not say)", ["tanh", "relu"], horizontal=True,
                                key="weights_nonlinearity")
        if file is None:
            return
        try:
            text = weights_text(file.getvalue(), nonlinearity)
        except (ParseError, ModuleNotFoundError) as err:
            st.error(plain(err))
            return
        st.code(text, language=None)
        st.button("Draw these equations", on_click=use_recurrence, args=(text,), key="use_weights")


def use_recurrence(text: str) -> None:
    """Put a recurrence in the custom box (a button's callback: before the widgets are drawn again)."""
    st.session_state["arch"] = CUSTOM
    st.session_state[f"source-{CUSTOM}"] = text


def run_options(graph, out_steps: int | None = None) -> tuple:
    """(mode, steps, tree, h(0), second sequence, n_y) from the widgets this recurrence needs: teacher forcing's
    mode, the steps of a recurrence without inputs, a recursive net's own tree, the first state's given h(0),
    and a decoder's own sequence over a second axis (n_y steps of zeros without one)."""
    mode, steps, tree, start = "test", 0, "", ""
    axis = graph.second_axis()
    out_text = st.text_input(f"Second sequence, over {axis} (the decoder's y; empty: {out_steps} steps of zeros)",
                             key="out_text", max_chars=2_000) if axis else ""
    columns = st.columns(4)
    if any(e.kind == "train" for e in graph.edges):
        mode = columns[0].radio("Teacher forcing", ["test", "train"], horizontal=True, key="mode",
                                help="train: the target y(t-1) is fed back; test: the model's own output")
    if not graph.kinds("input", "target"):
        steps = int(columns[1].number_input("Steps from h(0) (no input)", 1, 500, 10, key="auto_steps"))
    if graph.tree:
        tree = columns[2].text_input("Tree (brackets; empty: balanced)", "", key="tree",
                                     placeholder="((the cat) (sat down))").strip()
    starts = [n.name for n in graph.kinds("init") if n.id.endswith("[0]")]
    if starts:
        numbers = columns[3].text_input(f"{starts[0]}(0) (numbers; empty: its own)", "", key="h0",
                                        placeholder="0.5, -1, 0.2")
        start = f"{starts[0]}={numbers}" if numbers.strip() else ""
    return mode, steps, tree, start, out_text, (out_steps or 0) if axis else 0


def run_page(source: str, state: str, out_steps: int | None = None) -> None:
    """Type a sequence, run it, watch h(t) fill in on the unfolded graph."""
    text = st.text_input("Sequence", key="text", max_chars=2_000)
    a, b, c, d = st.columns(4)
    split = a.radio("Split into", ["word", "char"], horizontal=True, key="split")
    backend = b.radio("Backend", ["numpy", "torch"], horizontal=True, key="backend")
    hidden = int(c.number_input("Hidden units", 1, 256, key="hidden"))
    seed = int(d.number_input("Seed", 0, 10_000, key="seed"))
    file = st.file_uploader("…or upload numbers: a .npy or .csv of shape (T, units)", type=["npy", "csv"],
                            key="sequence_file")
    upload = (file.name, file.getvalue()) if file is not None else None
    options = run_options(load(recurrence=source), out_steps)
    waiting = still_loading()   # right after a server starts: what the background warm-up has not imported yet
    try:
        values, tokens, out_tokens = run_values(source, text, split, backend, hidden, seed, upload, options)
    except ParseError as err:
        st.error(plain(err))
        return
    scale = None
    if len(tokens) > MAX_ANIMATED_STEPS:
        st.warning(f"{len(tokens)} steps: the animation shows at most {MAX_ANIMATED_STEPS}; the plots show all.")
    else:
        page, scale = run_page_html(source, text, split, backend, hidden, seed, state, upload, options,
                                     "torch" not in waiting)
        st.caption("▶ play runs the forward pass in your browser; each vector node shows a strip of its units' "
                   "colours. ◂ backward shows ‖∂L/∂h(t)‖ flowing back from the last loss, as the width of the "
                   "recurrent edges. Hover a node for its whole vector, a parameter for every edge it acts on.")
        DIAGRAM(key="diagram-run", data=page)
        if st.button("Prepare the animation (GIF)", key="make-gif"):
            try:   # every frame becomes a picture: refused before the first when there would be too many
                check_frames(view(load(recurrence=source), "unfolded", len(tokens), out_steps=len(out_tokens) or None))
                dots = frame_dots(source, text, split, backend, hidden, seed, upload, options)
                st.download_button("Download GIF", animation_gif(tuple(dots)), "unfold.gif", "image/gif", key="gif")
            except ParseError as err:
                st.error(plain(err))
    import numpy as np
    shown = state if state in values else next((k for k, v in values.items() if np.ndim(v) == 3), None)
    if shown is None:
        return
    states = values[shown][:, 0]
    axis = load(recurrence=source).node(shown).axis
    tokens = out_tokens if axis else tokens   # a decoder's state is plotted over its own steps
    from viz.charts import heatmap_spec, lines_spec   # drawn by the browser; a large heatmap as a picture
    spec = heatmap_spec(states, tokens, f"{shown}({axis or 't'})", scale)
    if spec:
        st.vega_lite_chart(spec, width="stretch")
    else:
        st.image(heatmap_svg(states, tuple(tokens), f"{shown}({axis or 't'})", scale, dark()), width="stretch")
    units = st.multiselect("Units", list(range(states.shape[1])), [0, 1][: states.shape[1]], key="units")
    if units:
        st.vega_lite_chart(lines_spec(states, units, tokens), width="stretch")
    if "L" in values and state and "torch" in waiting:   # the charts need no matplotlib; the gradients need torch
        st.fragment(rerun_when_loaded, run_every=0.5)(("torch",))
    elif "L" in values and state:
        gradients(source, text, split, hidden, seed, state, upload)


LOADED_LATE = ("viz.plots", "torch")   # matplotlib (the plots), torch (the gradients): seconds to import


def still_loading() -> tuple[str, ...]:
    """The modules of LOADED_LATE this process's background warm-up is still importing.

    Meanwhile the Run page shows the diagram at once, without what needs them (the plots, the gradients and
    the backward pass), and completes itself when they are there, rather than wait seconds on a blank page."""
    from viz.warm import imported, warming
    missing = tuple(name for name in LOADED_LATE if not imported(name))
    if not missing:
        return ()
    warm_other_pages()   # a first visit straight to the Run page: start the warm-up now
    return missing if warming() else ()


def rerun_when_loaded(missing: tuple[str, ...]) -> None:
    """A fragment polled twice a second while the warm-up imports: the whole page again once all is there."""
    from viz.warm import imported, warming
    if all(imported(name) for name in missing) or not warming():
        st.rerun(scope="app")
    shown = ["the plots"] * ("viz.plots" in missing) + ["the gradients and the backward pass"] * ("torch" in missing)
    st.caption("⏳ " + " and ".join(shown).capitalize() + " are on their way: " +
               " and ".join({"viz.plots": "matplotlib", "torch": "torch"}[n] for n in missing) +
               " loading (once per server start, a few seconds).")


def gradients(source: str, text: str, split: str, hidden: int, seed: int, state: str, upload) -> None:
    """‖∂L/∂h(t)‖ at three spectral radii, or a sentence saying why there is nothing to rescale."""
    which = st.radio("Loss", list(LOSSES), horizontal=True, key="loss")
    try:
        plot = gradient_plot(source, text, split, hidden, seed, "L", state, which == LOSSES[0], upload)
    except ParseError as err:
        st.caption(f"No gradient plot: {plain(err)}.")
        return
    st.vega_lite_chart(plot, width="stretch")
    st.caption(f"‖∂L/∂{state}(t)‖ by back-propagation through time, with {state}'s recurrent matrix rescaled to "
               "each spectral radius ρ. Below 1 the gradient of a late loss vanishes on its way back to early steps. "
               "Above 1 it would explode as ρ to the power of the distance, which the right-hand plot shows in the "
               "linear regime (tanh′ = 1, only the powers of W remain); in the network as it runs (left) tanh "
               "saturates, its derivative falls towards 0 and holds the growth back, the chapter's point that a "
               "saturating non-linearity bounds the gradient (while it vanishes all the more).")


@cache_resource(show_spinner="Loading the trained models…")
def models() -> dict:
    """The shipped explainer models (read-only: never mutated)."""
    from graphs.explainers import charrnn, sentiment, window, year
    words = sentiment.load()
    return {"sentiment": words, "window": window.load(words=words), "year": year.load(), "chars": charrnn.load()}


@cache_data(max_entries=32, show_spinner=False)
def order_views(first: str, second: str, dark: bool = False) -> dict:
    """Plots and scores of the two sentences through both sentiment models."""
    from graphs.explainers.trace import trace_pair
    from graphs.explainers.window import classify
    from viz.plots import heatmap, pair_trace, probability_lines, projection, to_svg
    model = models()["sentiment"]
    runs = {s: model.trajectory(s) for s in (first, second)}
    trace = trace_pair(model, first, second)
    return {"trace": to_svg(pair_trace(trace), dark), "steps": (trace["divergence_step"], trace["flip_step"]),
            "lines": to_svg(probability_lines({s: (tokens, p) for s, (tokens, _, p) in runs.items()}), dark),
            "projection": to_svg(projection({s: (tokens, h) for s, (tokens, h, _) in runs.items()}), dark),
            "heatmaps": [to_svg(heatmap(h, tokens, title=s), dark) for s, (tokens, h, _) in runs.items()],
            "scores": [classify(model, models()["window"], s) for s in (first, second)]}


@cache_data(max_entries=32, show_spinner=False)
def order_scores(first: str, second: str) -> dict:
    """The scores and the parting steps of the two sentences (order_views without its plots: no matplotlib)."""
    from graphs.explainers.trace import trace_pair
    from graphs.explainers.window import classify
    model = models()["sentiment"]
    trace = trace_pair(model, first, second)
    return {"steps": (trace["divergence_step"], trace["flip_step"]),
            "scores": [classify(model, models()["window"], s) for s in (first, second)]}


@cache_data(max_entries=8, show_spinner="Scoring every position…")
def year_plot(dark: bool = False) -> str:
    from graphs.explainers.year import TRAIN_POSITIONS, accuracy_by_position
    from viz.plots import accuracy_by_position as bars
    from viz.plots import to_svg
    return to_svg(bars(accuracy_by_position(models()["year"], per_position=50), TRAIN_POSITIONS), dark)


def explain_page() -> None:
    """The chapter's examples: order matters, parameter sharing, a character-level RNN."""
    topic = st.radio("Example", list(TOPICS), horizontal=True, key="topic")
    if topic == TOPICS[0]:
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
    first = a.text_input("First sentence", key="first")
    second = b.text_input("Second sentence", key="second")
    waiting = "viz.plots" in still_loading()
    try:
        views = order_scores(first, second) if waiting else order_views(first, second, dark())
    except ParseError as err:
        st.error(plain(err))
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
    st.subheader("Step by step", divider=False)   # a heading of its own: the sentence below carries numbers only
    st.text((f"The hidden states part at step {parted}" if parted else
                                         "The hidden states never part") + "; " +
                (f"the verdicts part for good at step {flipped}." if flipped else
                 "the verdicts do not end apart (or the sentences differ in length)."))
    if waiting:
        st.fragment(rerun_when_loaded, run_every=0.5)(("viz.plots",))
        return
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
    st.image(year_plot(dark()), width="stretch")
    sentence = st.text_input("Try a sentence", "we visited paris with friends in 1987", key="year_text")
    try:
        tagged = models()["year"].tag(sentence)
    except ParseError as err:
        st.error(str(err))
        return
    tokens, shared, positional = tagged["tokens"], tagged["shared"], tagged["per_position"]
    st.table({"word": tokens, "P(year), shared weights": [f"{p:.2f}" for p in shared],
              "P(year), per-position weights": [f"{p:.2f}" for p in positional] + [""] * (len(tokens) - len(positional))})


@cache_data(max_entries=1, show_spinner="Finding the units that follow strings, brackets, indentation…")
def shipped_units() -> dict:
    """The shipped character model's units, found on the two held-out excerpts."""
    from graphs.explainers.units import find_units
    return {name: (f.state, f.unit, f.correlations) for name, f in find_units(models()["chars"]).items()}


def character_rnn() -> None:
    from graphs.explainers.pycorpus import VALID_MODULES, held_out_spans
    from graphs.explainers.units import BAR, find_units
    from viz.plots import loss_curves, to_svg
    from viz.textcolor import coloured_html, range_for
    user_model = st.session_state.get("user_chars")
    model = user_model or models()["chars"]
    train_on_upload()
    baseline = model.facts.get("baseline_3gram")
    corpus = ("your text; validation on its last 10%" if user_model else
              "standard-library code (comments and docstrings cut"
              + ("; one tab a block level, shown here as 4 spaces" if model.layout != "written" else "")
              + f"); validation on modules it never read ({', '.join(VALID_MODULES)})")
    st.markdown(f"A character-level {model.cell.upper()} ({model.hidden_size} units), written in the recurrence language, trained on "
                f"{corpus}. It reads one character at a time and predicts the next: validation loss "
                f"**{model.history['validation'][-1]:.2f} nats/char**"
                + (f", against {baseline:.2f} for a character 3-gram." if baseline else "."))
    a, b = st.columns([2, 1])
    temperature = b.slider("Temperature", 0.1, 1.5, 0.6, key="temperature")
    prefix = b.text_input("Start with", "def ", key="prefix")
    try:
        a.code(model.sample(prefix, 300, temperature=temperature, seed=0), language="python")
    except ParseError as err:
        a.error(plain(err))
    b.image(to_svg(loss_curves(model.history), dark()), width="stretch")
    found = ({n: (f.state, f.unit, f.correlations) for n, f in find_units(model).items()} if user_model
             else shipped_units())
    st.caption(f"Units found automatically (r on each of two held-out excerpts; |r| ≥ {BAR} counts): " + "; ".join(
        f"{name}: {state}[{unit}] ({', '.join(f'{r:+.2f}' for r in rs)})" for name, (state, unit, rs) in found.items()))
    left, right = st.columns([2, 1])
    choice = left.radio("Colour the text by", [*found, "any unit"], horizontal=True, key="unit_choice",
                        format_func=lambda n: f"{n}: {found[n][0]}[{found[n][1]}]" if n in found else n)
    if choice in found:
        state, unit = found[choice][:2]
    else:   # any unit of any state: h, and an LSTM's cell state s
        state = right.radio("State", list(model.zeros()), horizontal=True, key="unit_state")
        unit = int(right.number_input(f"Unit of {state}", 0, model.hidden_size - 1, 0, key="unit"))
    source, start, stop = held_out_spans(1_500, model.layout)[0]
    text = st.text_area("Text to colour", model.to_reader(source[start:stop]), height=120, max_chars=5_000,
                        key="colour_text")
    if not text:
        st.error("type some text to colour")
        return
    text = model.to_model(text)     # as the model reads it (a tab a level, for a tab-layout model)
    values = model.states(text)[state][:, unit]
    centre, scale = range_for(values)
    st.html(coloured_html(text, values, scale, f"{state}[{unit}] after each character", centre))


def train_on_upload() -> None:
    """Train a character RNN on the user's own text, with a progress bar; any click elsewhere stops it."""
    from graphs.explainers.chartrain import train
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
            st.error(plain(err))
            return
        st.success("Trained: the samples and colours below now come from your model.")


if __name__ == "__main__":
    main()
