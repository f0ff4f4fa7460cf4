"""Run Graphviz: the only place that starts the `dot` program."""
from __future__ import annotations

import re
import shutil
import subprocess

FORMATS = ("svg", "png", "pdf", "dot")
TIMEOUT_SECONDS = 60


class RenderError(RuntimeError):
    """Graphviz is missing or failed; the message says what to do."""


def render(dot_source: str, fmt: str = "svg", timeout: float = TIMEOUT_SECONDS) -> bytes:
    """The drawing in fmt (svg, png, pdf, or dot for the text itself)."""
    if fmt not in FORMATS:
        raise RenderError(f"unknown format '{fmt}': use one of {', '.join(FORMATS)}")
    if fmt == "dot":
        return dot_source.encode()
    if shutil.which("dot") is None:
        raise RenderError("Graphviz's dot program is not installed: run `apt-get install graphviz` "
                          "(or `bash setup.sh`), or export as .dot")
    # positioned graphs (layout=neato) keep our coordinates: -n2 turns neato's own layout off
    command = ["dot", f"-T{fmt}"]
    if re.search(r'\blayout="neato"', dot_source[:2000]):
        command = ["neato", "-n2", f"-T{fmt}"]
    try:
        # subprocess rather than graphviz.pipe: we need a timeout so a huge graph cannot hang a request
        done = subprocess.run(command, input=dot_source.encode(), capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise RenderError(f"Graphviz took more than {timeout:g} s; draw fewer steps or use the elided view") from None
    if done.returncode != 0:
        message = done.stderr.decode(errors="replace").strip().splitlines()
        raise RenderError("Graphviz failed: " + (message[0] if message else f"exit code {done.returncode}"))
    return done.stdout


def render_svg(dot_source: str, timeout: float = TIMEOUT_SECONDS) -> str:
    """SVG text of a DOT graph."""
    return render(dot_source, "svg", timeout).decode()
