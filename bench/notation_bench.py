"""Time of the notation rewrite and the whole parse, on the book's forms and on the worst inputs the
length limit allows. Prints figures; run: python3 bench/notation_bench.py"""
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graphs import ParseError, parse          # noqa: E402
from graphs.limits import MAX_SOURCE_CHARS     # noqa: E402
from graphs.notation import NotationError, rewrite   # noqa: E402

BOOK_LSTM = ("f = σ(b_f + U_f x(t) + W_f h(t-1))\ni = σ(b_i + U_i x(t) + W_i h(t-1))\n"
             "g = tanh(b_g + U_g x(t) + W_g h(t-1))\no = σ(b_o + U_o x(t) + W_o h(t-1))\n"
             "c(t) = f c(t-1) + i g\nh(t) = o tanh(c(t))")


def _longest(unit: str, head: str = "h = ", tail: str = "") -> str:
    count = (MAX_SOURCE_CHARS - len(head) - len(tail)) // len(unit)
    return head + unit * count + tail


CASES = {
    "book Elman (1 line)": "h(t) = tanh(W h(t-1) + U x(t) + b)",
    "book LSTM (6 lines)": BOOK_LSTM,
    "4,000 chars of W h(t-1) + ": _longest("W h(t-1) + ", tail="b"),
    "4,000 chars of np.tanh(": _longest("np.tanh(", tail="x"),
    "4,000 chars of np.dot(W, ": _longest("np.dot(W, "),
    "4,000 chars of h_{t-1} + ": _longest("h_{t-1} + ", tail="x"),
    "60 lines of the book's Elman": "\n".join(f"h{k}(t) = tanh(W{k} h{k}(t-1) + U{k} x(t) + b{k})" for k in range(60)),
}


def best_of(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def _try_rewrite(text: str) -> None:
    try:
        rewrite(text)
    except NotationError:
        pass


def main() -> None:
    print(f"{'input':<32} {'chars':>6} {'rewrite ms':>11} {'parse ms':>9}  outcome")
    for name, text in CASES.items():
        def parsed():
            try:
                parse(text)
                return "parsed"
            except ParseError as err:
                return "ParseError: " + err.message[:40]
        outcome = parsed()
        rewrite_ms = best_of(lambda: _try_rewrite(text)) * 1e3
        print(f"{name:<32} {len(text):>6} {rewrite_ms:>11.2f} {best_of(parsed) * 1e3:>9.2f}  {outcome}")


if __name__ == "__main__":
    main()
