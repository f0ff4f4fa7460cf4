// Unfold's diagram as a Streamlit component (st.components.v2) in the app's own page: no iframe, one element
// that lives across reruns. This module is sent with every rerun that changes a diagram, so it is only a door:
// the scripts (zoom, hover, player, stepper; mount.js) come once per page with the "unfold.scripts" component.
export default function mount(component) {
  if (window.UnfoldMount) return window.UnfoldMount.mount(component);
  window.addEventListener("unfold-ready", function () { window.UnfoldMount.mount(component); }, { once: true });
}
