"""Replay issue 15's costly inputs through the CLI, one fresh process each: exit code, seconds, peak memory.

    python bench/attack_bench.py [--only NAME ...]

Each case used to take seconds to minutes and gigabytes (the issue's figures); the cost model should now
refuse it (exit 2) in about the time it takes to start Python and parse, and without allocating. Dense
circuits and elided tree nets are drawn instead (exit 0): Unfold lays them out itself. `--root DIR` runs
another checkout's CLI on the same files, for a side-by-side comparison. Peak memory is the Python
process's; Graphviz runs in a child of its own.
"""
from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

NESTED = "input x\nsize x = 16\n" + "\n".join(
    f"{b} = concat({', '.join([a] * 8)})" for a, b in [("x", "h1"), ("h1", "h2"), ("h2", "h3"), ("h3", "h4")])
PARAMS = "input x\nsize x = 1024\nsize h = 1024\nparam " + ",".join(f"W{k}" for k in range(19)) + \
    "\nh = tanh(" + "+".join(f"W{k}@x" for k in range(19)) + ")"   # a sum nests one level a term: 40 at most
DENSE = "input x\n" + "\n".join(f"v{i} = tanh(" + " + ".join(f"v{j}[t-1]" for j in range(12)) + " + x)"
                                for i in range(12))

# 58 equations, each reading five variables one step back and up to two lower ones now: 518 connections
DENSE58 = "input x\n" + "\n".join(
    f"v{i} = tanh(" + "+".join([f"v{(i * 7 + k * 11) % 58}[t-1]" for k in range(5)] +
                               [f"v{j}" for j in sorted({i // 2, i // 3}) if j < i]) + "+x)" for i in range(58))

# 58 equations, each reading up to 20 lower ones in the same step: 903 connections, 45 layers (`dot`: > 120 s)
DEEP58 = "input x\n" + "\n".join(
    f"v{i}=tanh(" + "+".join(sorted({f"v{(i * 13 + j * 7) % i}" for j in range(20)} if i else set()) + ["x"]) + ")"
    for i in range(58))


def _files(folder: Path) -> dict[str, str]:
    """The hostile files: an expanded 40000×40000 weight, a .npy header claiming (10⁸, 1000)."""
    import numpy as np
    import torch
    weights = folder / "expanded.pt"
    torch.save({"weight_ih_l0": torch.zeros(4, 3), "weight_hh_l0": torch.zeros(1).expand(40_000, 40_000)}, weights)
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(header, {"descr": "<f8", "fortran_order": False, "shape": (10**8, 1000)})
    claim = folder / "claim.pt"   # a 64-byte storage whose pickle claims 1.6 × 10⁹ floats (6.4 GB)
    claim.write_bytes(_forged_claim(1_600_000_000))
    bomb = folder / "deflated.pt"   # ten 4096×4096 float64 storages of zeros, deflated: 1.34 GB in ~1.3 MB
    bomb.write_bytes(_deflated_zeros(10))
    npy = folder / "huge.npy"
    npy.write_bytes(header.getvalue())
    return {"weights": str(weights), "claim": str(claim), "bomb": str(bomb), "npy": str(npy), "out": str(folder)}


def _deflated_zeros(tensors: int) -> bytes:
    """`tensors` 4096×4096 float64 weights of zeros (134 MB each), every entry deflated (~130 KB each)."""
    from forge import forged
    side = 4096
    zeros = bytes(side * side * 8)
    return forged({f"weight_hh_l{k}": (side * side, (side, side), (side, 1)) for k in range(tensors)},
                  {str(k): zeros for k in range(tensors)}, zipfile.ZIP_DEFLATED, double=True)


def _forged_claim(numel: int) -> bytes:
    """A 4×4 weight_hh_l0 whose data.pkl claims numel floats for its 16-float (64-byte) entry."""
    from forge import forged
    return forged({"weight_ih_l0": (12, (4, 3), (3, 1)), "weight_hh_l0": (numel, (4, 4), (4, 1))},
                  {"0": bytes(48), "1": bytes(64)})


def cases(files: dict[str, str]) -> dict[str, list[str]]:
    out = files["out"]
    return {
        "nested concat run": ["run", "--recurrence", NESTED, "--numbers", ", ".join(["1"] * 16)],
        "19 params 1024x1024": ["run", "--file", _written(out, "params.txt", PARAMS), "--numbers",
                                ", ".join(["1"] * 1024)],
        "dense circuit export": ["export", "--recurrence", DENSE, "-o", f"{out}/dense.svg"],
        "dense 58 equations": ["export", "--file", _written(out, "dense58.txt", DENSE58), "-o", f"{out}/d58.svg"],
        "deep 58 equations": ["export", "--file", _written(out, "deep58.txt", DEEP58), "-o", f"{out}/deep.svg"],
        "tree tau=1e5 elided": ["export", "--arch", "recursive", "--view", "unfolded", "--steps", "100000",
                                "--elide", "-o", f"{out}/tree.svg"],
        "gif 60 words": ["run", "--arch", "elman", "--text", " ".join(["word"] * 60), "--gif", f"{out}/a.gif"],
        "frames 500 words": ["run", "--arch", "elman", "--text", " ".join(["word"] * 500), "--frames", f"{out}/f"],
        "expanded weights": ["run", "--weights", files["weights"], "--numbers", "1, 2, 3"],
        "storage claim 6.4 GB": ["run", "--weights", files["claim"], "--numbers", "1, 2, 3"],
        "deflated 1.34 GB weights": ["run", "--weights", files["bomb"], "--numbers", "1, 2, 3"],
        ".npy header (1e8, 1000)": ["run", "--arch", "elman", "--sequence-file", files["npy"]],
        "--file /dev/zero": ["export", "--file", "/dev/zero", "-o", f"{out}/z.svg"],
    }


def _written(folder: str, name: str, text: str) -> str:
    path = Path(folder) / name
    path.write_text(text)
    return str(path)


# the child reports its own peak memory (VmHWM, reset at exec; ru_maxrss would carry the parent's over)
CHILD = """import re, sys
from viz.cli import main
code = main(sys.argv[1:])
peak = re.search(r"VmHWM:\\s+(\\d+)", open("/proc/self/status").read()).group(1)
print(f"peak {int(peak) // 1024} MB", file=sys.stderr)
sys.exit(code)"""


def measure(args: list[str], root: Path = ROOT) -> tuple[int, float, str, str]:
    """(exit code, seconds, the child's peak memory, first line of stderr), running the CLI of root."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", CHILD, *args], cwd=root, capture_output=True, text=True,
                          timeout=600)
    seconds = time.perf_counter() - start
    lines = done.stderr.strip().splitlines() or [""]
    peak = lines[-1] if lines[-1].startswith("peak ") else "peak ?"
    return done.returncode, seconds, peak, lines[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", help="names of cases to run")
    parser.add_argument("--root", type=Path, default=ROOT, help="another checkout's CLI to run (side by side)")
    options = parser.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    with tempfile.TemporaryDirectory() as folder:
        for name, args in cases(_files(Path(folder))).items():
            if options.only and name not in options.only:
                continue
            code, seconds, peak, message = measure(args, options.root)
            print(f"{name:<25} exit {code:<3} {seconds:6.2f} s  {peak:>12}  {message[:100]}")


if __name__ == "__main__":
    main()
