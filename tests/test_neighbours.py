"""What the diagram's τ stepper is sent ahead (viz/neighbours.py): drawings already made, each sent once."""
from viz import neighbours
from viz.neighbours import at_steps, remember, stepper

SOURCE = "input x\nparam W, U, b\nh = tanh(W @ h[t-1] + U @ x + b)"


def drawing(tau: int, source: str = SOURCE) -> tuple:
    return source, tau, False, False, False, "unfolded", None


def page(tau: int) -> dict:
    return {"svg": f"<svg>{tau}</svg>", "words": f"{tau} steps", "title": f"unfolded over {tau} steps", "frames": None}


def setup_function():
    neighbours._drawn.clear()


def test_only_drawings_already_made_are_offered():
    remember(drawing(5), page(5))
    data = stepper(drawing(4), 1, 60)
    assert data["tau"] == 4 and (data["min"], data["max"]) == (1, 60) and data["ahead"] is True
    assert data["neighbours"] == {"5": {"svg": "<svg>5</svg>", "words": "5 steps", "title": "unfolded over 5 steps"}}


def test_bounds_are_kept_and_past_60_steps_the_drawing_is_elided():
    remember(drawing(0), page(0))
    assert stepper(drawing(1), 1, 60)["neighbours"] == {}   # no τ = 0
    assert at_steps(drawing(60), 61)[3] is True and at_steps(drawing(61), 60)[3] is False
    assert stepper(at_steps(drawing(4), 70), 1, 500)["ahead"] is False


def test_a_neighbour_the_browser_holds_is_not_sent_again():
    for tau in (3, 4, 5, 6):
        remember(drawing(tau), page(tau))
    sent = {}
    assert set(stepper(drawing(4), 1, 60, sent)["neighbours"]) == {"3", "5"}
    assert set(stepper(drawing(5), 1, 60, sent)["neighbours"]) == {"6"}   # 4 was shown, 3 and 5 sent
    assert set(stepper(drawing(5), 1, 60, sent)["neighbours"]) == set()
    # the browser forgets drawings more than 3 steps away: so does the count of what it holds
    assert set(stepper(drawing(9), 1, 60, sent)["neighbours"]) == set() and sent[next(iter(sent))] == [6, 9]
    remember(drawing(8), page(8))
    assert set(stepper(drawing(9), 1, 60, sent)["neighbours"]) == {"8"}


def test_another_recurrence_is_another_family_and_starts_afresh():
    other = "input x\nparam W\nh = relu(W @ h[t-1] + x)"
    remember(drawing(5), page(5))
    remember(drawing(5, other), page(5))
    sent = {}
    stepper(drawing(4), 1, 60, sent)
    assert set(stepper(drawing(4, other), 1, 60, sent)["neighbours"]) == {"5"}
    assert stepper(drawing(4), 1, 60)["family"] != stepper(drawing(4, other), 1, 60)["family"]
