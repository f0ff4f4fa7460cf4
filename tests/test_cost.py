"""The cost model: each request the attack found too expensive is refused before the work, and the CLI
says so with exit code 2 and one line."""
import io
import json
import math

import numpy as np
import pytest

from graphs import ParseError, limits, parse
from graphs.backends import run
from graphs.backends.data import from_file
from graphs.catalog import CATALOG
from graphs.cost import check_frames, check_unfolding
from viz.api import read_bytes, view
from viz.cli import main

NESTED = "input x\nsize x = 16\n" + "\n".join(
    f"{b} = concat({', '.join([a] * 8)})" for a, b in [("x", "h1"), ("h1", "h2"), ("h2", "h3"), ("h3", "h4")])
MANY_MATRICES = "input x\nsize x = 1024\nsize h = 1024\nparam " + ", ".join(f"W{k}" for k in range(10)) + \
    "\nh = tanh(" + " + ".join(f"W{k} @ x" for k in range(10)) + ")"
DENSE = "input x\n" + "\n".join(f"v{i} = tanh(" + " + ".join(f"v{j}[t-1]" for j in range(12)) + " + x)"
                                for i in range(12))
WIDE = "input x\n" + "\n".join(f"v{i} = tanh(v{i}[t-1] + x)" for i in range(40))


def test_nested_concat_is_counted_at_its_inferred_size():
    with pytest.raises(ParseError, match="65,536 units"):
        run(parse(NESTED), {"x": np.zeros((3, 16))})


def test_parameter_numbers_are_bounded():
    assert 10 * 1024 * 1024 > limits.MAX_PARAM_FLOATS
    with pytest.raises(ParseError, match="parameters hold 10,485,760 numbers"):
        run(parse(MANY_MATRICES), {"x": np.zeros((2, 1024))})
    run(parse(MANY_MATRICES.replace("1024", "256")), {"x": np.zeros((2, 256))})


def test_a_circuit_is_refused_only_past_the_dense_layouts_bound():
    graph = parse(DENSE)
    assert limits.MAX_CIRCUIT_EDGES < len(graph.edges) < limits.MAX_DENSE_CIRCUIT_EDGES
    assert view(graph, "circuit") is graph   # drawn with our own layout (test_layered.py)
    from graphs.cost import check_circuit_drawing
    from graphs.ir import Edge
    huge = graph.__class__(graph.nodes, graph.edges + tuple(Edge("x", "v0", delay=k % 9 + 1, params=(str(k),))
                                                            for k in range(limits.MAX_DENSE_CIRCUIT_EDGES)))
    with pytest.raises(ParseError, match="connections"):
        check_circuit_drawing(huge)


def test_unfolded_drawings_are_bounded_by_nodes_not_only_tau():
    graph = parse(WIDE)
    with pytest.raises(ParseError, match=r"use τ ≤ 2,439"):   # 41 nodes a step, 100,000 at most
        check_unfolding(graph, limits.MAX_FULL_STEPS, elide=False)
    check_unfolding(graph, 2_439, elide=False)
    with pytest.raises(ParseError):
        check_unfolding(graph, 2_440, elide=False)
    check_unfolding(graph, limits.MAX_STEPS, elide=True)
    for arch in CATALOG.values():   # every chain in the catalog still draws τ = 10,000 in full
        if arch.name != "recursive":
            check_unfolding(parse(arch.text), limits.MAX_FULL_STEPS, elide=False)


def test_tree_nets_are_bounded_like_chains():
    tree = parse(CATALOG["recursive"].text)
    assert view(tree, "unfolded", limits.MAX_TREE_LEAVES).steps == limits.MAX_TREE_LEAVES
    with pytest.raises(ParseError, match="leaves"):
        view(tree, "unfolded", 10**5)
    assert len(view(tree, "unfolded", 10**5, elide=True).nodes) < 30   # elided: the first and last subtrees


def test_animations_have_a_step_cap():
    graph = parse(CATALOG["elman"].text)
    check_frames(view(graph, "unfolded", 20))
    with pytest.raises(ParseError, match="at most about"):
        check_frames(view(graph, "unfolded", 60))


def test_files_are_read_up_to_the_limit_whatever_they_claim():
    with pytest.raises(ParseError, match="larger than"):
        read_bytes("/dev/zero")


def _npy_header(shape, dtype="<f8") -> bytes:
    buffer = io.BytesIO()
    np.lib.format.write_array_header_1_0(buffer, {"descr": dtype, "fortran_order": False, "shape": shape})
    return buffer.getvalue()


@pytest.mark.parametrize("data, message", [
    (_npy_header((10**8, 1000)), "at most"),            # would ask for 745 GiB
    (_npy_header((3, 0)), "shape"),
    (_npy_header((2, 2, 2)), "shape"),
    (_npy_header((5, 2)) + b"\x00" * 16, "cut short"),
    (_npy_header((5, 2), "<c16"), "shape"),
])
def test_npy_headers_are_checked_before_allocating(data, message):
    with pytest.raises(ParseError, match=message):
        from_file("a.npy", data)


@pytest.mark.parametrize("args", [
    ["export", "--file", "/dev/zero", "-o", "x.svg"],
    ["export", "--recurrence", WIDE, "--view", "unfolded", "--steps", "10000", "-o", "x.svg"],
    ["export", "--arch", "recursive", "--view", "unfolded", "--steps", "100000", "-o", "x.svg"],
    ["run", "--recurrence", NESTED, "--numbers", "; ".join([", ".join(["1"] * 16)] * 2)],
    ["run", "--arch", "elman", "--text", " ".join(["word"] * 150), "--gif", "never.gif"],
    ["run", "--arch", "elman", "--text", " ".join(["word"] * 500), "--frames", "never"],
])
def test_cli_refuses_with_exit_code_2_and_one_line(args, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []   # refused before anything was written


def test_non_finite_results_are_valid_json_with_a_message(capsys):
    assert main(["run", "--recurrence", "input x\nh = log(x)", "--numbers", "-1; 0; 1"]) == 0
    out = json.loads(capsys.readouterr().out)   # strict: NaN and -Infinity are not JSON
    assert out["values"]["h"][0] == [None] and out["values"]["h"][1] == [None]
    assert out["values"]["h"][2] == [0.0]
    assert "h reached NaN" in out["non_finite"]
    assert not math.isnan(out["values"]["h"][2][0])


def _weights_file(path, tensor) -> str:
    import torch
    torch.save({"weight_ih_l0": torch.zeros(4, 3), "weight_hh_l0": tensor}, path)
    return str(path)


@pytest.mark.parametrize("make", [
    lambda tmp: ["--weights", _weights_file(tmp / "w.pt", __import__("torch").zeros(4))],
    lambda tmp: ["--weights", _weights_file(tmp / "w.pt", __import__("torch").zeros(0, 0))],
    lambda tmp: ["--weights", _weights_file(tmp / "w.pt", __import__("torch").zeros(4, 4).to_sparse())],
    lambda tmp: ["--weights", _weights_file(tmp / "w.pt", __import__("torch").zeros(4, 4, device="meta"))],
    lambda tmp: ["--arch", "elman", "--sequence-file", str(_written(tmp / "s.npy", _npy_header((3, 0))))],
    lambda tmp: ["--arch", "elman", "--gif", str(tmp)],   # a folder
])
def test_cli_bad_files_exit_2(make, tmp_path, capsys):
    args = make(tmp_path)
    data = [] if "--sequence-file" in args else ["--numbers", "1, 0, 1; 0, 1, 0"]
    assert main(["run", *args, *data]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and any(why in err for why in ("shape", "dense", "cannot write", "must end in")), err


def _written(path, data: bytes):
    path.write_bytes(data)
    return path


def test_one_hot_text_says_how_many_tokens_fit_and_embedding_takes_more():
    from graphs.backends.data import from_text
    words = " ".join(str(i) for i in range(limits.MAX_SIZE))   # 1,024 distinct tokens, and <unk>
    with pytest.raises(ParseError, match="embed them"):
        from_text(words)
    assert from_text(words, embed=16).values.shape == (limits.MAX_SIZE, 16)


def test_a_csv_with_a_byte_order_mark_reads():
    assert from_file("a.csv", "\ufeff1,2\n3,4".encode("utf-8")).values.tolist() == [[1, 2], [3, 4]]


def test_the_app_draws_a_circuit_too_dense_for_dot_with_its_own_layout(graphviz_dot):
    from pathlib import Path

    from streamlit.testing.v1 import AppTest
    at = AppTest.from_file(str(Path(__file__).parent.parent / "app.py"), default_timeout=60).run()
    at.text_area(key="source-elman").set_value(DENSE).run()
    assert not at.exception and not at.error and not at.warning
    assert [h.value for h in at.subheader] == ["Circuit", "Unfolded"]
