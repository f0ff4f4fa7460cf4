"""The words a first-time reader needs: how to read the pictures, and the recurrence language in brief."""

READING = ("Left, the **circuit**: one node per variable, and a loop through the **black square**, a delay of "
           "one time step (h(t-1) feeds h(t)). Right, the same computation **unfolded** over τ steps, time running "
           "left to right, the same parameters (blue letters) on every step; on the Run page, colours are values, "
           "blue negative, red positive, white zero.")

EXAMPLE = """\
input x, y                        # per-step inputs x(t) and targets y(t)
param W, U, V, b                  # θ: shared by every step
h = tanh(W @ h[t-1] + U @ x + b)  # h[t-1]: the step before (h[t-2] … h[t-9])
g = tanh(W @ g[t+1] + U @ x)      # g[t+1]: the step after (bidirectional)
o = V @ h[τ]                      # h[τ]: the last step only, computed once
L = cross_entropy(softmax(o), y)
"""

# The example is shown as plain text (st.text) above these notes: a fenced code block would make the browser load
# Streamlit's syntax highlighter, about a second of the first page's load (bench/app_browser_bench.py).
SYNTAX = ("`+ - * / @` (`*` element-wise, `@` a matrix product); `tanh sigmoid relu exp log softmax concat "
          "cross_entropy mse teacher_forcing f`. Two lengths (Fig 10.12): `input y over u` gives y an axis u of its "
          "own; a decoder reads `s[u-1]`, `y[u-1]` and `C = h[τ]`. Every error names its line and column.")
