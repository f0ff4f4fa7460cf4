"""How close a traced nn.Module cell runs to the module itself, and how long tracing takes.

    python bench/trace_bench.py

For the test file's four cells (Elman, GRU-like, peephole LSTM, two states; 3 inputs, 5 units, float32 modules)
prints, per backend, the largest |h_ours - h_module| over 12 steps × batch 2, and the time from_module takes
(the first call of a process includes torch's one-time imports behind torch.fx).
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path[:0] = [str(Path(__file__).parent.parent), str(Path(__file__).parent.parent / "tests")]
from graphs.backends import run  # noqa: E402
from graphs.backends.torch_trace import from_module  # noqa: E402
from test_torch_trace import CELLS, TwoStates, _module_states  # noqa: E402


def main() -> None:
    for name in sorted(CELLS) + ["two states"]:
        torch.manual_seed(4)
        module = CELLS.get(name, TwoStates)(3, 5)
        start = time.perf_counter()
        traced = from_module(module)
        seconds = time.perf_counter() - start
        xs = torch.randn(12, 2, 3)
        expected = _module_states(module, xs, traced.state_sizes, name == "peephole lstm")
        gaps = []
        for backend in ("numpy", "torch"):
            result = run(traced.graph, {"x": xs.numpy().astype(np.float64)}, params=traced.params, backend=backend)
            gaps.append(f"{backend} {np.abs(result.arrays()['h'] - expected).max():.1e}")
        print(f"{name:14} max |Δh|: {', '.join(gaps)}; traced in {seconds * 1000:.0f} ms")


if __name__ == "__main__":
    main()
