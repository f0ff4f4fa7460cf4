"""The chapter's architectures, each a short text in the recurrence language itself."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Architecture:
    name: str
    figure: str   # where the book shows it: a figure (Fig 10.3) or, with no figure of its own, a section (§10.9.2)
    title: str
    text: str
    state: str = "h"   # the state whose g(t) is written out


def _arch(name: str, figure: str, title: str, text: str, state: str = "h") -> Architecture:
    return Architecture(name, figure, title, text.strip() + "\n", state)


CATALOG = {a.name: a for a in [
    _arch("dynamical", "Fig 10.1", "Autonomous dynamical system s(t) = f(s(t-1); θ)", """
param θ
s = f(s[t-1], θ)
""", state="s"),
    _arch("driven", "Fig 10.2", "System driven by an input: h(t) = f(h(t-1), x(t); θ)", """
input x
param W, U, b
h = tanh(W @ h[t-1] + U @ x + b)
"""),
    _arch("elman", "Fig 10.3", "Hidden-to-hidden RNN with an output and a loss at every step", """
input x, y
param W, U, V, b, c
h = tanh(W @ h[t-1] + U @ x + b)
o = V @ h + c
y_hat = softmax(o)
L = cross_entropy(y_hat, y)
"""),
    _arch("jordan", "Fig 10.4", "Output-to-hidden recurrence: the only loop runs through o", """
input x, y
param W, U, V, b, c
h = tanh(W @ o[t-1] + U @ x + b)
o = V @ h + c
L = cross_entropy(softmax(o), y)
"""),
    _arch("single_output", "Fig 10.5", "Read the whole sequence, one output at the end", """
input x, y
param W, U, V, b, c
h = tanh(W @ h[t-1] + U @ x + b)
o = V @ h[τ] + c
L = cross_entropy(softmax(o), y[τ])
"""),
    _arch("teacher_forcing", "Fig 10.6", "Teacher forcing: the previous target y(t-1) while training, "
          "the previous output at test time", """
input x, y
param W, U, V, b, c
h = tanh(W @ teacher_forcing(y[t-1], y_hat[t-1]) + U @ x + b)
o = V @ h + c
y_hat = softmax(o)
L = cross_entropy(y_hat, y)
"""),
    _arch("bidirectional", "Fig 10.11", "Bidirectional RNN: h runs forward, g runs backward in time", """
input x, y
param W, U, b, Wg, Ug, bg, V, c
h = tanh(W @ h[t-1] + U @ x + b)
g = tanh(Wg @ g[t+1] + Ug @ x + bg)
o = V @ concat(h, g) + c
L = cross_entropy(softmax(o), y)
"""),
    _arch("encoder_decoder", "Fig 10.12", "Encoder–decoder: the encoder reads x(1…n_x) over t, the decoder writes "
          "y(1…n_y) over its own axis u, reading the context C = h(n_x) at every step", """
input x
input y over u
param W, U, b, Ws, Wy, Wc, bs, V, c
h = tanh(W @ h[t-1] + U @ x + b)
C = h[τ]
s = tanh(Ws @ s[u-1] + Wy @ y[u-1] + Wc @ C + bs)
o = V @ s + c
L = cross_entropy(softmax(o), y)
""", state="s"),
    _arch("deep_stacked", "Fig 10.13a", "Deep RNN: two recurrent layers stacked", """
input x, y
param W1, U1, b1, W2, U2, b2, V, c
h1 = tanh(W1 @ h1[t-1] + U1 @ x + b1)
h2 = tanh(W2 @ h2[t-1] + U2 @ h1 + b2)
o = V @ h2 + c
L = cross_entropy(softmax(o), y)
""", state="h2"),
    _arch("deep_transition", "Fig 10.13b", "Deep transition: an MLP between h(t-1) and h(t)", """
input x
param Wz, bz, W, U, b, V, c
z = relu(Wz @ h[t-1] + bz)
h = tanh(W @ z + U @ x + b)
o = V @ h + c
"""),
    _arch("deep_skip", "Fig 10.13c", "Deep transition with a skip connection from h(t-1)", """
input x
param Wz, bz, W, Ws, U, b, V, c
z = relu(Wz @ h[t-1] + bz)
h = tanh(W @ z + Ws @ h[t-1] + U @ x + b)
o = V @ h + c
"""),
    _arch("recursive", "Fig 10.14", "Recursive (tree-structured) net over the inputs", """
input x, y
param V, W, b, U, c
h[leaf] = tanh(V @ x)
h = tanh(W @ concat(h[left], h[right]) + b)
o = U @ h[τ] + c
L = cross_entropy(softmax(o), y[τ])
"""),
    _arch("lstm", "Fig 10.16", "LSTM cell: gated self-loop on the cell state c", """
input x
param Wf, bf, Wi, bi, Wg, bg, Wo, bo
f = sigmoid(Wf @ concat(h[t-1], x) + bf)
i = sigmoid(Wi @ concat(h[t-1], x) + bi)
g = tanh(Wg @ concat(h[t-1], x) + bg)
c = f * c[t-1] + i * g
o = sigmoid(Wo @ concat(h[t-1], x) + bo)
h = o * tanh(c)
"""),
    _arch("gru", "§10.10.2", "Gated recurrent unit", """
input x
param Wz, Uz, bz, Wr, Ur, br, W, U, b
z = sigmoid(Wz @ x + Uz @ h[t-1] + bz)
r = sigmoid(Wr @ x + Ur @ h[t-1] + br)
n = tanh(W @ x + U @ (r * h[t-1]) + b)
h = (1 - z) * n + z * h[t-1]
"""),
    _arch("leaky", "§10.9.2", "Leaky units: a running average with a fixed time constant", """
input x
param W, U, b
h = 0.9 * h[t-1] + 0.1 * tanh(W @ h[t-1] + U @ x + b)
"""),
    _arch("lag2", "§10.9.1", "Skip connections through time: h(t) reads h(t-1) and h(t-2)", """
input x
param W1, W2, U, b
h = tanh(W1 @ h[t-1] + W2 @ h[t-2] + U @ x + b)
"""),
    _arch("trainable_init", "§10.2", "Elman RNN with a trainable initial state h(0)", """
input x
param W, U, b, h0
h[0] = h0
h = tanh(W @ h[t-1] + U @ x + b)
"""),
    _arch("tdnn", "§10 (intro)", "1-D convolution over time (time-delay net): shares weights, no recurrence", """
input x
param W0, W1, W2, b
y = W0 @ x + W1 @ x[t-1] + W2 @ x[t-2] + b
""", state=""),
]}
