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
