/* Maps fitted to the region: a graph inside an element with data-fit-bounds="west,south,east,north" gets the
   centre and zoom that show the whole box in its frame (MapLibre, 512 px tiles, Web Mercator), on first draw
   and when its frame changes size (window, full screen, presentation mode). A pan or zoom by the user is kept
   until the frame is resized. */
(function () {
  function mercY(lat) { var s = Math.sin(lat * Math.PI / 180); return 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI); }
  function fit(gd) {
    var box = gd.closest("[data-fit-bounds]");
    if (!box || !gd._fullLayout || !gd._fullLayout.map) { return; }
    var b = box.getAttribute("data-fit-bounds").split(",").map(Number);
    var dom = gd._fullLayout.map.domain, size = gd._fullLayout._size;
    var w = size.w * (dom.x[1] - dom.x[0]), h = size.h * (dom.y[1] - dom.y[0]);
    if (w < 50 || h < 50) { return; }
    var dx = (b[2] - b[0]) / 360, dy = mercY(b[1]) - mercY(b[3]);
    var zoom = Math.log2(Math.min(w / (512 * dx), h / (512 * dy))) - 0.05;
    var key = Math.round(w) + "x" + Math.round(h);
    if (gd.dataset.fitted === key || gd._atlasFitting) { return; }
    gd._atlasFitting = true;
    Plotly.relayout(gd, {"map.center": {lon: (b[0] + b[2]) / 2, lat: (b[1] + b[3]) / 2},
                         "map.zoom": Math.round(zoom * 100) / 100})
      .then(function () { gd.dataset.fitted = key; })
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
