"""The cheat sheet's example is a recurrence the parser accepts, as written."""
from graphs import parse
from viz.guide import EXAMPLE, SYNTAX


def test_the_cheat_sheet_example_parses():
    graph = parse(EXAMPLE)
    assert {n.name for n in graph.nodes if n.kind == "state"} >= {"h", "g"}
    assert "```" not in SYNTAX   # the app shows EXAMPLE with st.text: a fenced block loads the syntax highlighter
