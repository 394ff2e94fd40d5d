/* /couverture: town links in the tables, click on the map → town profile, labels of the proposed sites.
   Labels are HTML over the MapLibre map (no glyph server needed offline): a dark-blue diamond with a white
   outline, the rank and the town name, each a link to /ville/<code_insee>. */
(function () {
  var dag = (window.dashAgGridComponentFunctions = window.dashAgGridComponentFunctions || {});
  dag.CommuneLink = function (props) {
    var code = props.data && props.data.code_insee;
    if (!code || props.value == null) { return props.value == null ? '' : String(props.value); }
    return React.createElement('a', {href: '/ville/' + code, className: 'commune-link'}, String(props.value));
  };

  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    coverage: {
      openTown: function (click) {
        var p = click && click.points && click.points[0];
        var code = p && p.customdata && p.customdata[0];
        if (typeof code === 'string' && /^[0-9AB]{5}$/.test(code)) { window.location.assign('/ville/' + code); }
        return window.dash_clientside.no_update;
      }
    }
  });

  var SITES = 2;  // trace index of the site markers (components/coverage_map.py)
  var GRAND_EST = [[3.38, 47.42], [8.24, 50.17]];  // lon/lat bounds of the region

  function mapOf(gd) {
    var l = gd && gd._fullLayout;
    return l && l.map && l.map._subplot && l.map._subplot.map;
  }

  function overlaps(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }

  function draw(gd) {
    var map = mapOf(gd), wrap = gd.closest('.cov-map-wrap');
    var box = wrap && wrap.querySelector('.cov-labels');
    if (!map || !box) { return; }
    var trace = gd.data && gd.data[SITES], cd = (trace && trace.customdata) || [];
    var origin = wrap.getBoundingClientRect(), canvas = map.getContainer().getBoundingClientRect();
    var dx = canvas.left - origin.left, dy = canvas.top - origin.top, placed = [], seen = {};
    box.textContent = '';
    for (var i = 0; i < cd.length; i++) {
      var d = cd[i];
      if (!d || d[1] !== 'propose' || seen[d[0]]) { continue; }
      seen[d[0]] = true;
      var pt = map.project([trace.lon[i], trace.lat[i]]);
      var x = pt.x + dx, y = pt.y + dy;
      if (pt.x < 0 || pt.y < 0 || pt.x > canvas.width || pt.y > canvas.height) { continue; }
      var a = document.createElement('a');
      a.className = 'cov-label';
      a.href = '/ville/' + d[0];
      a.title = d[3] + ' : site proposé n° ' + d[2] + ' (fiche de la ville)';
      a.style.left = x + 'px';
      a.style.top = y + 'px';
      var diamond = document.createElement('span');
      diamond.className = 'cov-diamond';
      diamond.textContent = d[2];
      var text = document.createElement('span');
      text.className = 'cov-label-text';
      text.textContent = d[3];
      a.appendChild(diamond);
      a.appendChild(text);
      box.appendChild(a);
      var sides = ['right', 'left', 'above', 'below'];
      for (var s = 0; s < sides.length; s++) {  // first side where the name overlaps no other name
        text.className = 'cov-label-text cov-' + sides[s];
        var r = text.getBoundingClientRect();
        if (!placed.some(function (q) { return overlaps(q, r); })) { break; }
      }
      placed.push(text.getBoundingClientRect(), diamond.getBoundingClientRect());
    }
  }

  function hook() {
    var gd = document.querySelector('#cov-map .js-plotly-plot');
    var map = mapOf(gd);
    if (!map || gd._covLabelsMap === map) { return; }
    gd._covLabelsMap = map;
    map.fitBounds(GRAND_EST, {padding: 12, animate: false});  // the region fills the frame at any screen size
    var pending = false;
    var later = function () {
      if (pending) { return; }
      pending = true;
      window.requestAnimationFrame(function () { pending = false; draw(gd); });
    };
    map.on('dragstart', function () { gd._covUserMoved = true; });
    map.on('wheel', function () { gd._covUserMoved = true; });
    map.on('move', later);
    map.on('resize', function () {
      if (!gd._covUserMoved) { map.fitBounds(GRAND_EST, {padding: 12, animate: false}); }
      later();
    });
    gd.on('plotly_afterplot', later);
    later();
  }

  window.setInterval(hook, 500);
})();
