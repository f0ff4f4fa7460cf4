// Unfold's backward pass: ‖∂L/∂h(t)‖ flowing right to left on the unfolded graph, drawn as the width and
// colour of h(t)'s outline and of the h(t-1) → h(t) edge it flows back through (data from viz/playback.py).
(function () {
  "use strict";
  var SECONDS_PER_STEP = 0.6;
  var DECADES = 4;   // widths on a log scale over four orders of magnitude: vanishing shows as thinning

  function weight(norm, largest) {
    return norm > 0 ? Math.max(0, 1 + Math.log10(norm / largest) / DECADES) : 0;
  }

  function paint(items, w) {
    items.forEach(function (el) {
      el.style.stroke = w === null ? "" : "#ea580c";
      el.style.strokeWidth = w === null ? "" : String(1 + 5 * w);
      el.style.strokeOpacity = w === null ? "" : String(0.3 + 0.7 * w);
    });
  }

  function start(view) {
    var data = view.frames && view.frames.backward;
    if (!data) return;
    var norms = Object.keys(data.norms).map(function (id) { return data.norms[id]; });
    var largest = Math.max.apply(null, norms.concat([1e-300]));
    var steps = [];   // [step, norm, the shapes and edges painted for it]
    Object.keys(data.norms).forEach(function (id) {
      var g = view.nodes.get(id);
      if (!g) return;
      var items = Array.prototype.slice.call(g.querySelectorAll("ellipse, polygon"));
      view.svg.querySelectorAll("g.edge").forEach(function (e) {
        var src = view.nodes.get(e.dataset.src);
        if (e.dataset.dst === id && src && src.dataset.var === g.dataset.var) {
          items = items.concat(Array.prototype.slice.call(e.querySelectorAll("path, polygon")));
        }
      });
      steps.push([+g.dataset.step, data.norms[id], items]);
    });
    var bar = view.root.querySelector(".bar"), status = view.root.querySelector(".status");
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = "◂ backward";
    button.title = "play the backward pass: ∂L/∂" + data.state + "(t), from the loss back to step 1";
    button.setAttribute("aria-label", "backward");
    bar.insertBefore(button, status);
    var running = false, startedAt = 0, last = data.loss_step;

    function show(p) {   // p: the earliest step the gradient has reached so far
      steps.forEach(function (s) { paint(s[2], s[0] >= p ? weight(s[1], largest) : null); });
      var reached = steps.filter(function (s) { return s[0] === Math.ceil(p); })[0];
      status.textContent = "∂L(" + last + ")/∂" + data.state + "(t) flowing back: t = " + Math.ceil(p) +
        (reached ? ", ‖·‖ = " + reached[1].toExponential(2) : "");
    }
    function frame(now) {
      if (!running) return;
      var p = last - (now - startedAt) / 1000 / SECONDS_PER_STEP;
      if (p <= 1) { show(1); running = false; return; }
      show(p);
      requestAnimationFrame(frame);
    }
    button.addEventListener("click", function () {
      if (view.player) view.player.pause();
      if (view.player) view.player.show(view.frames.steps);   // the forward pass done, then back
      running = true;
      startedAt = performance.now();
      requestAnimationFrame(frame);
    });
    // any other control returns to the forward pass
    function stop(event) {
      if (event.target === button) return;
      running = false;
      steps.forEach(function (s) { paint(s[2], null); });
    }
    bar.addEventListener("click", stop);
    bar.addEventListener("input", stop);
    view.backward = { show: show, isRunning: function () { return running; } };
  }

  window.UnfoldBackward = { start: start };
})();
