"""Unfold's Streamlit shell: widgets → graphs/viz calls → display. No logic of its own."""
from __future__ import annotations

import streamlit as st

from graphs import ParseError
from graphs.catalog import CATALOG
from graphs.gtext import g_text
from graphs.limits import MAX_GT_STEPS, MAX_STEPS
from viz.api import load, view
from viz.dot import to_dot
from viz.render import RenderError, render, render_svg

CUSTOM = "(write your own)"


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
    column.image(svg, width="stretch")
    buttons = column.columns(3)
    buttons[0].download_button("SVG", svg, f"{file_name}.svg", "image/svg+xml", key=f"{file_name}-svg")
    buttons[1].download_button("DOT", dot_source, f"{file_name}.dot", "text/vnd.graphviz", key=f"{file_name}-dot")
    try:
        buttons[2].download_button("PNG", render(dot_source, "png"), f"{file_name}.png", "image/png",
                                   key=f"{file_name}-png")
    except RenderError:
        pass


def main() -> None:
    st.set_page_config(page_title="Unfold", layout="wide")
    st.title("Unfold — recurrent computation, made visible")
    names = list(CATALOG) + [CUSTOM]
    with st.sidebar:
        arch = st.selectbox("Architecture", names, index=names.index("elman"), format_func=lambda n: n if n == CUSTOM else
                            f"{n} (Fig {CATALOG[n].figure})", key="arch")
        tau = st.slider("τ (steps)", 1, 60, 4, key="steps")
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
        return
    left, right = st.columns([1, 2])
    show_svg(left, "Circuit", circuit, f"{arch}-circuit")
    show_svg(right, "Unfolded" + (" (elided)" if elide and not generic else ""), unfolded, f"{arch}-unfolded")
    state = CATALOG[arch].state if arch != CUSTOM else "h"
    if state and tau <= MAX_GT_STEPS:
        try:
            st.latex(g_of_t(source, state, tau))
        except ParseError as err:
            st.caption(f"g(t) not shown: {err}")


if __name__ == "__main__":
    main()
