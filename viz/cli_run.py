"""`unfold run`: the command line's sequence and options read into a run, and the run's animation written out."""
from __future__ import annotations

import argparse
from pathlib import Path

from graphs import ParseError
from graphs.cost import check_frames
from graphs.tree import read_bracketing

from .api import check_output_path, read_bytes, view
from .errors import UsageError


def session_of(args: argparse.Namespace, text: str | None):
    """The recurrence `text` (or --weights) run on the sequence the options give; output paths checked first."""
    from graphs.backends import data
    from graphs.backends.session import run_sequence
    if args.gif:
        check_output_path(args.gif, ("gif",))
    if args.svg_animation:
        check_output_path(args.svg_animation, ("svg",))
    if args.frames and Path(args.frames).exists() and not Path(args.frames).is_dir():
        raise UsageError(f"--frames {args.frames}: a file is in the way of that folder")
    if args.text is None and args.out_text is None and (args.split != "word" or args.embed):
        raise UsageError("--split and --embed apply to --text only")
    if args.text is not None:
        sequence = data.from_text(args.text, args.split, embed=args.embed, seed=args.seed)
    elif args.numbers is not None:
        sequence = data.from_numbers(args.numbers)
    elif args.sequence_file is not None:
        path = Path(args.sequence_file)
        sequence = data.from_file(path.name, read_bytes(path))
    else:
        sequence = None
    bracketing = read_bracketing(args.tree) if args.tree is not None else None
    if bracketing is not None and sequence is None and args.steps is None:
        if not bracketing.words:
            raise ParseError("numbered leaves need a sequence: give --text, --numbers or --sequence-file")
        sequence = data.one_hot(list(bracketing.words))
    weights = read_bytes(Path(args.weights)) if args.weights else None
    return run_sequence(text, sequence, weights=weights, backend=args.backend, hidden=args.hidden,
                        seed=args.seed, dtype=args.dtype, steps=args.steps, mode=args.mode,
                        initial=_initial_states(args.init), tree=bracketing and bracketing.merges,
                        nonlinearity=args.nonlinearity, out_steps=args.out_steps, out_sequence=_out_sequence(args))


def write_animation(args: argparse.Namespace, session) -> None:
    """The run's animation, to whichever of --gif, --svg-animation and --frames were given."""
    if not (args.gif or args.frames or args.svg_animation):
        return
    from .animate import frames, node_values
    from .reel import animated_svg, gif, reel
    from .render import render_svg
    unfolded = view(session.graph, "unfolded", len(session.tokens), tree=args.tree,
                    out_steps=len(session.out_tokens) or None)
    if args.frames or args.gif:
        check_frames(unfolded)   # a picture per step: refused before the first is made
    numbers, tips = node_values(unfolded, session.result.arrays())
    try:   # a folder given for --gif, a missing parent: the user's to fix, not a bug
        if args.gif:
            Path(args.gif).write_bytes(gif(reel(unfolded, numbers, tips)))
        if args.svg_animation:
            Path(args.svg_animation).write_text(animated_svg(reel(unfolded, numbers, tips)))
        if args.frames:
            folder = Path(args.frames)
            folder.mkdir(parents=True, exist_ok=True)
            for k, dot in enumerate(frames(unfolded, numbers, tips)):
                (folder / f"frame-{k:04d}.svg").write_text(render_svg(dot))
    except OSError as err:
        raise UsageError(f"cannot write {err.filename or 'the animation'}: {err.strerror}") from None


def _out_sequence(args: argparse.Namespace):
    """The second sequence (a decoder's y over u) from --out-text or --out-numbers, or None."""
    from graphs.backends import data
    if args.out_text is not None and args.out_numbers is not None:
        raise UsageError("give --out-text or --out-numbers, not both")
    if (args.out_text is not None or args.out_numbers is not None) and args.out_steps is not None:
        raise UsageError("--out-steps is for a second axis without its sequence: drop it, or the sequence")
    if args.out_text is not None:
        return data.from_text(args.out_text, args.split, embed=args.embed, seed=args.seed)
    return data.from_numbers(args.out_numbers) if args.out_numbers is not None else None


def _initial_states(given: list[str]) -> dict:
    """{state: vector} from --init h=0.5,-1 options."""
    import numpy as np
    starts = {}
    for item in given:
        name, _, numbers = item.partition("=")
        try:
            starts[name.strip()] = np.array([float(v) for v in numbers.split(",")])
        except ValueError:
            raise ParseError(f"write an initial state as --init h=0.5,-1, not '{item[:40]}'") from None
    return starts
