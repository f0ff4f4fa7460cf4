// What a diagram's view keeps (for viz/web/diagram.js): its zoom and centre in the page's link (share.js) and
// across a new drawing of the same diagram (a τ change), and the page's theme.
(function () {
  "use strict";

  // The zoom and the drawing's point at the centre of the view, restored from the link and written back to it
  // (share.js) a moment after each zoom or pan; "fit" takes the key out of the link.
  function keepZoomInLink(view, key) {
    var share = window.UnfoldShare, zoom = view.zoom;
    if (!share) return;
    function centre() {
      var sizes = zoom.getSizes(), pan = zoom.getPan();
      return { x: (sizes.width / 2 - pan.x) / sizes.realZoom, y: (sizes.height / 2 - pan.y) / sizes.realZoom };
    }
    var fitted = centre(), timer = null, saved = share.readZoom(share.get(key));
    if (saved) {
      zoom.zoom(saved.zoom);
      var sizes = zoom.getSizes();
      zoom.pan({ x: sizes.width / 2 - saved.x * sizes.realZoom, y: sizes.height / 2 - saved.y * sizes.realZoom });
    }
    function atFit() {
      var c = centre();
      return Math.abs(zoom.getZoom() - 1) < 1e-3 && Math.abs(c.x - fitted.x) < 1 && Math.abs(c.y - fitted.y) < 1;
    }
    function save() {
      var c = centre(), z = zoom.getZoom();
      share.set(key, atFit() ? null : [+z.toFixed(3), +c.x.toFixed(1), +c.y.toFixed(1)].join(","));
    }
    function later() { clearTimeout(timer); timer = setTimeout(save, 250); }
    zoom.setOnZoom(later);
    zoom.setOnPan(later);
    view.cleanups.push(function () { clearTimeout(timer); });
    view.saveZoom = save;   // for tests
    // A new drawing of the same diagram (τ changed) keeps the reader's scale on screen and the point at the
    // centre, not the zoom relative to "fit": the wider drawing would otherwise shrink under their eyes.
    view.zoomState = function () {
      var c = centre();
      return atFit() ? null : { realZoom: zoom.getSizes().realZoom, x: c.x, y: c.y };
    };
    view.setZoomState = function (state) {
      var fitZoom = zoom.getSizes().realZoom / zoom.getZoom();
      zoom.zoom(Math.min(40, Math.max(0.3, state.realZoom / fitZoom)));
      var sizes = zoom.getSizes();
      zoom.pan({ x: sizes.width / 2 - state.x * sizes.realZoom, y: sizes.height / 2 - state.y * sizes.realZoom });
      save();
    };
  }

  // Dark when the Streamlit page around us is dark: its background decides (the page's own when the diagram
  // is a component in it, the parent's when it is a page in an iframe).
  function followTheme(view) {
    function check() {
      var dark = false;
      try {
        var page = window.parent.document;
        var app = page.querySelector("[data-testid=stApp]") || page.body;
        var rgb = (getComputedStyle(app).backgroundColor.match(/[\d.]+/g) || [255, 255, 255]).map(Number);
        dark = rgb.length < 4 || rgb[3] > 0 ? (0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]) < 128 : false;
      } catch (e) { dark = false; }   // not inside the app (a saved page): stay light
      view.root.classList.toggle("dark", dark);
    }
    check();
    var timer = setInterval(check, 1000);
    view.checkTheme = check;
    view.cleanups.push(function () { clearInterval(timer); });
  }

  window.UnfoldViewState = { keepZoomInLink: keepZoomInLink, followTheme: followTheme };
})();
