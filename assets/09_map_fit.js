/* Maps fitted to the region: a graph inside an element with data-fit-bounds="west,south,east,north" gets the
   centre and zoom that show the whole box in its frame (MapLibre, 512 px tiles, Web Mercator), on first draw
   and when its frame changes size (window, full screen, presentation mode). A pan or zoom by the user is kept
   until the frame is resized.

   First draw: the fitted view is put into the figure handed to Plotly.react, so MapLibre starts there. Fitting
   it afterwards with Plotly.relayout made plotly send every trace's data to MapLibre again while the first
   tiles were still being cut, and Dash then re-plotted the figure it keeps in step with the relayout: the 5,115
   commune polygons were tiled three times before the map settled (issue #18, first draw). */
(function () {
  if (typeof Plotly === "undefined") { return; }
  function mercY(lat) { var s = Math.sin(lat * Math.PI / 180); return 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI); }
  function bounds(gd) {
    var box = gd && gd.closest && gd.closest("[data-fit-bounds]");
    return box ? box.getAttribute("data-fit-bounds").split(",").map(Number) : null;
  }
  // centre and zoom showing bounds b in a w × h frame; key names the frame size
  function view(b, w, h) {
    if (!b || w < 50 || h < 50) { return null; }
    var dx = (b[2] - b[0]) / 360, dy = mercY(b[1]) - mercY(b[3]);
    var zoom = Math.log2(Math.min(w / (512 * dx), h / (512 * dy))) - 0.05;
    return {center: {lon: (b[0] + b[2]) / 2, lat: (b[1] + b[3]) / 2}, zoom: Math.round(zoom * 100) / 100,
            key: Math.round(w) + "x" + Math.round(h)};
  }
  function span(d) { return d ? d[1] - d[0] : 1; }
  // the map's frame before plotly has drawn anything: the graph's box less margins, times the map's domain
  function frameOf(gd, layout) {
    var cs = window.getComputedStyle(gd), m = layout.margin || {}, dom = layout.map.domain || {};
    var w = (layout.width || parseFloat(cs.width)) - (m.l || 0) - (m.r || 0);
    var h = (layout.height || parseFloat(cs.height)) - (m.t || 0) - (m.b || 0);
    return [w * span(dom.x), h * span(dom.y)];
  }
  function sameView(map, v) {
    return map && v && map.zoom === v.zoom && map.center && v.center && map.center.lon === v.center.lon
      && map.center.lat === v.center.lat;
  }

  /* Plotly.react(gd, figure) as dcc.Graph calls it, or (gd, data, layout, config). While the figure still holds
     the view written in Python (the user has not moved the map: Dash then keeps the moved view in the figure),
     the fitted view replaces it, so later figure updates (variable, layers) keep the fitted frame too. */
  function withFit(plot) {
    return function (gd, a, b, c) {
      var el = typeof gd === "string" ? document.getElementById(gd) : gd;
      var fig = a && !Array.isArray(a) && typeof a === "object" && ("data" in a || "layout" in a);
      var layout = fig ? a.layout : b;
      var box = el && bounds(el);
      if (!box || !layout || !layout.map) { return plot.apply(this, arguments); }
      var st = el._atlasFit || (el._atlasFit = {python: {center: layout.map.center, zoom: layout.map.zoom}});
      if (sameView(layout.map, st.python)) {
        var f = frameOf(el, layout), v = view(box, f[0], f[1]);
        if (v) {
          layout = Object.assign({}, layout, {map: Object.assign({}, layout.map, {center: v.center, zoom: v.zoom})});
          el.dataset.fitted = v.key;
          return fig ? plot.call(this, gd, Object.assign({}, a, {layout: layout}))
                     : plot.call(this, gd, a, layout, c);
        }
      }
      return plot.apply(this, arguments);
    };
  }
  Plotly.react = withFit(Plotly.react);
  Plotly.newPlot = withFit(Plotly.newPlot);

  // frame resized after the first draw: fit again (a relayout, as a user's zoom would be)
  function fit(gd) {
    var b = bounds(gd);
    if (!b || !gd._fullLayout || !gd._fullLayout.map) { return; }
    var dom = gd._fullLayout.map.domain, size = gd._fullLayout._size;
    var v = view(b, size.w * (dom.x[1] - dom.x[0]), size.h * (dom.y[1] - dom.y[0]));
    if (!v || gd.dataset.fitted === v.key || gd._atlasFitting) { return; }
    var now = gd._fullLayout.map;
    if (Math.abs(now.zoom - v.zoom) < 0.03 && Math.abs(now.center.lon - v.center.lon) < 1e-6
        && Math.abs(now.center.lat - v.center.lat) < 1e-6) { gd.dataset.fitted = v.key; return; }  // a pixel off
    gd._atlasFitting = true;
    Plotly.relayout(gd, {"map.center": v.center, "map.zoom": v.zoom})
      .then(function () { gd.dataset.fitted = v.key; })
      .finally(function () { gd._atlasFitting = false; });
  }
  function later(gd) { window.setTimeout(function () { fit(gd); }, 50); }  // never inside a redraw
  function watch(gd) {
    if (gd.dataset.fitWatch) { return; }
    gd.dataset.fitWatch = "1";
    gd.on("plotly_afterplot", function () { later(gd); });
    new ResizeObserver(function () { later(gd); }).observe(gd);
    later(gd);
  }
  new MutationObserver(function () {
    document.querySelectorAll("[data-fit-bounds] .js-plotly-plot").forEach(function (gd) { if (gd.on) { watch(gd); } });
  }).observe(document.documentElement, {childList: true, subtree: true});
})();
