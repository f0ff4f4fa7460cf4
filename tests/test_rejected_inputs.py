"""What the parser refuses on purpose: each row must raise ParseError and do nothing else."""
import os

import pytest

from graphs import ParseError, parse
from graphs.limits import MAX_SOURCE_CHARS

HOSTILE = [
    "h = __import__('os').system('touch /tmp/unfold-canary')",
    "h = x.__class__",
    "input x\nh = x.__class__.__mro__",
    "h = (lambda: 1)()",
    "h = [x for x in y]",
    "import os",
    "from os import system",
    "h = exec('1')",
    "h = eval('1')",
    "h = open('/etc/passwd')",
    "input x\nh = tanh(x, key=1)",
    "input x\nh = x[t+0.5]",
    "input x\nh = h[t-100]",
    "input x\nh = x if x else x",
    "input x\nh = 9**9**9",
    "input x\nh = 1e999 * x",
    "input x\nh = 'text'",
    "input x\nh = x; import os",
    "input __x\nh = __x",
    "input x\nh = globals()",
    "input x\nh = (yield x)",
    "input x\nh = x\x00",
    "input x\nh = " + "(" * 300 + "x" + ")" * 300,
    "input x\nh = " + "tanh(" * 60 + "x" + ")" * 60,
    "input x\nh = " + "1" * 5000,
    "x" * (MAX_SOURCE_CHARS + 1),
    "input x\n" + "\n" * 100 + "h = x",
    "input x\nh = x[τ][t]",
    "input x\nh = t",
    "def f(): pass",
    "input x\nh: int = x",
    "input x\nh += x",
    "input x\nh = x @ {1: 2}",
    "input x\nh = x.real",
    "input x\nh = tanh(*x)",
    "input x\n(h, g) = x, x",
    'input a" [shape=none label=<<b>x</b>>]\nh = 1',
    # the notation front door rewrites text only; what it makes is walked by the same allow-list
    "h = np.__class__(x)",
    "h = torch.load('model.pt')",
    "h = np.tanh.__globals__",
    "h = x.dot.__self__",
    r"h = \input{/etc/passwd}",
    "h = " + "np.tanh(" * 300 + "x" + ")" * 300,
    "h = " + "np.dot(W, " * 200 + "x" + ")" * 200,
    "h = " + r"\mathbf{" * 300 + "x" + "}" * 300,
    "h = " + "W (" * 300 + "x" + ")" * 300,
    "h(t) = f(s(t-1); θ); import os",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_rejected(text, tmp_path, monkeypatch):
    canary = tmp_path / "canary"
    monkeypatch.setenv("UNFOLD_CANARY", "untouched")
    with pytest.raises(ParseError) as info:
        parse(text)
    assert info.value.message
    assert not canary.exists() and not os.path.exists("/tmp/unfold-canary")
    assert os.environ["UNFOLD_CANARY"] == "untouched"


def test_no_eval_or_exec_anywhere_in_the_parser():
    import re
    from pathlib import Path
    source = "".join(p.read_text() for p in Path("graphs").glob("*.py"))
    assert not re.search(r"(?<![.\w])(eval|exec|compile)\(", source)


@pytest.mark.parametrize("text", HOSTILE[:20])
def test_rejected_by_the_cli_too(text, tmp_path):
    import subprocess
    import sys
    source = tmp_path / "hostile.rnn"
    source.write_text(text, encoding="utf-8", errors="surrogatepass")
    out = tmp_path / "out.svg"
    done = subprocess.run([sys.executable, "-m", "viz", "export", "--file", str(source), "-o", str(out)],
                          capture_output=True, text=True)
    assert done.returncode == 2
    assert done.stderr.startswith("error:") and len(done.stderr.splitlines()) == 1
    assert not out.exists() and not os.path.exists("/tmp/unfold-canary")
