// Unfold's diagram in the page: zoom and pan (svg-pan-zoom), hover highlights, tooltips, full screen.
// Everything is read from the data attributes viz/annotate.py puts on the SVG's groups:
// nodes carry data-node, data-var, data-step, data-kind; edges data-src, data-dst; both data-params.
(function () {
  "use strict";

  function button(bar, text, label, onClick) {
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = text;
    b.title = label;
    b.setAttribute("aria-label", label);
    b.addEventListener("click", onClick);
    bar.appendChild(b);
    return b;
  }

  // The nodes a node depends on: every node with a path to it (g(t) made visible).
  function ancestors(edgesInto, start) {
    var seen = new Set([start]), todo = [start];
    while (todo.length) {
      (edgesInto.get(todo.pop()) || []).forEach(function (edge) {
        var src = edge.dataset.src;
        if (!seen.has(src)) { seen.add(src); todo.push(src); }
      });
    }
    seen.delete(start);
    return seen;
  }

  // frames: the player's data (viz/playback.py) or null. The root may be a page of its own (viz/interactive.py's
  // diagram_html) or a component in the app's page (component.js): what it adds to the page, dispose() removes.
  function init(root, frames) {
    var svg = root.querySelector("svg");
    var stage = root.querySelector(".stage");
    var groups = Array.prototype.slice.call(svg.querySelectorAll("g.node, g.edge"));
    var nodes = new Map(), edgesInto = new Map();
    groups.forEach(function (g) {
      if (g.dataset.node) nodes.set(g.dataset.node, g);
      if (g.classList.contains("edge") && g.dataset.dst) {
        if (!edgesInto.has(g.dataset.dst)) edgesInto.set(g.dataset.dst, []);
        edgesInto.get(g.dataset.dst).push(g);
      }
      // Graphviz's own tooltip becomes ours (the browser's would cover the highlight, and can't show a vector)
      var link = g.querySelector("a");
      if (link && link.getAttribute("xlink:title")) {
        g.dataset.tip = link.getAttribute("xlink:title");
        link.removeAttribute("xlink:title");
      }
      var title = g.querySelector("title");
      if (title) title.remove();
    });
    // Graphviz paints a white page behind the drawing; the stage has the theme's own background
    var page = svg.querySelector("g.graph > polygon");
    if (page) page.setAttribute("fill", "none");
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-labelledby", root.getAttribute("aria-describedby"));
    // the SVG fills the stage; svg-pan-zoom keeps it sharp at any zoom (vector, never a bitmap)
    svg.removeAttribute("width");
    svg.removeAttribute("height");

    var view = { root: root, svg: svg, nodes: nodes, frames: frames, tipFor: null, name: root.dataset.name,
                 cleanups: [] };
    if (frames && window.UnfoldPlayer) window.UnfoldPlayer.prepare(view);

    var bar = document.createElement("div");
    bar.className = "bar";
    bar.setAttribute("role", "toolbar");
    bar.setAttribute("aria-label", "zoom");
    function refit() { view.zoom.resize(); view.zoom.fit(); view.zoom.center(); }
    button(bar, "+", "zoom in", function () { view.zoom.zoomIn(); });
    button(bar, "−", "zoom out", function () { view.zoom.zoomOut(); });
    button(bar, "fit", "fit the whole drawing", refit);
    button(bar, "full screen", "full screen", function () {
      if (document.fullscreenElement) document.exitFullscreen(); else root.requestFullscreen();
    });
    function onFullscreen() { setTimeout(refit, 50); }
    root.insertBefore(bar, stage);
    if (frames && window.UnfoldPlayer) window.UnfoldPlayer.start(view);
    if (frames && window.UnfoldBackward) window.UnfoldBackward.start(view);
    // fitted once every bar is in place, so the drawing gets the room that is left
    view.zoom = svgPanZoom(svg, { zoomScaleSensitivity: 0.3, minZoom: 0.3, maxZoom: 40, fit: true, center: true,
                                  dblClickZoomEnabled: true, mouseWheelZoomEnabled: true, controlIconsEnabled: false });
    window.UnfoldViewState.keepZoomInLink(view, "zoom_" + root.dataset.name);
    window.addEventListener("resize", refit);
    document.addEventListener("fullscreenchange", onFullscreen);
    view.cleanups.push(function () {
      window.removeEventListener("resize", refit);
      document.removeEventListener("fullscreenchange", onFullscreen);
      view.zoom.destroy();
    });

    var lit = [];
    function clear() {
      lit.forEach(function (g) { g.classList.remove("lit", "focus", "copy"); });
      lit = [];
      root.classList.remove("hovering");
    }
    function light(g, how) { g.classList.add(how); lit.push(g); }

    function showParams(names) {
      groups.forEach(function (g) {
        var acting = (g.dataset.params || "").split(" ");
        if (names.some(function (n) { return n && acting.indexOf(n) >= 0; })) light(g, "lit");
      });
    }
    function showDependencies(id) {
      var before = ancestors(edgesInto, id);
      before.forEach(function (n) { if (nodes.has(n)) light(nodes.get(n), "lit"); });
      before.add(id);
      before.forEach(function (n) { (edgesInto.get(n) || []).forEach(function (e) { light(e, "lit"); }); });
      light(nodes.get(id), "focus");
    }

    // hover in one diagram lights the same variable's copies in the other (circuit ↔ unfolded)
    var channel = window.BroadcastChannel ? new BroadcastChannel("unfold-hover") : null;
    var me = root.dataset.name;
    if (channel) {
      view.cleanups.push(function () { channel.close(); });
      channel.onmessage = function (event) {
        if (event.data.from === me) return;
        clear();
        if (!event.data.variable) return;
        nodes.forEach(function (g) {
          if (g.dataset.var === event.data.variable && g.dataset.kind !== "init") light(g, "copy");
        });
      };
    }

    var tip = document.createElement("div");
    tip.className = "tip";
    tip.setAttribute("role", "tooltip");
    root.appendChild(tip);   // inside the diagram: in the app's page it leaves with it

    svg.addEventListener("mouseover", function (event) {
      var g = event.target.closest("g.node, g.edge");
      clear();
      if (!g) return;
      var params = (g.dataset.params || "").split(" ").filter(Boolean);
      if (g.dataset.node && g.dataset.kind !== "param") showDependencies(g.dataset.node);
      else if (params.length) showParams(params);
      else return;
      root.classList.add("hovering");
      if (channel && g.dataset.var) channel.postMessage({ from: me, variable: g.dataset.var });
      var text = (view.tipFor && view.tipFor(g)) || g.dataset.tip ||
                 (params.length ? "θ = " + params.join(", ") + ": the same on every step" : "");
      tip.textContent = text;
      tip.style.display = text ? "block" : "none";
    });
    svg.addEventListener("mousemove", function (event) {
      tip.style.left = Math.min(event.clientX + 14, window.innerWidth - tip.offsetWidth - 4) + "px";
      tip.style.top = Math.min(event.clientY + 14, window.innerHeight - tip.offsetHeight - 4) + "px";
    });
    svg.addEventListener("mouseleave", function () {
      clear();
      tip.style.display = "none";
      if (channel) channel.postMessage({ from: me, variable: null });
    });

    window.UnfoldViewState.followTheme(view);
    view.dispose = function () { view.cleanups.forEach(function (f) { f(); }); view.cleanups = []; };
    window.unfoldView = view;   // for tests and the console; by name when a page holds several
    (window.unfoldViews = window.unfoldViews || {})[me] = view;
    return view;
  }

  window.Unfold = { init: init, ancestors: ancestors, button: button };   // button: the stepper's too
})();
