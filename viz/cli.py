"""`unfold …` (or `python -m viz …`): list, export, gt, run (cli_run.py), explain, app; one-line errors, exit codes."""
from __future__ import annotations

import argparse
import errno
import os
import sys
from importlib.util import find_spec
from pathlib import Path

from graphs import ParseError
from graphs.catalog import CATALOG
from graphs.gtext import g_text
from graphs.parse import assumptions

from .api import VIEWS, Diagram, check_output_path, load, load_text, read_bytes, read_text_file, view
from .errors import UsageError
from .render import FORMATS, RenderError

USER_ERROR = 2       # the input needs fixing (also argparse's own code)
MISSING_TOOL = 3     # Graphviz is missing or failed
INTERNAL_ERROR = 70  # a bug in Unfold
UNWRITABLE = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EROFS}   # the user's disk, not a bug
EXTRAS = {"torch": "torch", "streamlit": "app"}   # optional module → the extra that installs it


class Parser(argparse.ArgumentParser):
    """argparse, with its errors on one line (and its code, 2) like every other user mistake."""

    def error(self, message: str):
        self.exit(USER_ERROR, f"error: {self.prog}: {message} (see {self.prog} --help)\n")


def _source_arguments(parser: argparse.ArgumentParser, required: bool = True) -> None:
    source = parser.add_mutually_exclusive_group(required=required)
    source.add_argument("--arch", help="a catalog architecture (see `list`)")
    source.add_argument("--recurrence", help="recurrence text; separate lines with ';' or newlines")
    source.add_argument("--file", help="a file holding a recurrence")


def _weights_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--weights", help="a torch.save(state_dict()) file of an nn.RNN/GRU/LSTM or "
                        "nn.RNNCell/GRUCell/LSTMCell")
    parser.add_argument("--nonlinearity", choices=("tanh", "relu"), default="tanh",
                        help="an nn.RNN's nonlinearity (its weights file does not record it)")


def _text(args: argparse.Namespace) -> str | None:
    """The recurrence text of --arch, --recurrence (';' separates lines) or --file, if any was given."""
    if args.arch is not None:
        return load_text(arch=args.arch)
    if args.file is not None:
        return read_text_file(args.file)
    if args.recurrence is not None:
        return "\n".join(line.strip() for line in _lines(args.recurrence))
    return None


def _lines(text: str) -> list[str]:
    """Lines split at newlines and at each ';' outside brackets: f(s(t-1); θ) keeps its ';'."""
    lines, current, depth = [], [], 0
    for char in text:
        depth += char in "([{"
        depth -= char in ")]}"
        if char == "\n" or (char == ";" and depth <= 0):
            lines.append("".join(current))
            current = []
        else:
            current.append(char)
    return lines + ["".join(current)]


def _graph(args: argparse.Namespace):
    text = _text(args)
    if getattr(args, "weights", None):
        from graphs.backends.weights import weights_text
        if text is not None:
            raise UsageError("give either --weights or a recurrence (--arch, --recurrence, --file), not both")
        text = weights_text(read_bytes(Path(args.weights)), args.nonlinearity)
    elif text is None:
        raise UsageError("give one of --arch, --recurrence, --file or --weights")
    graph = load(recurrence=text)
    _say_assumed(text)
    return graph


def _say_assumed(text: str | None) -> None:
    """Tell, on stderr, which undeclared names were taken as inputs and params."""
    line = assumptions(text) if text else ""
    if line:
        print(line, file=sys.stderr)


def build_parser() -> argparse.ArgumentParser:
    from unfold import __version__
    parser = Parser(prog="unfold", description="Unfold: draw and run recurrences.")
    parser.add_argument("--version", action="version", version=f"unfold {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help="the catalog of architectures")
    export = commands.add_parser("export", help="draw a view to .svg, .png, .pdf or .dot")
    _source_arguments(export, required=False)
    _weights_arguments(export)
    export.add_argument("--view", choices=VIEWS, default="circuit")
    export.add_argument("--steps", type=int, help="τ for the unfolded view (default 4)")
    export.add_argument("--out-steps", type=int, help="steps of a second time axis (a decoder over u, Fig 10.12)")
    export.add_argument("--elide", action="store_true", help="draw the first and last steps with … between")
    export.add_argument("--param-nodes", action="store_true", help="draw each parameter as one shared node")
    export.add_argument("--tree", help="a recursive net's own tree, as brackets: \"((the cat) (sat down))\" or "
                        "\"((1 2) 3)\" (default: balanced)")
    export.add_argument("-o", "--output", required=True)
    gt = commands.add_parser("gt", help="write out the unfolded function g(t)")
    _source_arguments(gt)
    gt.add_argument("--state", help="which state (default: the catalog's, or the first one)")
    gt.add_argument("--steps", type=int, default=3, help="τ")
    gt.add_argument("--out-steps", type=int, help="steps of a second axis, for a decoder's state over u")
    gt.add_argument("--substitute", action="store_true", help="write f's body instead of f(…)")
    gt.add_argument("--latex", action="store_true")
    runner = commands.add_parser("run", help="run a recurrence on a sequence and print its values")
    _source_arguments(runner, required=False)
    data = runner.add_mutually_exclusive_group()
    data.add_argument("--text", help="a sentence: split into words (or --split char), one-hot")
    data.add_argument("--numbers", help="numbers, one step per ';', units separated by ','")
    data.add_argument("--sequence-file", help="a .npy or .csv file of shape (T, units)")
    data.add_argument("--steps", type=int, help="run a recurrence without inputs (an autonomous system) this long")
    runner.add_argument("--out-text", help="a second sentence, for inputs over a second axis (input y over u)")
    runner.add_argument("--out-numbers", help="a second sequence of numbers, for inputs over a second axis")
    runner.add_argument("--out-steps", type=int, help="steps of a second axis given no second sequence")
    runner.add_argument("--init", action="append", default=[], metavar="STATE=NUMBERS",
                        help="a state's h(0), as in --init h=0.5,-1 (default: its own initial state)")
    runner.add_argument("--mode", choices=("test", "train"), default="test",
                        help="train: teacher forcing reads the targets y(t-1); test: the model's own outputs")
    runner.add_argument("--tree", help="a recursive net's own tree over the sequence, as brackets; its words are the "
                        "sequence when no other is given")
    runner.add_argument("--split", choices=("word", "char"), default="word")
    runner.add_argument("--embed", type=int, default=0, help="embed tokens in this many units instead of one-hot")
    _weights_arguments(runner)
    runner.add_argument("--backend", choices=("numpy", "torch"), default="numpy")
    runner.add_argument("--dtype", choices=("float64", "float32"), default="float64",
                        help="float32 is faster on big batches; float64 makes both backends agree to 1e-9")
    runner.add_argument("--hidden", type=int, default=8)
    runner.add_argument("--seed", type=int, default=0)
    runner.add_argument("--json", action="store_true", help="print one JSON object (the default output)")
    runner.add_argument("--gif", help="also write the animation of the hidden state to this .gif")
    runner.add_argument("--frames", help="also write each animation frame as SVG into this folder")
    runner.add_argument("--svg-animation", help="also write the animation as one animated .svg (plays in a browser)")
    explain = commands.add_parser("explain", help="order matters: both sentiment models' verdicts, and for each "
                                  "pair of sentences (1st and 2nd, 3rd and 4th, …) the steps where they part")
    explain.add_argument("sentences", nargs="+")
    explain.add_argument("--json", action="store_true", help="print one JSON object (the default output)")
    year = commands.add_parser("year", help="parameter sharing: P(year) for every token, from both taggers")
    year.add_argument("sentences", nargs="+")
    year.add_argument("--json", action="store_true", help="print one JSON object (the default output)")
    commands.add_parser("app", help="start the app in the browser; Streamlit's options follow (--server.port 8600)")
    return parser


def _explain(args) -> None:
    import json

    from graphs.explainers import window
    from graphs.explainers.sentiment import load as load_sentiment
    from graphs.explainers.trace import trace_pair
    model = load_sentiment()
    pairs = zip(args.sentences[::2], args.sentences[1::2])   # 1st with 2nd, 3rd with 4th, …
    print(json.dumps({"sentences": [window.classify(model, window.load(words=model), sentence)
                                    for sentence in args.sentences],
                      "pairs": [trace_pair(model, first, second) for first, second in pairs]}, ensure_ascii=False))


def _year(args) -> None:
    import json

    from graphs.explainers.year import load as load_taggers
    taggers = load_taggers()
    print(json.dumps([taggers.tag(sentence) for sentence in args.sentences], ensure_ascii=False))


def _run(args) -> None:
    import json

    from graphs.backends.session import to_json_ready

    from .cli_run import session_of, write_animation
    text = _text(args)
    session = session_of(args, text)
    _say_assumed(text)
    write_animation(args, session)
    print(json.dumps(to_json_ready(session), allow_nan=False))


def _list(args) -> None:
    for arch in CATALOG.values():
        print(f"{arch.name:<16} {arch.figure:<12} {arch.title}")


def _export(args) -> None:
    check_output_path(args.output, FORMATS)   # before any work: a wrong name fails at once
    if args.view != "unfolded" and (args.steps is not None or args.elide or args.out_steps is not None):
        raise UsageError(f"--steps, --out-steps and --elide apply to --view unfolded, not to --view {args.view}")
    steps = 4 if args.steps is None else args.steps
    graph = view(_graph(args), args.view, steps, param_nodes=args.param_nodes, elide=args.elide, tree=args.tree,
                 out_steps=args.out_steps)
    path = Diagram(graph, param_nodes=args.param_nodes).save(args.output)
    print(f"wrote {path}")


def _gt(args) -> None:
    graph = _graph(args)
    state = args.state or (CATALOG[args.arch].state if args.arch else "") or next(
        (n.id for n in graph.nodes if n.kind == "state"), "")
    if not state:
        raise UsageError("this recurrence has no state (nothing like h[t-1]), so there is no g(t) to write")
    print(g_text(graph, state, args.steps, substitute=args.substitute, latex=args.latex, out_steps=args.out_steps))


def _app(args) -> None:
    if find_spec("streamlit") is None:
        raise ModuleNotFoundError("No module named 'streamlit'", name="streamlit")
    import unfold
    script = Path(unfold.__file__).parent / "app.py"   # the repository's app.py (a copy of it, once installed)
    # this process becomes Streamlit, so Ctrl-C and kill reach the server itself. The upload limit is set here
    # too, and the served-app options of the repository's .streamlit/config.toml (read only from the folder the app
    # starts in): no file watcher, no GC after each run, no magic
    command = [sys.executable, "-m", "streamlit", "run", str(script), "--server.maxUploadSize", "5",
               "--server.fileWatcherType", "none", "--runner.postScriptGC", "false", "--runner.magicEnabled", "false",
               *args.streamlit]
    sys.stdout.flush()
    os.execv(sys.executable, command)


COMMANDS = {"list": _list, "export": _export, "gt": _gt, "run": _run, "explain": _explain, "year": _year,
            "app": _app}


def main(argv: list[str] | None = None) -> int:
    """Run one command; the exit code says whose fault a failure is."""
    parser = build_parser()
    args, unknown = parser.parse_known_args(argv)
    if unknown and args.command != "app":   # only the app passes options on (to Streamlit)
        parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    args.streamlit = unknown
    try:
        code = COMMANDS[args.command](args) or 0
        sys.stdout.flush()   # a full disk behind stdout shows here, not after exit
        return code
    except (ParseError, UsageError) as err:
        print(f"error: {err}", file=sys.stderr)
        return USER_ERROR
    except ModuleNotFoundError as err:
        if err.name not in EXTRAS:
            return _internal(err)
        print(f"error: this needs {err.name}, which is not installed: pip install 'unfold[{EXTRAS[err.name]}]' "
              "(bash setup.sh installs everything)", file=sys.stderr)
        return USER_ERROR
    except RenderError as err:
        print(f"error: {err}", file=sys.stderr)
        return MISSING_TOOL
    except BrokenPipeError:   # the reader left early (`… | head`): not an error worth a message
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())   # so Python's exit flush stays quiet
        return 0
    except OSError as err:
        if err.errno not in UNWRITABLE:
            return _internal(err)
        print(f"error: cannot write the output: {err.strerror}", file=sys.stderr)   # `> /dev/full`, a full disk
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return USER_ERROR
    except Exception as err:  # noqa: BLE001 - one line, not a traceback, even for our own bugs
        return _internal(err)


def _internal(err: Exception) -> int:
    print(f"internal error ({type(err).__name__}): {err}; please report it", file=sys.stderr)
    return INTERNAL_ERROR
