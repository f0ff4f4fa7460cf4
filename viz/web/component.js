// Unfold's diagram as a Streamlit component (st.components.v2) in the app's own page: no iframe, and one
// element that lives across reruns. Streamlit calls the default export with new data when a rerun changes it
// (τ moved: a new SVG) and again when the theme changes; only then is the drawing swapped, in place, keeping
// the reader's zoom. Data (viz/interactive.py's diagram_data): svg, words, title, name, height, frames.
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

export default function mount(component) {
  var host = component.parentElement, data = component.data;
  var slot = host.__unfold || (host.__unfold = {});
  if (slot.view) slot.view.checkTheme();
  if (!data || (slot.svg === data.svg && slot.frames === JSON.stringify(data.frames))) return;
  var old = slot.view, kept = old && old.name === data.name && old.zoomState && old.zoomState();
  var root = build(data);
  host.appendChild(root);   // in the page before init: fitting needs its size
  var view = window.Unfold.init(root, data.frames || null);
  if (old) { old.dispose(); old.root.remove(); }
  if (kept && view.setZoomState) view.setZoomState(kept);
  slot.view = view;
  slot.svg = data.svg;
  slot.frames = JSON.stringify(data.frames);
}
