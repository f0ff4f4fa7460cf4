"""viz/reuse.py: a decorator applied to the same function definition on every rerun is made once."""
from viz.reuse import once_per_process


def test_the_same_definition_run_again_gets_the_first_wrapper():
    made = []

    def decorator(**options):
        def wrap(func):
            made.append((options, func))
            return lambda *a: ("wrapped", func(*a))
        return wrap

    cached = once_per_process(decorator)
    source = "def double(x):\n    return 2 * x\n"
    code = compile(source, "script.py", "exec")   # compiled once, run on every rerun (as Streamlit does)
    wrappers = []
    for _ in range(3):
        namespace = {}
        exec(code, namespace)   # noqa: S102 - a fixed test string
        wrappers.append(cached(max_entries=4)(namespace["double"]))
    assert wrappers[0] is wrappers[1] is wrappers[2] and len(made) == 1
    assert wrappers[0](3) == ("wrapped", 6)
    other = {}
    exec(code, other)   # noqa: S102
    assert cached(max_entries=8)(other["double"]) is not wrappers[0]   # other options: another wrapper
    edited = {}
    exec(compile(source.replace("2 *", "3 *"), "script.py", "exec"), edited)   # noqa: S102
    assert cached(max_entries=4)(edited["double"])(3) == ("wrapped", 9)   # an edited script: a new one
