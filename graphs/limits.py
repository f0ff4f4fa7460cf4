"""Every size a user controls, bounded in one place so that no input can hang the machine."""

MAX_SOURCE_CHARS = 4_000      # a recurrence's text
MAX_LINES = 60                # lines of a recurrence, comments included
MAX_NESTING = 40              # depth of an expression tree
MAX_NAME_CHARS = 24
MAX_LAG = 9                   # h[t-9] at most
MAX_NUMBER = 1e6              # absolute value of a literal
MAX_FULL_STEPS = 10_000       # τ drawn in full; beyond it the drawing is elided
MAX_STEPS = 10**9             # τ at all (elided)
MAX_GT_STEPS = 12             # τ for the written-out g(t)
MAX_SIZE = 1_024              # hidden or input size
MAX_SEQUENCE = 20_000         # steps of a run
MAX_BATCH = 256
MAX_VOCAB = 5_000
MAX_UPLOAD_BYTES = 5_000_000
MAX_RUN_FLOATS = 50_000_000   # every value a run keeps (steps × batch × units, all nodes)

# Budgets of the cost model (graphs/cost.py), checked before the work starts.
MAX_PARAM_FLOATS = 10_000_000   # numbers in all parameters together (80 MB in float64)
MAX_UNITS = 8 * MAX_SIZE        # units of any value, a concat's included
MAX_CIRCUIT_EDGES = 120         # connections in a circuit `dot` lays out (272 take 12 s; 120 take 0.9 s);
                                # past it, our own layered layout places it (viz/layered.py)
MAX_DENSE_CIRCUIT_EDGES = 2_500  # connections in a circuit drawn at all (60 lines of 4,000 characters hold ~2,000)
MAX_DRAWN_NODES = 100_000       # nodes of an unfolded drawing (LSTM at τ = 10,000: 70,000)
MAX_DRAWN_EDGES = 300_000       # edges of an unfolded drawing (LSTM at τ = 10,000: 240,000)
MAX_TREE_LEAVES = 2_000         # leaves of a tree-structured net drawn in full (elided: any τ)
MAX_FRAME_NODES = 6_000         # nodes over all frames of a GIF or frame export (each frame is a picture)
