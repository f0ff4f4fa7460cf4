// τ − / τ + on the unfolded diagram's toolbar (and ← / → when the diagram has the focus): the drawing at the
// next τ is swapped in at once from what the server sent ahead (τ ± 1, viz/neighbours.py), with no round trip;
// the new τ then goes to the server (a trigger of the component), so the slider, the link, g(t), the other pages
// and the next neighbours follow. Without a drawing at hand, the step still goes to the server, which draws it.
(function () {
  "use strict";

  // What the server sent with a rerun: kept per τ (a few), for as long as the drawing's family (recurrence,
  // toggles) stays the same; τ is the server's own unless the reader is stepping ahead of it.
  function receive(slot, data) {
    var sent = data.stepper, before = slot.stepper && slot.stepper.family === sent.family ? slot.stepper : null;
    var cache = before ? before.cache : {};
    cache[sent.tau] = { svg: data.svg, words: data.words, title: data.title };
    Object.keys(sent.neighbours || {}).forEach(function (t) { cache[t] = sent.neighbours[t]; });
    // the server counts on this: it sends again only what is beyond 3 steps (viz/neighbours.py: KEPT_AROUND)
    Object.keys(cache).forEach(function (t) { if (Math.abs(t - sent.tau) > 3) delete cache[t]; });
    // A rerun that left the server before it heard of the reader's step still carries the old τ: the reader stays
    // ahead (mount then keeps the drawing), until the server's answer comes, or for PENDING_MS at most
    var ahead = before && before.pending !== undefined && before.pending !== sent.tau &&
                performance.now() - before.pendingAt < PENDING_MS && cache[before.pending];
    var stepper = { family: sent.family, tau: ahead ? before.pending : sent.tau, min: sent.min, max: sent.max,
                    cache: cache, asked: before ? before.asked : {} };
    if (ahead) { stepper.pending = before.pending; stepper.pendingAt = before.pendingAt; }
    if (sent.ahead && !before) askForNeighbours(slot, stepper);
    return stepper;
  }

  var PENDING_MS = 5000;   // how long a step may go unanswered before the server's τ is taken again

  // The reader moved τ in the page (a step, or the slider): the server is told, and its answer is awaited.
  function stepped(stepper, tau) {
    stepper.tau = tau;
    stepper.pending = tau;
    stepper.pendingAt = performance.now();
  }

  // A first picture comes before its neighbours are drawn (the server draws them right after): a moment later,
  // once per drawing family (the first picture, a new recurrence or toggle), the server is asked for them ("ahead": a rerun that changes nothing else, not even τ, which the
  // slider may have moved meanwhile), and that rerun hands them over.
  function askForNeighbours(slot, stepper) {
    var tau = stepper.tau, family = stepper.family;
    function missing(now) {
      return [tau - 1, tau + 1].some(function (t) { return t >= now.min && t <= now.max && !now.cache[t]; });
    }
    if (!missing(stepper) || stepper.asked[tau]) return;
    stepper.asked[tau] = true;
    setTimeout(function () {
      var now = slot.stepper;   // a later rerun may have brought them, or the reader moved on
      if (now && now.family === family && now.tau === tau && missing(now)) slot.component.setTriggerValue("ahead", tau);
    }, 800);
  }

  function step(slot, by) {
    var stepper = slot.stepper, tau = stepper.tau + by;
    if (tau < stepper.min || tau > stepper.max) return;
    var drawing = stepper.cache[tau];
    stepped(stepper, tau);
    if (drawing) {
      var data = Object.assign({}, slot.component.data, drawing);
      window.UnfoldMount.show(slot, data);
    } else if (slot.view) {
      slot.view.root.classList.add("waiting");   // the server draws it: a moment
      if (slot.view.tauLabel) slot.view.tauLabel.textContent = "τ = " + tau + " …";
    }
    window.unfoldLastStep = { tau: tau, at: performance.now(), instant: !!drawing };   // for the bench and tests
    slot.component.setTriggerValue("step", tau);
  }

  // The buttons on the view's toolbar, and the keys on the diagram (focusable: a click on it gives it the focus).
  function attach(slot, view) {
    var stepper = slot.stepper, bar = view.root.querySelector(".bar"), button = window.Unfold.button;
    var back = button(bar, "τ −", "one step fewer (←)", function () { step(slot, -1); });
    view.tauLabel = document.createElement("span");
    view.tauLabel.className = "status";
    view.tauLabel.textContent = "τ = " + stepper.tau;
    bar.appendChild(view.tauLabel);
    var on = button(bar, "τ +", "one step more (→)", function () { step(slot, +1); });
    back.disabled = stepper.tau <= stepper.min;
    on.disabled = stepper.tau >= stepper.max;
    view.root.tabIndex = 0;
    function onKey(event) {
      if (event.key !== "ArrowLeft" && event.key !== "ArrowRight") return;
      event.preventDefault();
      step(slot, event.key === "ArrowRight" ? 1 : -1);
    }
    view.root.addEventListener("keydown", onKey);
    view.cleanups.push(function () { view.root.removeEventListener("keydown", onKey); });
    followSlider(slot, view);
  }

  // The sidebar's τ slider (app.py, key "steps") moves in the page before the server hears of it: a move to a τ
  // whose drawing is at hand is shown at once, as a step of the stepper; the slider itself tells the server, whose
  // rerun then finds the same drawing in place.
  var SLIDER = ".st-key-steps input[type='range']";   // React sets its aria-valuetext as it moves

  function followSlider(slot, view) {
    if (typeof MutationObserver === "undefined") return;
    var slider = null, timer = null, tries = 0;
    var watch = new MutationObserver(function () {
      var stepper = slot.stepper, tau = Number(slider.value);
      if (!stepper || tau === stepper.tau || !stepper.cache[tau]) return;
      stepped(stepper, tau);
      window.unfoldLastStep = { tau: tau, at: performance.now(), instant: true, by: "slider" };
      window.UnfoldMount.show(slot, Object.assign({}, slot.component.data, stepper.cache[tau]));
    });
    // On a busy machine the sidebar can be drawn after the diagram: look for the slider until it is there.
    function find() {
      slider = document.querySelector(SLIDER);
      if (slider) watch.observe(slider, { attributes: true, attributeFilter: ["aria-valuetext", "value"] });
      else if (++tries < 100) timer = setTimeout(find, 100);
    }
    find();
    view.cleanups.push(function () { clearTimeout(timer); watch.disconnect(); });
  }

  // The same control (or the diagram) has the focus again in the new drawing.
  function refocus(view, focused) {
    var label = focused && focused.getAttribute && focused.getAttribute("aria-label");
    var same = label && view.root.querySelector(".bar button[aria-label='" + label + "']");
    (same && !same.disabled ? same : view.root).focus({ preventScroll: true });
  }

  window.UnfoldStepper = { receive: receive, attach: attach, refocus: refocus, step: step };
})();
