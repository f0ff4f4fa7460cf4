"""The students of a load test: what each one does, when, and how long the app took to answer.

The model (the same for the protocol client and the browsers, seeded so two runs make the same class):
  arrival      each student opens the page at a random moment in the first --ramp seconds;
  page load    the page and its assets, then the first run of the script;
  think        before every later action, a pause drawn uniformly from --think (2–6 s by default): reading
               the diagram, deciding what to try;
  τ change     --taus times, the τ slider to a new value drawn from 2…60 (a value another student already chose
               is answered from the shared cache, as it would be in a class);
  switch       to the Run page;
  run          --runs times, a new sentence of its own ("student 3 reads zqdqb"): never cached, always computed.
Worst case (--burst): everyone arrives at once and every action starts at the same instant for all sessions
(a barrier before each), with no think time: a teacher saying "now all move the slider".

A rerun counts as answered when its script_finished arrives (every delta sent), and as checked when what it
sent holds the expected content: the node h@τ of the new unfolded graph, or the sentence's new word.
"""
from __future__ import annotations

import asyncio
import random
import re
import time
from dataclasses import dataclass, field

from st_session import ProtocolSession

FIRST_TAU, TAU_RANGE = 4, (2, 60)       # the slider's default, and where a student moves it


def letters(n: int) -> str:
    """0 → "a", 25 → "z", 26 → "ba": a number as a word (the tokenizer splits digits off)."""
    return (letters(n // 26) if n >= 26 else "") + chr(97 + n % 26)


@dataclass
class Step:
    action: str            # "page load", "τ change", "switch to Run", "run"
    think: float           # seconds of thought before it
    value: object = None   # the new τ, or the sentence
    expect: str = ""       # a pattern the answer must hold …
    refuse: str = ""       # … and one it must not (the drawing is of τ steps, not more)

    def check(self, text: str) -> bool:
        return bool(re.search(self.expect, text)) and not (self.refuse and re.search(self.refuse, text))


@dataclass
class Plan:
    arrival: float
    steps: list[Step] = field(default_factory=list)


def drawn(tau: int) -> tuple[str, str]:
    """The unfolded graph over τ steps has a node h@τ and none after it (a word boundary: h@7 is not h@70)."""
    return rf"h@{tau}\b", rf"h@{tau + 1}\b"


def plan_for(k: int, seed: int, taus: int, runs: int, think: tuple[float, float], ramp: float,
             burst: bool = False, tau_walk: bool = False) -> Plan:
    """Student k's visit. tau_walk: τ moves one step right each time (what a browser's arrow key does)."""
    rng = random.Random(f"{seed}-{k}")

    def pause() -> float:
        return 0.0 if burst else rng.uniform(*think)

    plan = Plan(0.0 if burst else rng.uniform(0, ramp), [Step("page load", 0.0, None, *drawn(FIRST_TAU))])
    tau = FIRST_TAU
    for _ in range(taus):
        tau = tau + 1 if tau_walk else rng.choice([t for t in range(TAU_RANGE[0], TAU_RANGE[1] + 1) if t != tau])
        plan.steps.append(Step("τ change", pause(), tau, *drawn(tau)))
    plan.steps.append(Step("switch to Run", pause(), "Run", "Sequence"))
    for r in range(runs):
        word = "zq" + letters(k) + "q" + letters(r + 26 * seed)
        plan.steps.append(Step("run", pause(), f"student {k} reads {word}", word))
    return plan


@dataclass
class Tally:
    times: dict = field(default_factory=dict)      # action → seconds, one per answered step
    checked: dict = field(default_factory=dict)    # action → answers holding the expected content
    errors: list = field(default_factory=list)

    def add(self, action: str, seconds: float, ok: bool) -> None:
        self.times.setdefault(action, []).append(seconds)
        self.checked[action] = self.checked.get(action, 0) + ok


async def follow(who: str, plan: Plan, act, tally: Tally, barrier: asyncio.Barrier | None) -> None:
    """One student taking the plan's steps, each after its thinking time. act(step) does one step and returns
    (seconds, content as expected, what came instead or ""); a failure ends this student only."""
    await asyncio.sleep(plan.arrival)
    failed = False
    for step in plan.steps:
        if barrier is not None:
            await barrier.wait()       # a failed student still meets the others, so no one waits forever
        if failed:
            continue
        await asyncio.sleep(step.think)
        try:
            seconds, ok, instead = await act(step)
        except Exception as err:  # noqa: BLE001 - counted and reported; the other students go on
            first_line = (str(err).splitlines() or [""])[0]
            tally.errors.append(f"{who}, {step.action}: {type(err).__name__}: {first_line[:160]}")
            failed = True
            continue
        tally.add(step.action, seconds, ok)
        if instead:
            tally.errors.append(f"{who}, {step.action}: {instead}")


async def protocol_student(k: int, url: str, plan: Plan, tally: Tally, barrier: asyncio.Barrier | None,
                           timeout: float, assets: bool) -> None:
    """One student over Streamlit's protocol, following the plan."""
    session = ProtocolSession(url, timeout=timeout, assets=assets)

    async def act(step: Step):
        start = time.perf_counter()
        if step.action == "page load":
            await session.open()
        elif step.action == "τ change":
            await session.rerun({"τ (steps)": step.value})
        elif step.action == "switch to Run":
            await session.rerun({"Page": step.value})
        else:
            await session.rerun({"Sequence": step.value})
        seconds, ok = time.perf_counter() - start, step.check(session.last_run_text)
        if ok:
            return seconds, True, ""
        text = re.sub(r"[^\w .,:()'’-]+", " ", session.last_run_text)   # answered, but not with the expected page
        return seconds, False, (f"{session.last_status}, {len(session.widgets)} widgets, "
                                f"unexpected content: {' '.join(text.split())[:200]}")

    await follow(f"session {k}", plan, act, tally, barrier)
    await session.close()
