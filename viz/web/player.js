// Unfold's player: play, pause, step and scrub the forward pass in the page, from every frame's data sent
// once by viz/playback.py (no request to the server per frame). Frame k shows steps 1..k computed: each
// vector node gets a strip of its units' colours, later steps are greyed, x(t) carries its token.
(function () {
  "use strict";
  var SVGNS = "http://www.w3.org/2000/svg";
  var SECONDS_PER_STEP = [1.2, 0.6, 0.3, 0.12];

  function svgElement(name, attributes) {
    var el = document.createElementNS(SVGNS, name);
    Object.keys(attributes).forEach(function (k) { el.setAttribute(k, attributes[k]); });
    return el;
  }

  function fmt(v) { return (v >= 0 ? "+" : "") + v.toFixed(3); }

  // A row of cells inside the node's outline, one per unit (up to 64; the tooltip has them all).
  function addStrip(g, colors) {
    var shape = g.querySelector("ellipse, polygon");
    if (!shape) return null;
    var box = shape.getBBox(), cx = box.x + box.width / 2, cy = box.y + box.height / 2;
    var r = Math.min(box.width, box.height) / 2, height = Math.max(3, r * 0.32), top = cy + r * 0.3;
    var half = Math.sqrt(Math.max(r * r - Math.pow(top + height - cy, 2), 1)) * 0.92;
    var shown = colors.slice(0, 64), cell = 2 * half / shown.length;
    var strip = svgElement("g", { "class": "strip" });
    shown.forEach(function (color, u) {
      strip.appendChild(svgElement("rect", { x: cx - half + u * cell, y: top, width: cell + 0.05, height: height,
                                             fill: color }));
    });
    strip.appendChild(svgElement("rect", { x: cx - half, y: top, width: 2 * half, height: height, fill: "none",
                                           stroke: "#6b7280", "stroke-width": 0.4 }));
    g.appendChild(strip);
    var label = g.querySelector("text");
    if (label) label.setAttribute("y", String(Math.min(+label.getAttribute("y"), top - 1.5)));
    return strip;
  }

  function prepare(view) {
    var data = view.frames;
    view.timed = [];   // [group, step, strip]
    view.nodes.forEach(function (g, id) {
      var step = parseInt(g.dataset.step, 10);
      var info = data.nodes[id];
      if (info) step = info.step;
      if (!(step >= 1)) return;
      var strip = info ? addStrip(g, info.colors) : null;
      view.timed.push([g, step, strip]);
      if (g.dataset.kind === "input" && g.dataset.var === data.input && data.tokens[step - 1] !== undefined) {
        var box = g.querySelector("ellipse, polygon").getBBox();
        var token = svgElement("text", { "class": "token", x: box.x + box.width / 2, y: box.y + box.height + 11,
                                         "text-anchor": "middle" });
        token.textContent = "“" + data.tokens[step - 1].slice(0, 14) + "”";
        g.appendChild(token);
      }
    });
    // the tokens may hang below the drawing: grow its box to keep them in view
    var vb = view.svg.viewBox.baseVal;
    if (vb && vb.height) view.svg.setAttribute("viewBox", [vb.x, vb.y, vb.width, vb.height + 14].join(" "));
    view.tipFor = function (g) {
      var info = data.nodes[g.dataset.node];
      if (info) return (g.dataset.tip || g.dataset.node).split(" (")[0] + " = [" + info.values.map(fmt).join(", ") + "]";
      var token = g.dataset.kind === "input" ? data.tokens[+g.dataset.step - 1] : undefined;
      return token !== undefined ? (g.dataset.tip || "") + "  token: “" + token + "”" : null;
    };
  }

  function legend(data) {
    var box = document.createElement("div");
    box.className = "legend";
    var colors = data.legend.map(function (s) { return s.color; });
    box.innerHTML = "<span>colour of each unit:</span><span class='lo'></span><span class='ramp'></span>" +
                    "<span class='hi'></span><span class='zero'></span>";
    box.querySelector(".lo").textContent = fmt(-data.scale);
    box.querySelector(".hi").textContent = fmt(data.scale);
    box.querySelector(".zero").textContent = "(white = 0; the heatmap uses the same scale)";
    box.querySelector(".ramp").style.background = "linear-gradient(to right, " + colors.join(", ") + ")";
    return box;
  }

  function start(view) {
    var data = view.frames, root = view.root, last = data.steps;
    var bar = root.querySelector(".bar");   // the zoom buttons' row: one row of controls
    bar.setAttribute("aria-label", "zoom, and play the forward pass");
    function add(text, label, onClick) {
      var b = document.createElement("button");
      b.type = "button"; b.textContent = text; b.title = label; b.setAttribute("aria-label", label);
      b.addEventListener("click", onClick); bar.appendChild(b); return b;
    }
    var position = last, playing = false, startedAt = 0, from = 0, speed = 1;
    var stats = { renders: 0, first: 0, last: 0 };
    add("‹ back", "step back", function () { pause(); show(Math.max(0, Math.ceil(position) - 1)); });
    var play = add("▶ play", "play", function () { playing ? pause() : run(); });
    add("next ›", "step forward", function () { pause(); show(Math.min(last, Math.floor(position) + 1)); });
    var scrub = document.createElement("input");
    scrub.type = "range"; scrub.min = 0; scrub.max = last; scrub.step = 1; scrub.value = last;
    scrub.setAttribute("aria-label", "frame: steps computed");
    scrub.addEventListener("input", function () { pause(); show(+scrub.value); });
    bar.appendChild(scrub);
    var pace = document.createElement("select");
    pace.setAttribute("aria-label", "speed");
    ["slow", "normal", "fast", "fastest"].forEach(function (name, k) {
      var o = document.createElement("option"); o.value = k; o.textContent = name; pace.appendChild(o);
    });
    pace.value = speed;
    pace.addEventListener("change", function () { speed = +pace.value; if (playing) { from = position; startedAt = performance.now(); } });
    bar.appendChild(pace);
    var status = document.createElement("span");
    status.className = "status"; status.setAttribute("aria-live", "polite");
    bar.appendChild(status);
    root.appendChild(legend(data));

    // position may be fractional while playing: the next step's nodes fade in. Only nodes whose state
    // changes are touched, so a frame costs a few style changes, not one per node.
    var shownStep = -1;
    function show(p) {
      position = p;
      var done = Math.floor(p), fraction = p - done;
      view.timed.forEach(function (t) {
        var state = t[1] <= done ? "on" : t[1] === done + 1 && fraction > 0 ? "next" : "off";
        if (state !== t[3]) {
          t[0].classList.toggle("muted", state === "off");
          if (state !== "next") t[0].style.opacity = "";
          t[3] = state;
        }
        if (state === "next") t[0].style.opacity = String(0.25 + 0.75 * fraction);
      });
      if (done === shownStep) return;
      shownStep = done;
      scrub.value = String(done);
      var token = done >= 1 ? data.tokens[done - 1] : undefined;
      status.textContent = "step " + done + " of " + last + (token !== undefined ? ": “" + token + "”" : "");
      if (!playing && window.UnfoldShare) window.UnfoldShare.set("frame", done === last ? null : done);
    }
    function frame(now) {
      if (!playing) return;
      stats.renders += 1; stats.first = stats.first || now; stats.last = now;
      var p = from + (now - startedAt) / 1000 / SECONDS_PER_STEP[speed];
      if (p >= last) { show(last); pause(); return; }
      show(p);
      requestAnimationFrame(frame);
    }
    function run() {
      if (position >= last) position = 0;
      playing = true; from = position; startedAt = performance.now();
      play.textContent = "❚❚ pause"; play.title = "pause"; play.setAttribute("aria-label", "pause");
      requestAnimationFrame(frame);
    }
    function pause() {
      playing = false;
      play.textContent = "▶ play"; play.title = "play"; play.setAttribute("aria-label", "play");
      show(Math.floor(position));
    }
    // the frame from the link (share.js), else every step computed
    var linked = window.UnfoldShare ? window.UnfoldShare.get("frame") : undefined;
    show(/^[0-9]{1,5}$/.test(linked || "") && +linked <= last ? +linked : last);
    view.player = { show: show, play: run, pause: pause, stats: stats, isPlaying: function () { return playing; } };
  }

  window.UnfoldPlayer = { prepare: prepare, start: start };
})();
