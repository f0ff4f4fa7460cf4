// The app's diagram component (component.js) mounts through this, loaded once per page with the other scripts
// (the "unfold.scripts" component: its message is the same on every rerun, so Streamlit sends it once and then
// only a reference). Streamlit calls mount with new data when a rerun changes it (τ moved: a new SVG) and again
// when the theme changes; only then is the drawing swapped, in place, keeping the reader's zoom.
// Data (viz/interactive.py's diagram_data): svg, words, title, name, height, frames, and for the unfolded
// graph a stepper (viz/neighbours.py): τ, its bounds and the drawings at τ ± 1, stepped to in the browser.
(function () {
  "use strict";

  function build(data) {
    var root = document.createElement("div");
    root.className = "unfold";
    root.dataset.name = data.name;
    root.setAttribute("role", "figure");
    root.setAttribute("aria-label", data.title);
    root.setAttribute("aria-describedby", data.name + "-words");
    root.style.height = data.height + "px";
    var words = document.createElement("p");
    words.className = "sr-only";
    words.id = data.name + "-words";
    words.textContent = data.words;
    var stage = document.createElement("div");
    stage.className = "stage";
    stage.innerHTML = data.svg;   // our own SVG writer's output (labels escaped by Graphviz), never user HTML
    root.appendChild(words);
    root.appendChild(stage);
    return root;
  }

  // Draw `data` in the slot's host, in place of the drawing there (its zoom and centre kept, and the focus when
  // the reader was stepping with the keyboard).
  function show(slot, data) {
    var old = slot.view, kept = old && old.name === data.name && old.zoomState && old.zoomState();
    var focused = old && old.root.getRootNode().activeElement, hadFocus = old && old.root.contains(focused);
    var root = build(data);
    slot.host.appendChild(root);   // in the page before init: fitting needs its size
    var view = window.Unfold.init(root, data.frames || null);
    if (old) { old.dispose(); old.root.remove(); }
    if (kept && view.setZoomState) view.setZoomState(kept);
    slot.view = view;
    slot.svg = data.svg;
    slot.frames = JSON.stringify(data.frames);
    if (slot.stepper) window.UnfoldStepper.attach(slot, view, data);
    if (hadFocus) window.UnfoldStepper.refocus(view, focused);
  }

  function mount(component) {
    var host = component.parentElement, data = component.data;
    var slot = host.__unfold || (host.__unfold = { host: host });
    slot.component = component;   // the latest: its setTriggerValue reports a step to the server
    if (slot.view) slot.view.checkTheme();
    if (!data) return;
    slot.stepper = data.stepper ? window.UnfoldStepper.receive(slot, data) : null;
    if (slot.stepper && slot.stepper.tau !== data.stepper.tau) return;   // the reader is ahead of this rerun
    if (slot.svg === data.svg && slot.frames === JSON.stringify(data.frames)) return;
    show(slot, data);
  }

  window.UnfoldMount = { mount: mount, show: show };
  window.dispatchEvent(new Event("unfold-ready"));
})();
