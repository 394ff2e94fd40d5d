/* Regional map: the names of the towns of the layers marked "named" in components/map_layers.py (Action Cœur
   de Ville towns, Cnam sites), written next to their dots while the layer is shown. HTML over the MapLibre
   canvas, not MapLibre text: text in MapLibre needs glyphs from a font server, and this page requests no other
   host. Each name is a link to the town's profile; one name per town (a Cnam site in an ACV town), Cnam sites first; a name that
   would overlap one already placed tries the other side, then is left out. Sizes in assets/09_map_labels.css. */
(function () {
  function mapOf(gd) {
    var l = gd && gd._fullLayout;
    return l && l.map && l.map._subplot && l.map._subplot.map;
  }
  function overlaps(a, b) { return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom; }
  function draw(gd, wrap) {
    var map = mapOf(gd);
    if (!map) { return; }
    var box = wrap.querySelector(".map-labels");
    if (!box) {
      box = document.createElement("div");
      box.className = "map-labels";
      wrap.appendChild(box);
    }
    box.textContent = "";
    var origin = wrap.getBoundingClientRect(), canvas = map.getContainer().getBoundingClientRect();
    var dx = canvas.left - origin.left, dy = canvas.top - origin.top, placed = [], seen = {};
    (gd._fullData || []).slice().reverse().forEach(function (t) {  // Cnam sites (drawn last) named first
      var names = t.meta && t.meta.labels;
      if (!names || t.visible !== true) { return; }
      for (var i = 0; i < names.length; i++) {
        var code = t.customdata && t.customdata[i];
        if (!code || seen[code]) { continue; }
        var pt = map.project([t.lon[i], t.lat[i]]);
        if (pt.x < 0 || pt.y < 0 || pt.x > canvas.width || pt.y > canvas.height) { continue; }
        var a = document.createElement("a");
        a.className = "map-label map-label-right";
        a.href = "/ville/" + code;
        a.textContent = names[i];
        a.style.left = (pt.x + dx) + "px";
        a.style.top = (pt.y + dy) + "px";
        box.appendChild(a);
        var r = a.getBoundingClientRect();
        if (placed.some(function (q) { return overlaps(q, r); })) {
          a.className = "map-label map-label-left";
          r = a.getBoundingClientRect();
          if (placed.some(function (q) { return overlaps(q, r); })) { box.removeChild(a); continue; }
        }
        seen[code] = true;
        placed.push(r);
      }
    });
  }
  function hook() {
    var wrap = document.getElementById("map-container");
    var gd = wrap && wrap.querySelector(".js-plotly-plot");
    var map = mapOf(gd);
    if (!map || gd._atlasLabelsMap === map) { return; }
    gd._atlasLabelsMap = map;
    var pending = false;
    function later() {
      if (pending) { return; }
      pending = true;
      window.requestAnimationFrame(function () { pending = false; draw(gd, wrap); });
    }
    map.on("move", later);
    map.on("resize", later);
    gd.on("plotly_afterplot", later);
    gd.on("plotly_restyle", later);
    later();
  }
  window.setInterval(hook, 300);
})();
