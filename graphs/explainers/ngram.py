"""The baseline the character model must beat: a smoothed character n-gram (Witten-Bell interpolation)."""
from __future__ import annotations

import math
from collections import Counter, defaultdict


def ngram_loss(train_text: str, valid_text: str, alphabet: str, order: int = 3) -> float:
    """Nats per character on valid_text of an order-n model counted on train_text.

    Each order is mixed with the next lower one (down to uniform over the alphabet) with Witten-Bell weights:
    a context seen often, followed by few distinct characters, trusts its own counts.

    >>> round(ngram_loss("abababab", "abab", "ab"), 3)
    0.214
    """
    counts = [defaultdict(Counter) for _ in range(order)]   # counts[k][context of k chars][next char]
    for i, ch in enumerate(train_text):
        for k in range(order):
            if i >= k:
                counts[k][train_text[i - k:i]][ch] += 1

    def probability(context: str, ch: str) -> float:
        p = 1.0 / len(alphabet)
        for k in range(order):      # from unigram up to the full context
            if k > len(context):
                break
            seen = counts[k].get(context[len(context) - k:] if k else "")
            if seen:
                total, kinds = sum(seen.values()), len(seen)
                p = (seen[ch] + kinds * p) / (total + kinds)
        return p

    nats = sum(-math.log(probability(valid_text[max(0, i - order + 1):i], ch)) for i, ch in enumerate(valid_text))
    return nats / len(valid_text)
