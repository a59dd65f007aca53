#!/usr/bin/env python3
"""Generate core/src/ephemeris/pluto_table.rs: heliocentric Pluto from JPL DE422, 1800-2200.

VSOP87 has no Pluto and Meeus's Pluto series only covers 1885-2099, so we fit our own Chebyshev
series to JPL's DE422 (public domain, NASA/JPL; Folkner et al. 2009, Jones et al. 2010).

What is fitted
--------------
The target is Pluto's heliocentric position, (Pluto system barycentre - Sun), in the ICRF
equatorial frame, AU, as a function of TDB (used as TT: TDB-TT < 2 ms moves Pluto < 1e-11 AU).

Seen from the Sun, Pluto's path carries the Sun's reflex motion about the solar-system
barycentre. The giant planets' share of it is slow (periods of 12 years and more) and a
polynomial follows it easily, but Mercury, Venus, the Earth-Moon barycentre and Mars shake the Sun
by up to 3.6e-6 AU with periods of 88 to 687 days, which would need short segments (a table of
~30 000 coefficients for 1e-8 AU). The Newtonian barycentre gives exactly
r_sun = -sum_i (GM_i / GM_sun) r_i(barycentric), and for the inner planets r_i(barycentric) =
r_i(heliocentric) + r_sun where the r_sun part is only 6e-6 of the wobble, so
heliocentric Pluto = (Pluto - SSB) - r_sun is split into

    helio(t) = reflex(t) + chebyshev(t)

where reflex(t) = sum over {Mercury, Venus, EM barycentre, Mars} of mu_i * r_i(t), with r_i from
Keplerian mean elements (E. M. Standish, "Keplerian Elements for Approximate Positions of the
Major Planets", JPL, table 1, 1800-2050) and mu_i = GM_i / GM_sun from DE422's own constants, and
the Chebyshev series fits the smooth remainder. The reflex model need not be accurate: whatever it
gets wrong lands in the remainder and is fitted there; it only has to carry the fast part (the
Kepler orbits are good to ~2 arcmin, so the fast content left in the remainder is < 1e-9 AU).
The Rust side evaluates exactly the same reflex model from the constants written to the table.

Each segment is fitted by least squares on Chebyshev nodes, constrained to reproduce DE422's
position AND velocity exactly at both segment ends, so the series is continuous in position and
velocity across boundaries (up to the 1e-12 AU rounding of the printed coefficients).

Accuracy bound
--------------
0.001" as seen from the Earth at Pluto's smallest geocentric distance over 1800-2200
(perihelion 29.66 AU minus 1.017 AU = 28.64 AU) is 28.64 AU * 4.848e-9 rad = 1.39e-7 AU. We aim
far below (max fit error printed in the table header, measured every 0.25 day over the whole
range against DE422 itself).

How to regenerate
-----------------
    # DE422 for the old jplephem API, public domain, ~545 MB; never put it in the repository.
    /root/.noesis-ref/bin/pip download --no-deps -d /tmp/de422 de422==2009.1
    cd /tmp/de422 && tar xzf de422-2009.1.tar.gz \
        de422-2009.1/de422/__init__.py de422-2009.1/de422/constants.npy \
        de422-2009.1/de422/jpl-pluto.npy de422-2009.1/de422/jpl-sun.npy
    /root/.noesis-ref/bin/pip install 'jplephem==1.2' numpy   # 1.x reads the .npy package
    /root/.noesis-ref/bin/python scripts/ephemeris-data/gen_pluto.py \
        --de422 /tmp/de422/de422-2009.1 --out core/src/ephemeris/pluto_table.rs

The output is deterministic. The script refuses to write a table whose error exceeds 5e-9 AU.
It prints the DE422 check values that core/src/ephemeris/pluto.rs's tests compare with.
Optional: `--check-planets` reports how far the Kepler orbits are from DE422 (informative only;
needs jpl-mercury/venus/earthmoon/mars.npy unpacked as well).
"""

import argparse
import math
import os
import sys
from decimal import Decimal

import numpy as np
from numpy.polynomial import chebyshev as C

# ---- fit layout -------------------------------------------------------------------------------
JD_1800 = 2378496.5  # 1800-01-01T00:00 TT
JD_2201 = 2524958.5  # 2201-01-01T00:00 TT
# Chosen by trying (segment days, degree, max error, coefficients): (1024, 9, 2.0e-10, 4320),
# (2048, 12, 4.2e-10, 2808), (3072, 16, 3.4e-10, 2448), (4096, 18, 1.1e-9, 2052),
# (4096, 20, 3.9e-10, 2268). The environment variables let one repeat the experiment.
SEG_DAYS = float(os.environ.get("PLUTO_SEG_DAYS", "4096"))
DEGREE = int(os.environ.get("PLUTO_DEGREE", "20"))  # coefficients per axis per segment: DEGREE + 1
# Start 16 days before 1800-01-01 (light time to Pluto is < 0.3 day, and UT->TT shifts by
# seconds); enough whole segments to pass 2201-01-01.
START = JD_1800 - 16.0
NSEG = int(math.ceil((JD_2201 - START) / SEG_DAYS))
END = START + NSEG * SEG_DAYS
NODES = 4 * (DEGREE + 1)  # least-squares nodes per segment
QUANTUM = 1e-12  # coefficients are rounded to this many AU before printing

# ---- reflex model -----------------------------------------------------------------------------
J2000 = 2451545.0
# Obliquity used only to turn the Kepler ecliptic positions into equatorial ones; any fixed value
# works as long as Rust uses the same (it does: it is written to the table).
REFLEX_OBLIQUITY_RAD = math.radians(84381.448 / 3600.0)
# Standish, JPL, "Keplerian Elements for Approximate Positions of the Major Planets", table 1
# (1800 AD - 2050 AD), J2000 ecliptic and equinox: a [AU], e, I [deg], L [deg], long. peri. [deg],
# long. node [deg], then the rates per Julian century.
STANDISH = [
    ("mercury", "GM1",
     [0.38709927, 0.20563593, 7.00497902, 252.25032350, 77.45779628, 48.33076593],
     [0.00000037, 0.00001906, -0.00594749, 149472.67411175, 0.16047689, -0.12534081]),
    ("venus", "GM2",
     [0.72333566, 0.00677672, 3.39467605, 181.97909950, 131.60246718, 76.67984255],
     [0.00000390, -0.00004107, -0.00078890, 58517.81538729, 0.00268329, -0.27769418]),
    ("earthmoon", "GMB",
     [1.00000261, 0.01671123, -0.00001531, 100.46457166, 102.93768193, 0.0],
     [0.00000562, -0.00004392, -0.01294668, 35999.37244981, 0.32327364, 0.0]),
    ("mars", "GM4",
     [1.52371034, 0.09339410, 1.84969142, -4.55343205, -23.94362959, 49.55953891],
     [0.00001847, 0.00007882, -0.00813131, 19140.30268499, 0.44441088, -0.29257343]),
]


def kepler_state(elements, rates, mu, t):
    """mu * heliocentric position and velocity (AU, AU/day), equatorial, of one Kepler orbit.

    Mirrors `reflex_one` in core/src/ephemeris/pluto.rs term by term. t: array of JD TT.
    """
    T = (t - J2000) / 36525.0
    a = elements[0] + rates[0] * T
    e = elements[1] + rates[1] * T
    inc = np.radians(elements[2] + rates[2] * T)
    L = np.radians(elements[3] + rates[3] * T)
    varpi = np.radians(elements[4] + rates[4] * T)
    node = np.radians(elements[5] + rates[5] * T)
    n = math.radians(rates[3] - rates[4]) / 36525.0  # dM/dt, rad/day
    M = np.remainder(L - varpi, 2.0 * math.pi)
    omega = varpi - node
    E = M + e * np.sin(M)
    for _ in range(6):
        E = E - (E - e * np.sin(E) - M) / (1.0 - e * np.cos(E))
    cE, sE = np.cos(E), np.sin(E)
    b = np.sqrt(1.0 - e * e)
    xp = a * (cE - e)
    yp = a * b * sE
    Edot = n / (1.0 - e * cE)
    vxp = -a * sE * Edot
    vyp = a * b * cE * Edot
    co, so = np.cos(omega), np.sin(omega)
    cn, sn = np.cos(node), np.sin(node)
    ci, si = np.cos(inc), np.sin(inc)
    p = (co * cn - so * sn * ci, co * sn + so * cn * ci, so * si)
    q = (-so * cn - co * sn * ci, -so * sn + co * cn * ci, co * si)
    ce, se = math.cos(REFLEX_OBLIQUITY_RAD), math.sin(REFLEX_OBLIQUITY_RAD)

    def to_eq(u, v):
        x = p[0] * u + q[0] * v
        y = p[1] * u + q[1] * v
        z = p[2] * u + q[2] * v
        return np.array([x, ce * y - se * z, se * y + ce * z])

    return mu * to_eq(xp, yp), mu * to_eq(vxp, vyp)


class De422:
    def __init__(self, path):
        sys.path.insert(0, path)
        import de422  # noqa: E402  (the unpacked PyPI package)
        from jplephem import Ephemeris

        self.eph = Ephemeris(de422)
        self.au = float(self.eph.AU)
        gm_names = ["GMS", "GM1", "GM2", "GMB", "GM4", "GM5", "GM6", "GM7", "GM8", "GM9"]
        self.gm_total = sum(float(getattr(self.eph, g)) for g in gm_names)
        # Reflex weights are GM_i / GM_sun, not GM_i / sum(GM): the exact relation is
        # r_sun = -sum_i (GM_i / GM_sun) * r_i(barycentric), and for the fast inner planets
        # r_i(barycentric) = r_i(heliocentric) + r_sun, whose r_sun part is 6e-6 of the wobble.
        # (With GM_i / sum(GM) the giants' heliocentric positions would still carry the Sun's
        # fast wobble, leaving ~1.3e-3 of it, 5e-9 AU, unmodelled.)
        gms = float(self.eph.GMS)
        self.mu = {g: float(getattr(self.eph, g)) / gms for g in gm_names}
        self.denum = int(self.eph.DENUM)

    def helio(self, t):
        """Heliocentric Pluto (system barycentre), ICRF, AU and AU/day."""
        t = np.atleast_1d(np.asarray(t, dtype=float))
        whole = np.floor(t)
        frac = t - whole
        pp, pv = self.eph.position_and_velocity("pluto", whole, frac)
        sp, sv = self.eph.position_and_velocity("sun", whole, frac)
        return (pp - sp) / self.au, (pv - sv) / self.au

    def body_helio(self, name, t):
        t = np.atleast_1d(np.asarray(t, dtype=float))
        return (self.eph.position(name, t) - self.eph.position("sun", t)) / self.au


def reflex(de, t):
    pos = 0.0
    vel = 0.0
    for _name, gm, el, rt in STANDISH:
        p, v = kepler_state(el, rt, de.mu[gm], t)
        pos = pos + p
        vel = vel + v
    return pos, vel


def remainder(de, t):
    hp, hv = de.helio(t)
    rp, rv = reflex(de, t)
    return hp - rp, hv - rv


def fit_segment(de, a):
    """Constrained least squares: match value and derivative at both ends exactly."""
    half = SEG_DAYS / 2.0
    k = np.arange(NODES)
    x = np.cos(np.pi * (k + 0.5) / NODES)
    ends = np.array([-1.0, 1.0])
    fp, _ = remainder(de, a + (x + 1.0) * half)
    ep, ev = remainder(de, a + (ends + 1.0) * half)
    V = C.chebvander(x, DEGREE)  # NODES x (DEGREE+1)
    Ve = C.chebvander(ends, DEGREE)  # values at ends
    # d/dx T_k at x = +-1: T_k'(1) = k^2, T_k'(-1) = (-1)^(k+1) k^2; dt = half * dx
    kk = np.arange(DEGREE + 1, dtype=float)
    De = np.array([((-1.0) ** (kk + 1)) * kk * kk, kk * kk]) / half
    A = np.vstack([Ve, De])  # 4 constraints
    n = DEGREE + 1
    kkt = np.zeros((n + 4, n + 4))
    kkt[:n, :n] = 2.0 * V.T @ V
    kkt[:n, n:] = A.T
    kkt[n:, :n] = A
    coeffs = np.empty((3, n))
    for i in range(3):
        rhs = np.concatenate([2.0 * V.T @ fp[i], ep[i], ev[i]])
        coeffs[i] = np.linalg.solve(kkt, rhs)[:n]
    return np.round(coeffs / QUANTUM) * QUANTUM


def eval_series(coeffs, a, t):
    half = SEG_DAYS / 2.0
    x = (t - a) / half - 1.0
    pos = np.array([C.chebval(x, coeffs[i]) for i in range(3)])
    vel = np.array([C.chebval(x, C.chebder(coeffs[i])) for i in range(3)]) / half
    return pos, vel


def fmt_coef(v):
    """A coefficient already rounded to QUANTUM, printed as the short decimal it stands for."""
    digits = -int(round(math.log10(QUANTUM)))
    d = (Decimal(int(round(v / QUANTUM))).scaleb(-digits)).normalize()
    if d == 0:
        return "0.0"
    if abs(d) >= Decimal("0.0001"):
        text = format(d, "f")
        return text if "." in text else text + ".0"
    return format(d, "e")


def fmt(v):
    if v == 0.0:
        return "0.0"
    s = repr(float(v))
    if "e" not in s and "." not in s:
        s += ".0"
    return s


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--de422", default="/tmp/de422/de422-2009.1", help="unpacked de422-2009.1 folder")
    ap.add_argument("--out", default="core/src/ephemeris/pluto_table.rs")
    ap.add_argument("--check-planets", action="store_true",
                    help="report the Kepler reflex model's error vs DE422 (needs more .npy files)")
    args = ap.parse_args()

    de = De422(args.de422)
    print(f"DE{de.denum}, AU = {de.au} km; segments {NSEG} x {SEG_DAYS} d, degree {DEGREE}", file=sys.stderr)
    print(f"range JD {START} .. {END}", file=sys.stderr)

    if args.check_planets:
        t = np.arange(JD_1800, JD_2201, 1.0)
        for name, _gm, el, rt in STANDISH:
            truth = de.body_helio(name, t)
            model, _ = kepler_state(el, rt, 1.0, t)
            ang = np.linalg.norm(truth - model, axis=0) / np.linalg.norm(truth, axis=0)
            print(f"Kepler {name}: max {math.degrees(ang.max()) * 3600:.1f} arcsec", file=sys.stderr)

    table = []
    max_pos = 0.0
    max_vel = 0.0
    worst_at = None
    max_jump_p = 0.0
    max_jump_v = 0.0
    prev_end = None
    for s in range(NSEG):
        a = START + s * SEG_DAYS
        c = fit_segment(de, a)
        table.append(c)
        t = a + np.arange(0.0, SEG_DAYS + 1e-9, 0.25)
        tp, tv = de.helio(t)
        rp, rv = reflex(de, t)
        sp, sv = eval_series(c, a, t)
        ep = np.linalg.norm(sp + rp - tp, axis=0)
        ev = np.linalg.norm(sv + rv - tv, axis=0)
        if ep.max() > max_pos:
            max_pos = float(ep.max())
            worst_at = float(t[ep.argmax()])
        max_vel = max(max_vel, float(ev.max()))
        p0, v0 = eval_series(c, a, np.array([a]))
        if prev_end is not None:
            max_jump_p = max(max_jump_p, float(np.linalg.norm(p0[:, 0] - prev_end[0])))
            max_jump_v = max(max_jump_v, float(np.linalg.norm(v0[:, 0] - prev_end[1])))
        p1, v1 = eval_series(c, a, np.array([a + SEG_DAYS]))
        prev_end = (p1[:, 0], v1[:, 0])
    bound = 28.64 * math.radians(0.001 / 3600.0)
    print(f"max position error {max_pos:.3e} AU at JD {worst_at} (bound for 0.001\": {bound:.3e} AU)",
          file=sys.stderr)
    print(f"max velocity error {max_vel:.3e} AU/day", file=sys.stderr)
    print(f"max jump at boundaries: position {max_jump_p:.1e} AU, velocity {max_jump_v:.1e} AU/day",
          file=sys.stderr)
    if max_pos > 5e-9:
        sys.exit("fit error above 5e-9 AU: refusing to write the table")

    # DE422 check values for pluto.rs's tests, straight from DE422 (not from the fit).
    checks = [
        ("1800-01-01T00 TT", JD_1800),
        ("1900-01-01T12 TT", 2415021.0),
        ("J2000.0", J2000),
        ("1991-08-13T08:01 TT", 2448481.834027778),
        ("2100-03-01T06 TT", 2488128.75),
        ("2200-12-31T18 TT", 2524958.25),
    ]
    print("\n// DE422 heliocentric Pluto (system barycentre - Sun), ICRF, AU and AU/day:")
    print("const DE422_CHECKS: [(f64, [f64; 3], [f64; 3]); %d] = [" % len(checks))
    for label, jd in checks:
        p, v = de.helio(np.array([jd]))
        print(f"    // {label}")
        print(f"    ({fmt(jd)}, [{', '.join(fmt(x) for x in p[:, 0])}],")
        print(f"        [{', '.join(fmt(x) for x in v[:, 0])}]),")
    print("];")

    out = []
    w = out.append
    w("//! GENERATED by scripts/ephemeris-data/gen_pluto.py — do not edit by hand.")
    w("//!")
    w("//! Heliocentric Pluto (Pluto system barycentre − Sun) from JPL DE%d (public domain, NASA/JPL)," % de.denum)
    w("//! ICRF equatorial, AU, argument TDB ≈ TT, as `reflex(t) + chebyshev(t)`: the reflex part is the")
    w("//! Sun's fast wobble due to Mercury, Venus, the Earth–Moon barycentre and Mars, from Kepler orbits")
    w("//! (Standish, JPL, table 1) weighted by DE%d's mass ratios; the Chebyshev series fits the rest." % de.denum)
    w("//! See the generator's docstring for why.")
    w("//!")
    w("//! Regenerate (DE422 from PyPI package `de422` 2009.1, read with `jplephem` 1.2):")
    w("//! ```text")
    w("//! /root/.noesis-ref/bin/python scripts/ephemeris-data/gen_pluto.py \\")
    w("//!     --de422 /tmp/de422/de422-2009.1 --out core/src/ephemeris/pluto_table.rs")
    w("//! ```")
    w("//!")
    w("//! Segments: %d of %.0f days from JD %.1f to JD %.1f (TT), degree %d, each constrained"
      % (NSEG, SEG_DAYS, START, END, DEGREE))
    w("//! to DE%d's position and velocity at both ends (C¹ across boundaries). Coefficients rounded"
      % de.denum)
    w("//! to %g AU. Measured against DE%d every 0.25 day over the whole range: max position error"
      % (QUANTUM, de.denum))
    w("//! %.2e AU (%.1e″ at 28.64 AU; the bound for 0.001″ is %.2e AU), max velocity error"
      % (max_pos, math.degrees(max_pos / 28.64) * 3600.0, bound))
    w("//! %.2e AU/day." % max_vel)
    w("")
    w("#![allow(clippy::unreadable_literal)]")
    w("")
    w("/// First instant covered, JD TT.")
    w("pub(crate) const PLUTO_START_JD: f64 = %s;" % fmt(START))
    w("/// Length of one Chebyshev segment, days.")
    w("pub(crate) const PLUTO_SEGMENT_DAYS: f64 = %s;" % fmt(SEG_DAYS))
    w("/// Number of segments.")
    w("pub(crate) const PLUTO_SEGMENTS: usize = %d;" % NSEG)
    w("/// Chebyshev coefficients per coordinate per segment (degree + 1).")
    w("pub(crate) const PLUTO_NCOEF: usize = %d;" % (DEGREE + 1))
    w("")
    w("/// Obliquity (rad) that turns the reflex model's ecliptic J2000 positions equatorial.")
    w("pub(crate) const REFLEX_OBLIQUITY_RAD: f64 = %s;" % fmt(REFLEX_OBLIQUITY_RAD))
    w("")
    w("/// Reflex model bodies: `(mu, elements, rates per Julian century)` with mu = GM_body / GM_sun")
    w("/// (DE%d) and elements a [AU], e, I [°], L [°], ϖ [°], Ω [°] (J2000 ecliptic; Standish table 1)." % de.denum)
    w("/// Order: Mercury, Venus, Earth–Moon barycentre, Mars.")
    w("#[rustfmt::skip]")
    w("pub(crate) const REFLEX_BODIES: [(f64, [f64; 6], [f64; 6]); %d] = [" % len(STANDISH))
    for name, gm, el, rt in STANDISH:
        w("    // %s" % name)
        w("    (%s, [%s], [%s])," % (fmt(de.mu[gm]), ", ".join(fmt(x) for x in el), ", ".join(fmt(x) for x in rt)))
    w("];")
    w("")
    w("/// `PLUTO_CHEB[segment][axis][k]`: coefficient of T_k on segment `segment`, axis x, y, z (AU).")
    w("#[rustfmt::skip]")
    w("pub(crate) static PLUTO_CHEB: [[[f64; PLUTO_NCOEF]; 3]; PLUTO_SEGMENTS] = [")
    for s, c in enumerate(table):
        w("    // %d: JD %.1f" % (s, START + s * SEG_DAYS))
        w("    [")
        for i in range(3):
            w("        [%s]," % ", ".join(fmt_coef(x) for x in c[i]))
        w("    ],")
    w("];")
    text = "\n".join(out) + "\n"
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"wrote {args.out}: {len(text)} bytes, {NSEG * 3 * (DEGREE + 1)} coefficients "
          f"({NSEG * 3 * (DEGREE + 1) * 8} bytes as f64)", file=sys.stderr)


if __name__ == "__main__":
    main()
