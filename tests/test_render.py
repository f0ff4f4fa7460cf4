import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from graphs import parse
from graphs.catalog import CATALOG
from graphs.unfold import unfold, window
from viz import Diagram, diagram
from viz.dot import to_dot
from viz.errors import UsageError
from viz.render import RenderError, render_svg

SVG = "{http://www.w3.org/2000/svg}"


def _svg_titles(svg: str) -> set[str]:
    root = ET.fromstring(svg)
    assert root.tag == SVG + "svg"
    return {t.text for t in root.iter(SVG + "title")}


@pytest.mark.parametrize("name", sorted(CATALOG))
def test_every_catalog_entry_renders_every_view_to_valid_svg(name, graphviz_dot):
    circuit = parse(CATALOG[name].text)
    views = [circuit, unfold(circuit, 4), unfold(circuit, 4, param_nodes=True)]
    if not circuit.tree:
        views += [window(circuit), unfold(circuit, 50, elide=True)]
    for g in views:
        titles = _svg_titles(render_svg(to_dot(g, param_nodes=True)))
        assert {n.id for n in g.nodes} <= titles   # every node is drawn


def test_user_text_cannot_break_out_of_a_label(graphviz_dot):
    from graphs.ir import Graph, Node
    evil = 'a" [shape=none label=<<b>x</b>>]'
    g = Graph((Node(evil, evil, "input", evil),), ())
    titles = _svg_titles(render_svg(to_dot(g)))
    assert evil in titles


def test_missing_graphviz_is_a_sentence_not_a_traceback(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(RenderError, match="apt-get install graphviz"):
        render_svg("digraph {}")


def test_save_by_suffix(tmp_path, graphviz_dot):
    d = diagram("elman", "unfolded", 3)
    for suffix, magic in [(".svg", b"<?xml"), (".png", b"\x89PNG"), (".pdf", b"%PDF"), (".dot", b"digraph")]:
        path = d.save(tmp_path / f"out{suffix}")
        assert path.read_bytes().startswith(magic)
    with pytest.raises(UsageError, match="must end in one of"):
        d.save(tmp_path / "out.gif")
    assert isinstance(d, Diagram)


def _cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "viz", *args], capture_output=True, text=True, cwd=cwd)


def test_cli_lists_the_catalog():
    done = _cli("list")
    assert done.returncode == 0
    assert [line.split()[0] for line in done.stdout.splitlines()] == list(CATALOG)


def test_cli_exports_svg(tmp_path, graphviz_dot):
    out = tmp_path / "u.svg"
    done = _cli("export", "--recurrence", "input x; param W, U; h = tanh(W @ h[t-1] + U @ x)",
                "--view", "unfolded", "--steps", "6", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert {"h@6", "x@1"} <= _svg_titles(out.read_text())


def test_cli_refuses_hostile_text_and_creates_nothing(tmp_path):
    out, canary = tmp_path / "a.svg", tmp_path / "x"
    done = _cli("export", "--recurrence", f"h = __import__('os').system('touch {canary}')", "-o", str(out))
    assert done.returncode == 2
    assert done.stderr.startswith("error: line 1, col 5:") and len(done.stderr.splitlines()) == 1
    assert not out.exists() and not canary.exists()


def test_cli_writes_g_of_t():
    done = _cli("gt", "--arch", "elman", "--steps", "3")
    assert done.stdout.strip() == "h(3) = f(f(f(h(0), x(1)), x(2)), x(3))"


def test_cli_exit_codes_tell_user_errors_from_missing_tools(tmp_path, monkeypatch):
    import os
    monkeypatch.setenv("PATH", "/nonexistent")
    done = subprocess.run([sys.executable, "-m", "viz", "export", "--arch", "elman", "-o", str(tmp_path / "a.svg")],
                          capture_output=True, text=True, env=dict(os.environ))
    assert done.returncode == 3 and "apt-get install graphviz" in done.stderr
    assert _cli("export", "--arch", "nope", "-o", str(tmp_path / "b.svg")).returncode == 2


def test_cli_is_quiet_when_its_reader_leaves_early():
    words = " ".join(f"word{i % 50}" for i in range(3000))   # JSON far bigger than a pipe's buffer
    child = subprocess.Popen([sys.executable, "-m", "viz", "run", "--arch", "elman", "--hidden", "64", "--text", words],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert child.stdout.read(10) == b'{"tokens":'
    child.stdout.close()   # as `| head -c 10` does
    err = child.stderr.read().decode()
    assert child.wait(timeout=60) == 0 and err == ""
