"""Labels as the book writes them: h⁽³⁾ for h(3), ŷ for y_hat, W₁ and fₜ for W1 and f_t.

Only what is drawn changes; node ids, tooltips and every text the program reads keep the plain form.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache

SUPERSCRIPT = str.maketrans("0123456789+-−()tu", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁽⁾ᵗᵘ")   # u: a decoder's own time axis
RAISABLE = str.maketrans("", "", "0123456789+-−tu")   # deletes what has a superscript form
SUBSCRIPT = dict(zip("0123456789aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ"))
HAT = "\u0302"   # combining circumflex: y + ^ = ŷ
NOTATIONS = ("book", "plain")


def book(label: str) -> str:
    """A node's label in the book's notation.

    >>> [book(s) for s in ("h(3)", "y_hat(t-1)", "h1(2)", "f_t(1)", "C(τ)", "h(1:4)", "…", "s(u-1)")]
    ['h⁽³⁾', 'ŷ⁽ᵗ⁻¹⁾', 'h₁⁽²⁾', 'fₜ⁽¹⁾', 'C(τ)', 'h(1:4)', '…', 's⁽ᵘ⁻¹⁾']
    """
    name, paren, step = label.partition("(")
    if not paren or not step.endswith(")"):
        return name_in_book(label)
    if step[:-1].translate(RAISABLE):   # τ, a tree's 1:4: no superscript form
        return f"{name_in_book(name)}({step}"
    return name_in_book(name) + ("(" + step).translate(SUPERSCRIPT)


@lru_cache(maxsize=1024)
def name_in_book(name: str) -> str:
    """A variable's or parameter's name as the book writes it.

    >>> [name_in_book(s) for s in ("y_hat", "W_hh", "W1", "f_t", "Wf", "W_xz", "θ", "0.9", "h_prev")]
    ['ŷ', 'Wₕₕ', 'W₁', 'fₜ', 'Wf', 'W_xz', 'θ', '0.9', 'h_prev']
    """
    if name.endswith("_hat") and len(name) > 4:
        return unicodedata.normalize("NFC", name_in_book(name[:-4]) + HAT)
    base, _, sub = name.partition("_")
    if sub and len(sub) <= 2 and all(c in SUBSCRIPT for c in sub):   # W_hh, f_t; not h_prev
        return base + "".join(SUBSCRIPT[c] for c in sub)
    if sub:
        return name
    digits = len(name) - len(name.rstrip("0123456789"))
    if digits and digits < len(name) and not name[0].isdigit():
        return name[:-digits] + "".join(SUBSCRIPT[c] for c in name[-digits:])
    return name


def show(label: str, notation: str) -> str:
    """The label as drawn in a notation: "book" (h⁽³⁾) or "plain" (h(3))."""
    return book(label) if notation == "book" else label
