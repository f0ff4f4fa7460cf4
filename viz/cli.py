"""`python -m viz …`: list the catalog, export a view, write g(t). One-line errors, distinct exit codes."""
from __future__ import annotations

import argparse
import sys

from graphs import ParseError
from graphs.catalog import CATALOG
from graphs.gtext import g_text

from .api import VIEWS, Diagram, load, view
from .render import RenderError

USER_ERROR = 2       # the input needs fixing (also argparse's own code)
MISSING_TOOL = 3     # Graphviz is missing or failed
INTERNAL_ERROR = 70  # a bug in Unfold


def _source_arguments(parser: argparse.ArgumentParser) -> None:
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--arch", help="a catalog architecture (see `list`)")
    source.add_argument("--recurrence", help="recurrence text; separate lines with ';' or newlines")
    source.add_argument("--file", help="a file holding a recurrence")


def _graph(args: argparse.Namespace):
    text = None
    if args.recurrence is not None:
        text = "\n".join(line.strip() for line in args.recurrence.replace(";", "\n").splitlines())
    return load(arch=args.arch, recurrence=text, file=args.file)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m viz", description="Unfold: draw and run recurrences.")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help="the catalog of architectures")
    export = commands.add_parser("export", help="draw a view to .svg, .png, .pdf or .dot")
    _source_arguments(export)
    export.add_argument("--view", choices=VIEWS, default="circuit")
    export.add_argument("--steps", type=int, default=4, help="τ for the unfolded view")
    export.add_argument("--elide", action="store_true", help="draw the first and last steps with … between")
    export.add_argument("--param-nodes", action="store_true", help="draw each parameter as one shared node")
    export.add_argument("-o", "--output", required=True)
    gt = commands.add_parser("gt", help="write out the unfolded function g(t)")
    _source_arguments(gt)
    gt.add_argument("--state", help="which state (default: the catalog's, or the first one)")
    gt.add_argument("--steps", type=int, default=3)
    gt.add_argument("--substitute", action="store_true", help="write f's body instead of f(…)")
    gt.add_argument("--latex", action="store_true")
    return parser


def _list(args) -> None:
    for arch in CATALOG.values():
        print(f"{arch.name:<16} Fig {arch.figure:<7} {arch.title}")


def _export(args) -> None:
    graph = view(_graph(args), args.view, args.steps, param_nodes=args.param_nodes, elide=args.elide)
    path = Diagram(graph, param_nodes=args.param_nodes).save(args.output)
    print(f"wrote {path}")


def _gt(args) -> None:
    graph = _graph(args)
    state = args.state or (CATALOG[args.arch].state if args.arch else "") or next(
        (n.id for n in graph.nodes if n.kind == "state"), "")
    print(g_text(graph, state, args.steps, substitute=args.substitute, latex=args.latex))


COMMANDS = {"list": _list, "export": _export, "gt": _gt}


def main(argv: list[str] | None = None) -> int:
    """Run one command; the exit code says whose fault a failure is."""
    args = build_parser().parse_args(argv)
    try:
        COMMANDS[args.command](args)
    except ParseError as err:
        print(f"error: {err}", file=sys.stderr)
        return USER_ERROR
    except RenderError as err:
        print(f"error: {err}", file=sys.stderr)
        return MISSING_TOOL
    except Exception as err:  # noqa: BLE001 - one line, not a traceback, even for our own bugs
        print(f"internal error ({type(err).__name__}): {err}; please report it", file=sys.stderr)
        return INTERNAL_ERROR
    return 0
