"""An elided tree net: the first and last subtrees, the root and one "…", the same at τ = 10⁹ as at τ = 9."""
import pytest

from graphs import ParseError, limits, parse
from graphs.catalog import CATALOG
from graphs.tree import balanced
from graphs.tree_elide import ELIDE_PAST, KEEP, elided
from viz.api import view

TREE = parse(CATALOG["recursive"].text)


def _parents(leaves: int) -> dict:
    """child span → (parent span, side) in the full balanced tree."""
    up = {}
    for left, right in balanced(leaves):
        up[left] = ((left[0], right[1]), "left")
        up[right] = ((left[0], right[1]), "right")
    return up


@pytest.mark.parametrize("leaves", range(ELIDE_PAST + 1, 300))
def test_the_elided_tree_is_a_faithful_part_of_the_balanced_one(leaves):
    drawn, merges, links = elided(leaves)
    full = balanced(leaves)
    assert set(merges) <= set(full)
    lo = min(d for d in drawn if d > KEEP)   # the last subtree's first leaf
    inside = [m for m in full if m[0][0] >= lo]
    assert sorted(m for m in merges if m[0][0] >= lo) == sorted(inside)   # every merge under it, no other
    up = _parents(leaves)
    root = (1, leaves)
    root_children = {side: child for child, (parent, side) in up.items() if parent == root}
    for child, parent, side in links:
        if child is None:   # "…" → root: a root child that is not drawn
            assert parent == root and root_children[side] not in {c for c, _, _ in links}
        else:
            assert up[child][1] == side
            assert (up[child][0] == parent) if parent else (up[child][0] != root)


def test_elided_tree_views_are_bounded_at_any_tau():
    sizes = set()
    for leaves in (ELIDE_PAST + 1, 100, 10**5, limits.MAX_STEPS):
        graph = view(TREE, "unfolded", leaves, elide=True)
        sizes.add(len(graph.nodes))
        assert len(graph.nodes) <= 30 and len(graph.edges) <= 30
        ids = {n.id for n in graph.nodes}
        assert all(e.src in ids and e.dst in ids for e in graph.edges)
        assert f"h@1:{leaves}" in ids and "h@…" in ids and f"x@{leaves}" in ids and "x@1" in ids
    assert len(view(TREE, "unfolded", ELIDE_PAST, elide=True).nodes) == len(view(TREE, "unfolded", ELIDE_PAST).nodes)


def test_a_full_tree_past_the_limit_points_to_the_elided_view():
    with pytest.raises(ParseError, match="elided view"):
        view(TREE, "unfolded", limits.MAX_TREE_LEAVES + 1)
    assert view(TREE, "unfolded", limits.MAX_TREE_LEAVES).steps == limits.MAX_TREE_LEAVES


def test_the_cli_draws_tau_100000_elided(tmp_path, graphviz_dot):
    from viz.cli import main
    out = tmp_path / "tree.svg"
    assert main(["export", "--arch", "recursive", "--view", "unfolded", "--steps", "100000", "--elide",
                 "-o", str(out)]) == 0
    svg = out.read_text()
    assert "h(1:100000)" in svg and "…" in svg and "x⁽¹⁰⁰⁰⁰⁰⁾" in svg


def test_the_apps_long_sequence_toggle_elides_a_tree_net(graphviz_dot):
    from pathlib import Path

    from streamlit.testing.v1 import AppTest
    at = AppTest.from_file(str(Path(__file__).parent.parent / "app.py"), default_timeout=120).run()
    at.selectbox(key="arch").set_value("recursive").run()
    at.toggle(key="long").set_value(True).run()
    at.number_input(key="big_steps").set_value(100_000).run()
    assert not at.exception and not at.error
    assert "Unfolded (elided)" in [h.value for h in at.subheader]
    pages = [e.proto.json for e in at.get("bidi_component")]   # the circuit's diagram, then the unfolded one
    assert any("1:100000" in page for page in pages)
