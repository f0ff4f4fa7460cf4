"""The baseline the character model must beat: a smoothed character n-gram (Witten-Bell interpolation)."""
from __future__ import annotations

import math
import random
from collections import Counter, defaultdict


class NGram:
    """Counts of each character after each context of up to order - 1 characters, read from a training text."""

    def __init__(self, train_text: str, alphabet: str, order: int = 3):
        self.alphabet, self.order = alphabet, order
        self.counts = [defaultdict(Counter) for _ in range(order)]   # counts[k][context of k chars][next char]
        for i, ch in enumerate(train_text):
            for k in range(order):
                if i >= k:
                    self.counts[k][train_text[i - k:i]][ch] += 1

    def probability(self, context: str, ch: str) -> float:
        """P(ch | the context's last order - 1 characters). Each order is mixed with the next lower one (down to
        uniform over the alphabet) with Witten-Bell weights: a context seen often, followed by few distinct
        characters, trusts its own counts."""
        p = 1.0 / len(self.alphabet)
        for k in range(self.order):      # from unigram up to the full context
            if k > len(context):
                break
            seen = self.counts[k].get(context[len(context) - k:] if k else "")
            if seen:
                total, kinds = sum(seen.values()), len(seen)
                p = (seen[ch] + kinds * p) / (total + kinds)
        return p

    def sample(self, prefix: str, length: int, temperature: float = 0.6, seed: int = 0) -> str:
        """The prefix continued one character at a time from P ** (1 / temperature), renormalised."""
        rng, text = random.Random(seed), prefix
        for _ in range(length):
            context = text[len(text) - self.order + 1:]
            weights = [self.probability(context, ch) ** (1 / temperature) for ch in self.alphabet]
            text += rng.choices(self.alphabet, weights)[0]
        return text


def ngram_loss(train_text: str, valid_text: str, alphabet: str, order: int = 3) -> float:
    """Nats per character on valid_text of an order-n model counted on train_text.

    >>> round(ngram_loss("abababab", "abab", "ab"), 3)
    0.214
    """
    model = NGram(train_text, alphabet, order)
    nats = sum(-math.log(model.probability(valid_text[max(0, i - order + 1):i], ch))
               for i, ch in enumerate(valid_text))
    return nats / len(valid_text)
