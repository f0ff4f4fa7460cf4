import io
import json
import re
import subprocess
import sys

import numpy as np
import torch
from matplotlib.figure import Figure

from graphs import parse
from graphs.backends import run
from graphs.backends.data import from_text
from graphs.catalog import CATALOG
from graphs.unfold import unfold
from viz.animate import frames, gif, node_values
from viz.colors import diverging
from viz.plots import gradient_norms, heatmap, to_svg, unit_lines


def _elman_run(sentence="I am not sad , I am happy ."):
    graph = parse(CATALOG["elman"].text)
    seq = from_text(sentence)
    result = run(graph, {"x": seq.values}, hidden=5)
    return graph, seq, result


def test_frame_colours_follow_the_values():
    graph, seq, result = _elman_run()
    unfolded = unfold(graph, len(seq.tokens))
    numbers, tips = node_values(unfolded, result.values)
    assert numbers["h@3"] == float(result.values["h"][2, 0].mean())
    assert "h(3) = [" in tips["h@3"]
    scale = max(abs(v) for v in numbers.values())
    dots = frames(unfolded, numbers, tips)
    assert len(dots) == len(seq.tokens) + 1
    for k, dot in enumerate(dots):
        for t in range(1, len(seq.tokens) + 1):
            fill = re.search(rf'"h@{t}" \[[^\]]*fillcolor="(#[0-9a-f]+)"', dot).group(1)
            expected = diverging(numbers[f"h@{t}"], scale) if t <= k else "#f9fafb"
            assert fill == expected


def test_gif_has_one_frame_per_step(graphviz_dot):
    from PIL import Image
    graph, seq, result = _elman_run("a b c")
    unfolded = unfold(graph, 3)
    data = gif(frames(unfolded, *node_values(unfolded, result.values)))
    assert Image.open(io.BytesIO(data)).n_frames == 4


def test_plots_are_figures_and_svg_on_request():
    _, seq, result = _elman_run()
    h = result.values["h"][:, 0]
    for fig in (heatmap(h, list(seq.tokens)), unit_lines(h, [0, 1]), gradient_norms({"ρ=0.5": np.ones(4)})):
        assert isinstance(fig, Figure) and fig.axes
        svg = to_svg(fig)
        assert svg.lstrip().startswith("<?xml") and "<svg" in svg


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "viz", *args], capture_output=True, text=True)


def test_cli_run_prints_json_with_tokens_and_values():
    done = _cli("run", "--arch", "elman", "--text", "I am sad, I'm not happy.", "--json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["tokens"] == ["I", "am", "sad", ",", "I'm", "not", "happy", "."]
    assert np.asarray(out["values"]["h"]).shape == (8, 8)


def test_cli_numpy_and_torch_backends_agree():
    outs = [json.loads(_cli("run", "--arch", "lstm", "--numbers", "1,0;0,1;1,1", "--backend", b, "--json").stdout)
            for b in ("numpy", "torch")]
    np.testing.assert_allclose(outs[0]["values"]["h"], outs[1]["values"]["h"], atol=1e-9)
    single = json.loads(_cli("run", "--arch", "lstm", "--numbers", "1,0;0,1;1,1", "--dtype", "float32").stdout)
    np.testing.assert_allclose(single["values"]["h"], outs[0]["values"]["h"], atol=1e-5)
    assert single["values"]["h"] != outs[0]["values"]["h"]   # float32 really ran: rounding differs


def test_cli_runs_torch_weights(tmp_path):
    torch.manual_seed(0)
    gru = torch.nn.GRU(2, 3)
    torch.save(gru.state_dict(), tmp_path / "gru.pt")
    done = _cli("run", "--weights", str(tmp_path / "gru.pt"), "--numbers", "1,0;0,1;1,1", "--json")
    assert done.returncode == 0, done.stderr
    expected = gru(torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]))[0].detach().numpy()
    np.testing.assert_allclose(json.loads(done.stdout)["values"]["h0"], expected, atol=1e-5)


def test_cli_run_errors_are_one_line():
    for args in (["--arch", "elman", "--text", ""], ["--arch", "elman", "--numbers", "1,a"],
                 ["--text", "no recurrence"], ["--arch", "elman", "--sequence-file", "/nonexistent.npy"]):
        done = _cli("run", *args)
        assert done.returncode == 2 and done.stderr.startswith("error:") and len(done.stderr.splitlines()) == 1


def test_cli_writes_every_frame_as_svg_and_a_gif(tmp_path, graphviz_dot):
    done = _cli("run", "--arch", "driven", "--text", "one two three", "--embed", "4",
                "--frames", str(tmp_path / "frames"), "--gif", str(tmp_path / "a.gif"),
                "--svg-animation", str(tmp_path / "a.svg"), "--json")
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (tmp_path / "frames").iterdir()) == [f"frame-000{k}.svg" for k in range(4)]
    assert (tmp_path / "a.gif").read_bytes().startswith(b"GIF8")
    assert (tmp_path / "a.svg").read_text().count("<animate ") >= 3 * 3   # h, x, o of 3 steps, at least


def test_tree_inner_nodes_are_not_given_a_leafs_value():
    graph = parse(CATALOG["recursive"].text)
    seq = from_text("a b c d")
    result = run(graph, {"x": seq.values, "y": seq.values}, hidden=3)
    numbers, _ = node_values(unfold(graph, 4), result.values)
    assert {"h@1", "h@4", "o@τ"} <= set(numbers) and not any(":" in k for k in numbers)


def test_summaries_mean_norm_or_a_unit():
    graph, seq, result = _elman_run("a b")
    unfolded = unfold(graph, 2)
    h2 = result.values["h"][1, 0]
    assert node_values(unfolded, result.values, "norm")[0]["h@2"] == float(np.linalg.norm(h2))
    assert node_values(unfolded, result.values, 3)[0]["h@2"] == float(h2[3])
    import pytest
    with pytest.raises(ValueError, match="mean or norm"):
        node_values(unfolded, result.values, "median")
