"""Static data routes: the commune and département GeoJSON, sent once per browser and then cached.

The map traces reference these URLs instead of embedding 2 MB of geometry in every figure. Files are
gzipped once in memory; clients that accept gzip get the compressed bytes, everyone gets an ETag.
"""
from __future__ import annotations

import gzip
import hashlib
from functools import lru_cache

from flask import Flask, Response, request

import geodata

ROUTES = {"communes.geojson": geodata.COMMUNES_GEOJSON, "departements.geojson": geodata.DEPARTEMENTS_GEOJSON}
URL_PREFIX = "/geodata/"
COMMUNES_URL = URL_PREFIX + "communes.geojson"
DEPARTEMENTS_URL = URL_PREFIX + "departements.geojson"


@lru_cache(maxsize=None)
def _payload(name: str) -> tuple[bytes, bytes, str]:
    raw = ROUTES[name].read_bytes()
    return raw, gzip.compress(raw, 9, mtime=0), hashlib.sha256(raw).hexdigest()[:16]


def register(server: Flask) -> None:
    @server.route(URL_PREFIX + "<name>")
    def geodata_file(name: str):
        if name not in ROUTES:
            return Response("Fichier inconnu.", status=404, mimetype="text/plain")
        raw, gz, etag = _payload(name)
        if request.if_none_match and etag in request.if_none_match:
            return Response(status=304)
        use_gzip = "gzip" in request.headers.get("Accept-Encoding", "")
        resp = Response(gz if use_gzip else raw, mimetype="application/json")
        if use_gzip:
            resp.headers["Content-Encoding"] = "gzip"
        resp.headers["Vary"] = "Accept-Encoding"
        resp.set_etag(etag)
        resp.cache_control.public = True
        resp.cache_control.max_age = 86400
        return resp
