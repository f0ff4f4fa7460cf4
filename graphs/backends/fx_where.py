"""Where in the user's module an fx node came from, and the names the user gave its values.

Both are read from fx's recorded stack traces and the module's source lines, parsed with `ast`, never run.
"""
from __future__ import annotations

import ast
import importlib.util
import inspect
import linecache
import os
import re
import sysconfig

_TORCH = importlib.util.find_spec("torch")
LIBRARIES = tuple(os.path.dirname(path) + os.sep for path in (   # Unfold's graphs/, torch's, Python's
    os.path.dirname(__file__), _TORCH.origin if _TORCH else "/nonexistent/x", sysconfig.get_paths()["stdlib"] + "/x"))
FRAME = re.compile(r'File "(?P<file>[^"]+)", line (?P<line>\d+), in \S+\n\s*(?P<code>[^\n]*)')


def _last_frame(node) -> tuple[str, int, str] | None:
    """(file, line, code) of the user's line that made this node, if fx recorded it."""
    frames = list(FRAME.finditer(node.meta.get("stack_trace") or "")) if node is not None else []
    own = [f for f in frames if not _library(f["file"])]   # fx records its own frames after the user's
    if not own:
        return None
    last = own[-1]
    return last["file"], int(last["line"]), last["code"].strip()


def where(node, traceback=None, cls=None) -> str:
    """'line 12 (`r = torch.fft.fft(h)`): ' for a node or a traceback through the user's class, else ''."""
    frame = _last_frame(node)
    if frame is None and traceback is not None:
        frame = _frame_in(traceback, cls)
    if frame is None:
        return ""
    file, line, code = frame
    short = file.rsplit("/", 1)[-1]
    return f"line {line} of {short} (`{code[:80]}`): " if code else f"line {line} of {short}: "


def _frame_in(traceback, cls) -> tuple[str, int, str] | None:
    """The deepest frame of a traceback that runs the user's own code (not torch's, not Unfold's)."""
    try:
        own = inspect.getsourcefile(cls) if cls is not None else None
    except TypeError:
        own = None
    found = None
    while traceback is not None:
        code = traceback.tb_frame.f_code
        if code.co_filename == own or not _library(code.co_filename):
            line = linecache.getline(code.co_filename, traceback.tb_lineno).strip()
            found = (code.co_filename, traceback.tb_lineno, line)
        traceback = traceback.tb_next
    return found


def _library(file: str) -> bool:
    """Whether a file is torch's, Python's or this package's, not the user's."""
    return file.startswith(LIBRARIES)


def user_names(graph) -> dict:
    """{fx node: name} for the values the module assigns to a name (`r = …`, `r, z = gates.chunk(2, 1)`)."""
    groups: dict[tuple, list] = {}
    for node in graph.nodes:
        frame = _last_frame(node)
        if frame is not None and node.op not in ("placeholder", "output"):
            groups.setdefault(frame[:2], []).append((node, frame[2]))
    names = {}
    for members in groups.values():
        targets = _targets(members[-1][1])
        if len(targets) == 1:
            names[members[-1][0]] = targets[0]
        elif targets:
            for node, _ in members:
                index = node.args[1] if len(node.args) == 2 else None
                if getattr(node.target, "__name__", "") == "getitem" and isinstance(index, int) \
                        and 0 <= index < len(targets):
                    names[node] = targets[index]
    return {node: name for node, name in names.items() if name}


def _targets(code: str) -> list[str]:
    """The names a one-line assignment assigns (['r', 'z'] for `r, z = …`), or []."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []
    if len(tree.body) != 1 or not isinstance(tree.body[0], ast.Assign) or len(tree.body[0].targets) != 1:
        return []
    target = tree.body[0].targets[0]
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, ast.Tuple):
        return [e.id if isinstance(e, ast.Name) else "" for e in target.elts]
    return []


def split_names(node) -> dict:
    """{getitem node: name} for the parts of a split the user unpacked into names (r, z = …)."""
    found = {}
    for user in node.users:
        frame = _last_frame(user)
        if frame and getattr(user.target, "__name__", "") == "getitem" and isinstance(user.args[1], int):
            targets = _targets(frame[2])
            if user.args[1] < len(targets) and targets[user.args[1]]:
                found[user] = targets[user.args[1]]
    return found


def qualified(node) -> str:
    """torch.fft.fft, Tensor.sum or operator.pow: the name a user knows the operation by."""
    target = node.target
    if node.op == "call_method":
        return f"Tensor.{target}()"
    try:
        import torch
        return torch.overrides.resolve_name(target) or f"{target.__module__}.{target.__name__}"
    except (AttributeError, TypeError):
        return getattr(target, "__name__", str(target))
