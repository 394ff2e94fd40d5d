"""Issue #2: load time of every dataset (fresh process) and size of the browser geometry."""
from __future__ import annotations

import gzip
import subprocess
import sys
from statistics import median

from benchmarks import Measure
import geodata

LOAD = ("import time; t=time.perf_counter(); import geodata; geodata.load_all(); "
        "print(time.perf_counter()-t)")


def run() -> list[Measure]:
    runs = [float(subprocess.run([sys.executable, "-c", LOAD], capture_output=True, text=True, check=True).stdout)
            for _ in range(3)]
    raw = geodata.COMMUNES_GEOJSON.read_bytes()
    return [
        Measure("#2 geodata", "load all datasets, fresh process (import included), median of 3", median(runs), "s", 1.5),
        Measure("#2 geodata", "browser GeoJSON of the communes, raw", len(raw) / 1e6, "MB", 2.5),
        Measure("#2 geodata", "browser GeoJSON of the communes, gzipped", len(gzip.compress(raw, 6)) / 1e3, "KB", 600),
        Measure("#2 geodata", "total size of geodata/", sum(p.stat().st_size for p in geodata.DIR.iterdir()
                                                            if p.is_file()) / 1e6, "MB", 15),
    ]
