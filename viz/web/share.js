// What the reader sees inside a diagram — its zoom and centre, the player's frame — kept in the page's URL,
// so a shared link opens on the same view. The diagram is a same-origin iframe: it reads and writes the
// parent's URL itself (Streamlit never hears of these keys). The view lives on the parent window, because
// Streamlit rewrites the URL on every rerun and re-creates an iframe whose drawing changed; every half
// second the URL is put back in line with it.
(function () {
  "use strict";
  var KEYS = ["zoom_circuit", "zoom_unfolded", "zoom_run", "frame"];
  var HOLDER = "__unfoldView";

  function parentWindow() {
    try { return window.parent.location.href ? window.parent : null; } catch (e) { return null; }
  }

  // the tab's view: read once from the link the tab was opened with, then kept up to date by the diagrams
  function live() {
    var w = parentWindow();
    if (!w) return {};
    if (!w[HOLDER]) {
      var view = {}, query = new URLSearchParams(w.location.search);
      KEYS.forEach(function (k) { if (query.has(k)) view[k] = query.get(k); });
      w[HOLDER] = view;
    }
    return w[HOLDER];
  }

  function patch() {
    var w = parentWindow();
    if (!w) return;
    var url = new URL(w.location.href), view = live(), changed = false;
    KEYS.forEach(function (k) {
      var want = view[k], have = url.searchParams.get(k);
      if (want === undefined && have !== null) { url.searchParams.delete(k); changed = true; }
      else if (want !== undefined && have !== want) { url.searchParams.set(k, want); changed = true; }
    });
    if (changed) w.history.replaceState(w.history.state, "", url.toString());
  }

  function get(key) { return live()[key]; }
  function set(key, value) {
    var view = live();
    if (value === null || value === undefined) delete view[key]; else view[key] = String(value);
    patch();
  }

  // "2.5,120.4,-30" → {zoom: 2.5, x: 120.4, y: -30}: the zoom relative to "fit", and the point (in the
  // drawing's own units) at the centre of the view; null unless three finite numbers in bounds
  function readZoom(text) {
    var parts = String(text || "").split(",").map(Number);
    if (parts.length !== 3 || !parts.every(isFinite) || !(parts[0] >= 0.3 && parts[0] <= 40)) return null;
    return { zoom: parts[0], x: parts[1], y: parts[2] };
  }

  setInterval(patch, 500);
  window.UnfoldShare = { get: get, set: set, readZoom: readZoom, patch: patch };
})();
