#!/usr/bin/env bash
# Rebuild assets/05_plotly-atlas-4.1.1.min.js: plotly.js 4.1.1 (the version plotly.py 7.1.0 ships) with only the
# traces the atlas draws. It replaces Dash's full plotly.min.js (1.44 MB gzipped → 0.97 MB) so that the first
# load of the map stays under 2.5 MB. Needs node + npm (registry only). Run from the repository root.
set -euo pipefail
work=$(mktemp -d)
(cd "$work" && npm pack -q plotly.js@4.1.1 && tar xzf plotly.js-4.1.1.tgz)
cd "$work/package"
node -e '
const fs=require("fs"); const p=JSON.parse(fs.readFileSync("package.json"));
const keep=["esbuild","esbuild-plugin-glsl","esbuild-plugin-inline-css","esbuild-plugin-environment","stream-browserify","buffer"];
p.devDependencies=Object.fromEntries(Object.entries(p.devDependencies).filter(([k])=>keep.includes(k))); delete p.scripts;
fs.writeFileSync("package.json", JSON.stringify(p));'
npm install -q --ignore-scripts --no-audit --no-fund
cat > lib/index-atlas.js <<'JS'
'use strict';
var Plotly = require('./core');
Plotly.register([require('./scattermap'), require('./choroplethmap'), require('./bar'), require('./pie'),
    require('./heatmap'), require('./waterfall'), require('./indicator'), require('./histogram'), require('./box')]);
module.exports = Plotly;
JS
node -e '
const {environmentPlugin}=require("esbuild-plugin-environment"); const {glsl}=require("esbuild-plugin-glsl");
require("esbuild").build({entryPoints:["./lib/index-atlas.js"], outfile:"./dist/plotly-atlas.min.js", format:"iife",
 globalName:"Plotly", bundle:true, minify:true, plugins:[require("esbuild-plugin-inline-css")(), glsl({minify:true}),
 environmentPlugin({NODE_DEBUG:false})], alias:{regl:"@plotly/regl", stream:"stream-browserify"},
 define:{global:"window","define.amd":"false"}, target:"es2016",
 banner:{js:"/* plotly.js v4.1.1 custom bundle (scattermap, choroplethmap, bar, pie, heatmap, waterfall, indicator, histogram, box) — MIT licence, Copyright 2012-2026 Plotly, Inc. */"}})'
cd - >/dev/null
cp "$work/package/dist/plotly-atlas.min.js" assets/05_plotly-atlas-4.1.1.min.js
echo "assets/05_plotly-atlas-4.1.1.min.js rebuilt"
