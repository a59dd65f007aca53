#!/usr/bin/env python3
"""Reference positions from the Swiss Ephemeris -> core/tests/data/swisseph_positions.json.

    /root/.noesis-ref/bin/python scripts/ephemeris-data/reference/swisseph_positions.py \
        --ephe /tmp/package/ephemeris --out core/tests/data/swisseph_positions.json

(see swe_common.py for obtaining the .se1 files; they are never committed).

Instants: 5 fixed ones plus 395 pseudo-random ones (random.Random(SEED), uniform in JD TT over
[1800-01-02T00, 2201-01-01T00): the SE files start at 1800-01-01T00 and an apparent place needs
~0.3 day of light time before it), sorted, all given as JD TT. We call swe.calc (TT), not
swe.calc_ut, so that Delta T is not part of the comparison; swe.deltat is recorded for
information only.

Per instant and body (Sun, Moon, Mercury .. Pluto, true node, mean node), with flags
SEFLG_SWIEPH | SEFLG_SPEED, i.e. SE's default apparent place: light time, annual aberration,
gravitational light deflection, precession to the date and nutation; geocentric, tropical,
ecliptic of date:
    [longitude deg, latitude deg, longitude speed deg/day]
and the same with SEFLG_NOGDEFL added (no light deflection) for the Sun and planets.

What Swiss Ephemeris 2.10.03 actually returns (checked by this script, see summary()):
* Lahiri ayanamsa (swe.set_sid_mode(SIDM_LAHIRI, 0, 0)):
  - swe.get_ayanamsa_ex(jd_tt, SEFLG_SWIEPH | SEFLG_NONUT) -> the MEAN ayanamsa (no nutation);
    the legacy swe.get_ayanamsa(jd_tt) returns the same value.
  - swe.get_ayanamsa_ex(jd_tt, SEFLG_SWIEPH) -> the TRUE ayanamsa = mean + nutation in longitude
    (difference to mean + dpsi < 1e-9 arcsec before rounding).
  - SE's sidereal longitude (SEFLG_SIDEREAL) = apparent tropical longitude - TRUE ayanamsa.
  - mean at J2000.0 is 23.8570923254552 deg.
* Light deflection: SE applies none to the Sun (NOGDEFL changes nothing for it) nor to the Moon.
* Nodes: both are returned with latitude exactly 0, and both INCLUDE the nutation in longitude
  (SEFLG_NONUT changes them by dpsi), but get no aberration/light time (the true node moves by
  ~0.003 arcsec with SEFLG_TRUEPOS, i.e. essentially none). The mean node's latitude speed is 0.
"""

import argparse
import math
import random
import sys

import swisseph as swe

import swe_common

SEED = 20240501
N_RANDOM = 395
JD_1800 = 2378496.5  # 1800-01-01T00:00 TT
# sepl_18.se1 starts exactly at JD_1800, and an apparent place needs the planets up to ~0.3 day
# (light time) earlier: at 1800-01-01T00 SE falls back to Moshier for the Sun and fails for the
# outer planets. So the sampled range starts one day later.
JD_FIRST = JD_1800 + 1.0  # 1800-01-02T00:00 TT
JD_2201 = 2524958.5  # 2201-01-01T00:00 TT

BODIES = [
    ("sun", swe.SUN), ("moon", swe.MOON), ("mercury", swe.MERCURY), ("venus", swe.VENUS),
    ("mars", swe.MARS), ("jupiter", swe.JUPITER), ("saturn", swe.SATURN),
    ("uranus", swe.URANUS), ("neptune", swe.NEPTUNE), ("pluto", swe.PLUTO),
    ("true_node", swe.TRUE_NODE), ("mean_node", swe.MEAN_NODE),
]
NO_DEFLECTION_BODIES = ["sun", "mercury", "venus", "mars", "jupiter", "saturn", "uranus",
                        "neptune", "pluto"]
FLAGS = swe.FLG_SWIEPH | swe.FLG_SPEED


def fixed_instants():
    # 1991-08-13T08:01:00 UTC -> TT with SE's leap-second table (TT = UTC + 58.184 s then).
    jd_tt_1991, _jd_ut1 = swe.utc_to_jd(1991, 8, 13, 8, 1, 0.0, swe.GREG_CAL)
    return [
        (2451545.0, "J2000.0 (2000-01-01T12:00 TT)"),
        (jd_tt_1991, "1991-08-13T08:01:00Z (UTC) as TT"),
        (swe.julday(1900, 1, 1, 0.0), "1900-01-01T00:00 TT"),
        (swe.julday(2199, 12, 31, 0.0), "2199-12-31T00:00 TT"),
        (JD_FIRST, "1800-01-02T00:00 TT (first day fully inside sepl_18.se1)"),
    ]


def r(x, nd=9):
    return round(x, nd)


def position(jd, ipl, flags, what):
    xx, ret = swe.calc(jd, ipl, flags)
    swe_common.check_swieph(ret, what)
    return [r(xx[0]), r(xx[1]), r(xx[3])]


def instant_record(jd, label):
    rec = {"jd_tt": jd}
    if label:
        rec["label"] = label
    rec["deltat_s"] = round(swe.deltat(jd) * 86400.0, 4)
    ret_m, mean = swe.get_ayanamsa_ex(jd, swe.FLG_SWIEPH | swe.FLG_NONUT)
    swe_common.check_swieph(ret_m, f"ayanamsa mean {jd}")
    ret_t, true = swe.get_ayanamsa_ex(jd, swe.FLG_SWIEPH)
    swe_common.check_swieph(ret_t, f"ayanamsa true {jd}")
    rec["lahiri_mean"] = r(mean)
    rec["lahiri_true"] = r(true)
    rec["apparent"] = {name: position(jd, ipl, FLAGS, f"{name} {jd}") for name, ipl in BODIES}
    rec["no_deflection"] = {
        name: position(jd, ipl, FLAGS | swe.FLG_NOGDEFL, f"{name} nogdefl {jd}")
        for name, ipl in BODIES if name in NO_DEFLECTION_BODIES
    }
    return rec


def summary(records):
    """Print what the fixtures say about SE's conventions (stderr), and fail if it changed."""
    worst_defl = {}
    for rec in records:
        for name, nd in rec["no_deflection"].items():
            d = (rec["apparent"][name][0] - nd[0] + 180.0) % 360.0 - 180.0
            worst_defl[name] = max(worst_defl.get(name, 0.0), abs(d) * 3600.0)
    print("max |deflection| in longitude, arcsec:", file=sys.stderr)
    for name, v in worst_defl.items():
        print(f"  {name:8s} {v:.4f}", file=sys.stderr)

    worst_nut = 0.0
    worst_formula = 0.0
    worst_sid = 0.0
    for rec in records:
        jd = rec["jd_tt"]
        dpsi = swe.calc(jd, swe.ECL_NUT, 0)[0][2]
        worst_nut = max(worst_nut, abs(rec["lahiri_true"] - rec["lahiri_mean"] - dpsi) * 3600.0)
        # The formula in shared/ENGINES.md: 23.857092 deg at J2000 + IAU 2006 general precession.
        t = (jd - 2451545.0) / 36525.0
        p = 5028.796195 * t + 1.1054348 * t**2 + 0.00007964 * t**3 - 0.000023857 * t**4
        worst_formula = max(worst_formula, abs(23.857092 + p / 3600.0 - rec["lahiri_mean"]) * 3600.0)
        xx, ret = swe.calc(jd, swe.SUN, FLAGS | swe.FLG_SIDEREAL)
        swe_common.check_swieph(ret, "sidereal sun")
        d = (rec["apparent"]["sun"][0] - rec["lahiri_true"] - xx[0] + 180.0) % 360.0 - 180.0
        worst_sid = max(worst_sid, abs(d) * 3600.0)
    print(f"max |true - mean - dpsi| = {worst_nut:.2e} arcsec", file=sys.stderr)
    print(f"max |SE sidereal Sun - (tropical - true ayanamsa)| = {worst_sid:.2e} arcsec", file=sys.stderr)
    print(f"max |ENGINES.md mean formula - SE mean| = {worst_formula:.4f} arcsec", file=sys.stderr)
    if worst_nut > 1e-4 or worst_sid > 1e-4:  # values are rounded to 1e-9 deg = 3.6e-6"
        sys.exit("Swiss Ephemeris ayanamsa conventions are not what the docstring says")
    for rec in records:
        for node in ("true_node", "mean_node"):
            if rec["apparent"][node][1] != 0.0:
                sys.exit(f"{node} latitude not 0 at {rec['jd_tt']}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ephe", default=swe_common.DEFAULT_EPHE)
    ap.add_argument("--out", default="core/tests/data/swisseph_positions.json")
    args = ap.parse_args()

    meta = swe_common.setup(args.ephe)
    swe.set_sid_mode(swe.SIDM_LAHIRI, 0, 0)

    rng = random.Random(SEED)
    instants = [(jd, label) for jd, label in fixed_instants()]
    instants += [(JD_FIRST + rng.random() * (JD_2201 - JD_FIRST), None) for _ in range(N_RANDOM)]
    instants.sort(key=lambda x: x[0])
    records = [instant_record(round(jd, 9), label) for jd, label in instants]
    summary(records)

    meta = {
        "description": "Swiss Ephemeris reference positions; generated by "
                       "scripts/ephemeris-data/reference/swisseph_positions.py (see README.md there)",
        **meta,
        "time_scale": "jd_tt is Terrestrial Time; positions from swe.calc (TT), so Delta T plays no part",
        "deltat_s": "swe.deltat(jd_tt) * 86400, SE's Delta T (TT - UT1) in seconds, information only",
        "flags": "SEFLG_SWIEPH | SEFLG_SPEED (apparent: light time, aberration, light deflection, "
                 "nutation; geocentric; tropical; ecliptic of date)",
        "apparent": "body -> [longitude deg, latitude deg, longitude speed deg/day]",
        "no_deflection": "same, with SEFLG_NOGDEFL added (no gravitational light deflection); "
                         "SE applies none to the Sun in any case",
        "lahiri_mean": "swe.set_sid_mode(SIDM_LAHIRI, 0, 0); swe.get_ayanamsa_ex(jd_tt, "
                       "SEFLG_SWIEPH | SEFLG_NONUT): mean ayanamsa, deg",
        "lahiri_true": "swe.get_ayanamsa_ex(jd_tt, SEFLG_SWIEPH): true ayanamsa = mean + nutation "
                       "in longitude, deg; SE's sidereal longitude = tropical - this",
        "nodes": "true_node = osculating node, mean_node = mean node; both latitude 0, both "
                 "include nutation in longitude, no aberration or light time",
        "seed": SEED,
        "random_instants": f"{N_RANDOM} uniform in JD TT [{JD_FIRST}, {JD_2201}) from "
                           f"random.Random({SEED}), plus the labelled fixed ones",
    }
    swe_common.write_json_lines(args.out, meta, "instants", records)
    print(f"wrote {args.out}: {len(records)} instants", file=sys.stderr)


if __name__ == "__main__":
    main()
