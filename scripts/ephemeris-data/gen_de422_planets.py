#!/usr/bin/env python3
"""Generate core/src/ephemeris/tables/de422_*.rs: heliocentric Mars..Pluto from JPL DE422, 1800-2200.

Truncated VSOP87 drifts from the JPL ephemerides by up to 1-3.5" for Mars..Neptune over 1800-2200
(and is slow: Mars alone is 1868 terms); VSOP87 has no Pluto, and Meeus's Pluto series only
covers 1885-2099. So for Mars, Jupiter, Saturn, Uranus, Neptune and Pluto we fit our own
Chebyshev series to JPL's DE422 (public domain, NASA/JPL; Folkner et al. 2009, Jones et al. 2010).
Mercury, Venus and the Earth stay on VSOP87 (scripts/ephemeris-data/gen_tables.mjs).

What is fitted
--------------
The target is each body's heliocentric position (system barycentre - Sun) in the ICRF equatorial
frame, AU, as a function of TDB (used as TT: TDB-TT < 2 ms moves Mars by < 1e-10 AU). It must be
heliocentric, not barycentric: core computes geocentric = planet_helio(t - tau) - earth_helio(t)
with VSOP87's heliocentric Earth.

Seen from the Sun, every planet's path carries the Sun's reflex motion about the solar-system
barycentre. The giant planets' share of it is slow (periods of 12 years and more) and a polynomial
follows it easily, but Mercury, Venus, the Earth-Moon barycentre and Mars shake the Sun by up to
3.6e-6 AU with periods of 88 to 687 days, which would need short segments for the outer planets.
The Newtonian barycentre gives r_sun = -sum_i (GM_i / GM_sun) r_i(barycentric); the giants do not
follow the Sun's fast wobble, so its fast part is -sum over the inner bodies of
(GM_i / GM_sun) r_i(heliocentric) (to 6e-6 of itself). So each table is split into

    helio(t) = reflex(t) + chebyshev(t)

where reflex(t) = sum over {Mercury, Venus, EM barycentre, Mars} of mu_i * r_i(t), with r_i from
Keplerian mean elements (E. M. Standish, "Keplerian Elements for Approximate Positions of the
Major Planets", JPL, table 1, 1800-2050) and mu_i = GM_i / GM_sun from DE422's own constants, and
the Chebyshev series fits the smooth remainder. The reflex model need not be accurate: whatever it
gets wrong lands in the remainder and is fitted there; it only has to carry the fast part (the
Kepler orbits are good to ~2 arcmin, and the model is within 5.3e-10 AU of the DE422 planets'
sum_i mu_i r_i over 1800-2200, the fast part of that error being a few 1e-11 AU). The same model
serves all six tables, so core evaluates it once per instant. (A planet also follows the Sun's
wobble a little, by ~(P_wobble / P_planet)^2 of it, a few 1e-9 AU for Jupiter; that stays in the
remainder and is probably what leaves a ~210-day ripple of 2.5e-9 AU in Jupiter's fit errors.)

Mars is the hard one. Its two-body motion alone would converge fast, but the planetary
perturbations give its heliocentric path structure at the 1e-9 AU level on ~100-day scales (the
worst errors fall near perihelic oppositions), so it needs ~0.13 Chebyshev coefficients per day
at 0.001" whatever the segment length (256- to 1024-day segments all land there; subtracting a
Kepler orbit, mean or osculating, or fitting in eccentric anomaly instead of time does not help).

Each segment is fitted by weighted least squares on Chebyshev nodes, weights 1/Delta (Delta the
body's geocentric distance from DE422's Earth, so the fit spends its accuracy where the Earth sees
it best: what matters is the error seen from the Earth), constrained to reproduce DE422's position
AND velocity exactly at both segment ends, so the series is continuous in position and velocity
across boundaries (up to the rounding of the stored coefficients).

Storage
-------
Coefficients are rounded to a per-body quantum q = 2^-n AU (the largest power of two not above
bound / (100 * coefficients per axis), so rounding costs < 1% of the accuracy bound), and stored in
two arrays: the first `head` coefficients of each segment and axis as f64 (exact: multiples of q),
the rest, which are small, as i32 multiples of q. That saves a third of the bytes against plain
f64 (173 KiB instead of 266 KiB for the six tables) without costing anything measurable; the
evaluator multiplies the integers back by q (exact).

Accuracy bound
--------------
0.001" seen from the Earth: the angle subtended by the fit error at the body's geocentric
distance. Measured every 0.25 day over the whole range against DE422 (and DE422's Earth), it is
printed in each table's header and must stay below 1 mas, or the script refuses to write. For
reference the header also gives the largest heliocentric error and the bound it would have to meet
for 0.001" at the body's smallest geocentric distance (Mars 0.37 AU, Jupiter 3.9, Saturn 8.0,
Uranus 17.3, Neptune 28.8, Pluto 28.64 AU).

How to regenerate
-----------------
    # DE422 for the old jplephem API, public domain, ~545 MB; never put it in the repository.
    /root/.noesis-ref/bin/pip download --no-deps -d /tmp/de422 de422==2009.1
    cd /tmp/de422 && tar xzf de422-2009.1.tar.gz
    /root/.noesis-ref/bin/pip install 'jplephem==1.2' numpy   # 1.x reads the .npy package
    /root/.noesis-ref/bin/python scripts/ephemeris-data/gen_de422_planets.py \
        --de422 /tmp/de422/de422-2009.1 --out core/src/ephemeris/tables

(run from the repository root). The output is deterministic. It prints, per body, the fit's
errors and table size, and the DE422 check values that core/src/ephemeris/chebyshev.rs's tests
compare with. `--scan mars:768:36,512:26` reports candidate layouts without writing anything;
`--only mars,pluto` regenerates some tables (and de422_reflex.rs); `--check-planets` reports how
far the Kepler orbits of the reflex model are from DE422.
"""

import argparse
import math
import os
import sys

import numpy as np
from numpy.polynomial import chebyshev as C

# ---- span -------------------------------------------------------------------------------------
JD_1800 = 2378496.5  # 1800-01-01T00:00 TT
JD_2201 = 2524958.5  # 2201-01-01T00:00 TT
# Start 16 days before 1800-01-01 (light time is < 0.3 day, and UT->TT shifts by seconds) and
# cover 147456 = 2^14 * 9 days, to 2203-09-06: every segment length below divides it, so all
# tables share one valid range.
START = JD_1800 - 16.0
SPAN = 147456.0
END = START + SPAN
assert END > JD_2201

# ---- bodies -----------------------------------------------------------------------------------
# name: (segment days, degree, smallest geocentric distance in AU over 1800-2200). Chosen with
# --scan as the smallest table below 1 mas seen from the Earth (largest geocentric error in mas /
# coefficients, full range):
#   mars     512:24 1.64/21600  512:26 1.01/23328  512:27 0.84/24192  576:29 1.03/23040
#            768:34 2.34/20160  768:38 1.20/22464  768:40 0.84/23616  1024:44 2.16/19440
#            1024:48 1.43/21168 1024:52 0.90/22896 (384-day segments are no better; weights 1/Delta^2
#            or 1/Delta^3 instead of 1/Delta are worse)
#   jupiter  4096:22 1.38  4096:24 0.74  4096:26 0.38   2048:16 0.25/3672
#   saturn   4096:22 2.75  4096:26 0.60  4096:27 0.42  4096:28 0.28  2048:16 0.13/3672 (Saturn needs
#            more around its conjunctions with Jupiter than elsewhere)
#   uranus   4096:14 0.71  4096:15 0.24  8192:20 7.26  8192:24 1.43  8192:26 0.67  8192:28 0.33
#   neptune  4096:12 1.79  4096:14 0.26  8192:16 36.5  8192:20 4.07  8192:24 0.58  16384:24 292
#   pluto    4096:18 0.006 4096:20 0.002 8192:26 0.17 (kept at 4096:20, its layout before this
#            generator replaced gen_pluto.py)
# Only Mars relies on the geocentric measure: its largest heliocentric error, 3.3e-9 AU, is above
# 0.001" at 0.37 AU (1.8e-9 AU) but falls where Mars is farther; meeting 1.8e-9 AU everywhere
# takes ~25000 coefficients instead of 22896 (unweighted 512:28, measured on 40 segments). Every
# other table meets both bounds.
LAYOUT = {
    "mars": (1024, 52, 0.37),
    "jupiter": (4096, 26, 3.9),
    "saturn": (4096, 27, 8.0),
    "uranus": (8192, 28, 17.3),
    "neptune": (8192, 24, 28.8),
    "pluto": (4096, 20, 28.64),
}
ORDER = ["mars", "jupiter", "saturn", "uranus", "neptune", "pluto"]
MAS = math.radians(0.001 / 3600.0)  # 0.001" in radians
STEP = 0.25  # days between the instants at which the error is measured

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

    Mirrors `kepler_equatorial` in core/src/ephemeris/chebyshev.rs term by term. t: array of JD TT.
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
    for _ in range(3):  # converged to 1e-15 rad for e <= 0.21
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
        gms = float(self.eph.GMS)
        gm_names = ["GMS", "GM1", "GM2", "GMB", "GM4", "GM5", "GM6", "GM7", "GM8", "GM9"]
        self.mu = {g: float(getattr(self.eph, g)) / gms for g in gm_names}
        self.denum = int(self.eph.DENUM)

    def _pv(self, name, t):
        whole = np.floor(t)
        return self.eph.position_and_velocity(name, whole, t - whole)

    def helio(self, name, t):
        """Heliocentric position and velocity of `name` (a system barycentre), ICRF, AU, AU/day."""
        t = np.atleast_1d(np.asarray(t, dtype=float))
        pp, pv = self._pv(name, t)
        sp, sv = self._pv("sun", t)
        return (pp - sp) / self.au, (pv - sv) / self.au

    def earth_helio(self, t):
        """Heliocentric position of the Earth (not the Earth-Moon barycentre), AU."""
        t = np.atleast_1d(np.asarray(t, dtype=float))
        emb, _ = self._pv("earthmoon", t)
        moon, _ = self._pv("moon", t)
        sun, _ = self._pv("sun", t)
        return (emb - moon / (1.0 + float(self.eph.EMRAT)) - sun) / self.au


def reflex(de, t):
    pos = 0.0
    vel = 0.0
    for _name, gm, el, rt in STANDISH:
        p, v = kepler_state(el, rt, de.mu[gm], t)
        pos = pos + p
        vel = vel + v
    return pos, vel


class Fit:
    """One body's layout, fitted segment by segment."""

    def __init__(self, de, name, seg_days, degree, closest_au):
        self.de = de
        self.name = name
        self.seg = float(seg_days)
        self.degree = degree
        self.n = degree + 1
        self.closest = closest_au
        self.nseg = int(round(SPAN / self.seg))
        assert abs(self.nseg * self.seg - SPAN) < 1e-9, f"{name}: {seg_days} does not divide {SPAN}"
        self.bound_au = closest_au * MAS
        # Quantum: the largest power of two not above bound / (100 * coefficients per axis).
        self.qexp = math.floor(math.log2(self.bound_au / (100.0 * self.n)))
        self.q = 2.0 ** self.qexp

    def remainder(self, t):
        hp, hv = self.de.helio(self.name, t)
        rp, rv = reflex(self.de, t)
        return hp - rp, hv - rv

    def fit_segment(self, a):
        half = self.seg / 2.0
        nodes = 4 * self.n
        k = np.arange(nodes)
        x = np.cos(np.pi * (k + 0.5) / nodes)
        t = a + (x + 1.0) * half
        ends = np.array([-1.0, 1.0])
        fp, _ = self.remainder(t)
        ep, ev = self.remainder(a + (ends + 1.0) * half)
        hp, _ = self.de.helio(self.name, t)
        w = 1.0 / np.linalg.norm(hp - self.de.earth_helio(t), axis=0)  # 1 / geocentric distance
        V = C.chebvander(x, self.degree) * w[:, None]
        Ve = C.chebvander(ends, self.degree)
        # d/dx T_k at x = -1, +1: (-1)^(k+1) k^2, k^2; dt = half * dx
        kk = np.arange(self.n, dtype=float)
        De = np.array([((-1.0) ** (kk + 1)) * kk * kk, kk * kk]) / half
        A = np.vstack([Ve, De])  # 4 constraints
        n = self.n
        kkt = np.zeros((n + 4, n + 4))
        kkt[:n, :n] = 2.0 * V.T @ V
        kkt[:n, n:] = A.T
        kkt[n:, :n] = A
        coeffs = np.empty((3, n))
        for i in range(3):
            rhs = np.concatenate([2.0 * V.T @ (w * fp[i]), ep[i], ev[i]])
            coeffs[i] = np.linalg.solve(kkt, rhs)[:n]
        return np.round(coeffs / self.q) * self.q

    def eval_series(self, coeffs, a, t):
        half = self.seg / 2.0
        x = (t - a) / half - 1.0
        pos = np.array([C.chebval(x, coeffs[i]) for i in range(3)])
        vel = np.array([C.chebval(x, C.chebder(coeffs[i])) for i in range(3)]) / half
        return pos, vel

    def run(self, step=STEP):
        """Fit every segment and measure against DE422; returns the report dict."""
        self.table = []
        r = dict(pos=0.0, pos_at=None, geo=0.0, geo_at=None, geo_delta=None, vel=0.0, jump_p=0.0, jump_v=0.0)
        prev_end = None
        for s in range(self.nseg):
            a = START + s * self.seg
            c = self.fit_segment(a)
            self.table.append(c)
            last = s == self.nseg - 1
            t = a + np.arange(0.0, self.seg + (1e-9 if last else -1e-9), step)
            tp, tv = self.de.helio(self.name, t)
            rp, rv = reflex(self.de, t)
            sp, sv = self.eval_series(c, a, t)
            err = sp + rp - tp
            ep = np.linalg.norm(err, axis=0)
            ev = np.linalg.norm(sv + rv - tv, axis=0)
            geo = tp - self.de.earth_helio(t)
            delta = np.linalg.norm(geo, axis=0)
            u = geo / delta
            perp = err - u * np.sum(err * u, axis=0)
            ang = np.linalg.norm(perp, axis=0) / delta
            if ep.max() > r["pos"]:
                r["pos"], r["pos_at"] = float(ep.max()), float(t[ep.argmax()])
            if ang.max() > r["geo"]:
                i = ang.argmax()
                r["geo"], r["geo_at"], r["geo_delta"] = float(ang[i]), float(t[i]), float(delta[i])
            r["vel"] = max(r["vel"], float(ev.max()))
            p0, v0 = self.eval_series(c, a, np.array([a]))
            if prev_end is not None:
                r["jump_p"] = max(r["jump_p"], float(np.linalg.norm(p0[:, 0] - prev_end[0])))
                r["jump_v"] = max(r["jump_v"], float(np.linalg.norm(v0[:, 0] - prev_end[1])))
            p1, v1 = self.eval_series(c, a, np.array([a + self.seg]))
            prev_end = (p1[:, 0], v1[:, 0])
        self.report = r
        # Split: leading coefficients as f64, the rest as i32 multiples of q.
        ints = np.array(self.table) / self.q  # [segment][axis][k], integers
        limit = 2**31 - 1
        fits = np.all(np.abs(ints) <= limit, axis=(0, 1))
        head = self.n
        while head > 0 and fits[head - 1:].all():
            head -= 1
        self.head = head
        self.coefficients = self.nseg * 3 * self.n
        self.bytes = self.nseg * 3 * (head * 8 + (self.n - head) * 4)
        return r

    def summary(self):
        r = self.report
        return (f"{self.name}: {self.nseg} x {self.seg:.0f} d, degree {self.degree}: "
                f"geocentric max {r['geo'] / MAS:.3f} mas (JD {r['geo_at']:.2f}, Delta {r['geo_delta']:.2f} AU); "
                f"heliocentric max {r['pos']:.2e} AU (0.001\" at {self.closest} AU: {self.bound_au:.2e}); "
                f"velocity {r['vel']:.1e} AU/d; jumps {r['jump_p']:.0e} AU, {r['jump_v']:.0e} AU/d; "
                f"{self.coefficients} coefficients ({self.coefficients * 8 / 1024:.1f} KiB as f64), stored "
                f"{self.bytes / 1024:.1f} KiB (head {self.head} f64 + {self.n - self.head} i32 x 2^{self.qexp} AU)")


# ---- output -----------------------------------------------------------------------------------

def fmt(v):
    """Shortest decimal that reads back as the same f64."""
    if v == 0.0:
        return "0.0"
    s = repr(float(v))
    if "e" not in s and "." not in s:
        s += ".0"
    return s


def write_body(fit, de, out_dir):
    r = fit.report
    upper = fit.name.upper()
    n, head = fit.n, fit.head
    tail = n - head
    lines = []
    w = lines.append
    w("//! GENERATED by scripts/ephemeris-data/gen_de422_planets.py — do not edit by hand.")
    w("//!")
    w("//! Heliocentric %s (system barycentre − Sun) from JPL DE%d (public domain, NASA/JPL), ICRF"
      % (fit.name.capitalize(), de.denum))
    w("//! equatorial, AU, argument TDB ≈ TT, as `reflex(t) + chebyshev(t)` (see `super::de422_reflex`")
    w("//! and the generator's docstring).")
    w("//!")
    w("//! %d segments of %.0f days from JD %.1f (TT), degree %d, each constrained to DE%d's position"
      % (fit.nseg, fit.seg, START, fit.degree, de.denum))
    w("//! and velocity at both ends. Measured against DE%d every %g day over the whole range:" % (de.denum, STEP))
    w("//! largest error seen from the Earth %.3f mas (0.001″ = 1 mas), largest heliocentric error"
      % (r["geo"] / MAS))
    w("//! %.2e AU (0.001″ at the closest approach, %.2f AU, is %.2e AU), velocity %.1e AU/day."
      % (r["pos"], fit.closest, fit.bound_au, r["vel"]))
    w("//! %d coefficients (%.1f KiB as f64), stored in %.1f KiB: the first %d of each segment and axis"
      % (fit.coefficients, fit.coefficients * 8 / 1024, fit.bytes / 1024, head))
    w("//! as f64, the other %d as i32 multiples of 2^%d AU." % (tail, fit.qexp))
    w("")
    w("use super::super::chebyshev::ChebyshevBody;")
    w("")
    w("pub(crate) static %s: ChebyshevBody = ChebyshevBody {" % upper)
    w("    segment_days: %s," % fmt(fit.seg))
    w("    segments: %d," % fit.nseg)
    w("    coefficients: %d," % n)
    w("    head: %d," % head)
    w("    quantum_au: %s, // 2^%d" % (fmt(fit.q), fit.qexp))
    w("    leading: &LEADING,")
    w("    trailing: &TRAILING,")
    w("};")
    w("")
    w("/// `[segment][axis][k]` for k < %d, flattened: coefficients of T_k (AU), axes x, y, z." % head)
    w("#[rustfmt::skip]")
    w("static LEADING: [f64; %d] = [" % (fit.nseg * 3 * head))
    for s, c in enumerate(fit.table):
        w("    // %d: JD %.1f" % (s, START + s * fit.seg))
        for i in range(3):
            w("    %s," % ", ".join(fmt(x) for x in c[i][:head]))
    w("];")
    w("")
    w("/// `[segment][axis][k - %d]` for %d ≤ k < %d, flattened: coefficients of T_k in units of 2^%d AU."
      % (head, head, n, fit.qexp))
    w("#[rustfmt::skip]")
    w("static TRAILING: [i32; %d] = [" % (fit.nseg * 3 * tail))
    for s, c in enumerate(fit.table):
        w("    // %d" % s)
        for i in range(3):
            w("    %s," % ", ".join(str(int(round(x / fit.q))) for x in c[i][head:]))
    w("];")
    text = "\n".join(lines) + "\n"
    path = os.path.join(out_dir, "de422_%s.rs" % fit.name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path, len(text)


def write_reflex(de, out_dir):
    lines = []
    w = lines.append
    w("//! GENERATED by scripts/ephemeris-data/gen_de422_planets.py — do not edit by hand.")
    w("//!")
    w("//! What the DE%d Chebyshev tables (`de422_*.rs`) share: their span and the reflex model, the" % de.denum)
    w("//! Sun's fast wobble due to Mercury, Venus, the Earth–Moon barycentre and Mars, from Kepler orbits")
    w("//! (Standish, JPL, table 1) weighted by DE%d's mass ratios. Each table fits the heliocentric" % de.denum)
    w("//! position minus this model. Regenerate with")
    w("//! ```text")
    w("//! /root/.noesis-ref/bin/python scripts/ephemeris-data/gen_de422_planets.py \\")
    w("//!     --de422 /tmp/de422/de422-2009.1 --out core/src/ephemeris/tables")
    w("//! ```")
    w("")
    w("/// First instant every table covers, JD TT (1799-12-16T00 TT).")
    w("pub(crate) const START_JD: f64 = %s;" % fmt(START))
    w("/// Days every table covers from [`START_JD`] (to 2203-09-06T00 TT).")
    w("pub(crate) const SPAN_DAYS: f64 = %s;" % fmt(SPAN))
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
    text = "\n".join(lines) + "\n"
    path = os.path.join(out_dir, "de422_reflex.rs")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path, len(text)


CHECKS = [
    ("1800-01-01T00 TT", JD_1800),
    ("1900-01-01T12 TT", 2415021.0),
    ("1991-08-13T08:01 TT", 2448481.834027778),
    ("J2000.0", J2000),
    ("2100-03-01T06 TT", 2488128.75),
    ("2200-12-31T18 TT", 2524958.25),
]


def print_checks(de, names):
    print("\n// DE%d heliocentric position (AU) and velocity (AU/day), ICRF, straight from DE%d:" % (de.denum, de.denum))
    print("#[rustfmt::skip]")
    print("const DE422_CHECKS: [(Body, f64, [f64; 3], [f64; 3]); %d] = [" % (len(CHECKS) * len(names)))
    for name in names:
        for label, jd in CHECKS:
            p, v = de.helio(name, np.array([jd]))
            print(f"    // {name}, {label}")
            print(f"    (Body::{name.capitalize()}, {fmt(jd)}, [{', '.join(fmt(x) for x in p[:, 0])}],")
            print(f"        [{', '.join(fmt(x) for x in v[:, 0])}]),")
    print("];")
    print("\n// DE%d heliocentric Earth (not the Earth-Moon barycentre) at the same instants, AU, ICRF:" % de.denum)
    print("#[rustfmt::skip]")
    print("const DE422_EARTH: [(f64, [f64; 3]); %d] = [" % len(CHECKS))
    for label, jd in CHECKS:
        e = de.earth_helio(np.array([jd]))
        print(f"    ({fmt(jd)}, [{', '.join(fmt(x) for x in e[:, 0])}]), // {label}")
    print("];")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--de422", default="/tmp/de422/de422-2009.1", help="unpacked de422-2009.1 folder")
    ap.add_argument("--out", default="core/src/ephemeris/tables", help="folder for de422_*.rs")
    ap.add_argument("--only", help="comma-separated bodies to regenerate (default: all)")
    ap.add_argument("--scan", help="body:days:degree,... layouts to measure; writes nothing")
    ap.add_argument("--step", type=float, default=STEP, help="measuring step for --scan, days")
    ap.add_argument("--check-planets", action="store_true",
                    help="report the Kepler reflex model's error vs DE422; writes nothing")
    args = ap.parse_args()

    de = De422(args.de422)
    print(f"DE{de.denum}, AU = {de.au} km; range JD {START} .. {END}", file=sys.stderr)

    if args.check_planets:
        t = np.arange(JD_1800, JD_2201, 1.0)
        total = 0.0
        for name, gm, el, rt in STANDISH:
            truth, _ = de.helio(name, t)
            model, _ = kepler_state(el, rt, 1.0, t)
            ang = np.linalg.norm(truth - model, axis=0) / np.linalg.norm(truth, axis=0)
            total = total + de.mu[gm] * (truth - model)
            print(f"Kepler {name}: max {math.degrees(ang.max()) * 3600:.1f} arcsec", file=sys.stderr)
        print(f"reflex model vs DE{de.denum}'s sum mu_i r_i: max {np.linalg.norm(total, axis=0).max():.2e} AU",
              file=sys.stderr)
        return

    if args.scan:
        for spec in args.scan.split(","):
            name, days, degree = spec.split(":")
            days, degree = float(days), int(degree)
            fit = Fit(de, name, days, degree, LAYOUT[name][2])
            fit.run(step=args.step)
            print(fit.summary(), file=sys.stderr, flush=True)
        return

    names = ORDER if not args.only else [n for n in ORDER if n in args.only.split(",")]
    total_coefficients = 0
    total_bytes = 0
    for name in names:
        days, degree, closest = LAYOUT[name]
        fit = Fit(de, name, days, degree, closest)
        r = fit.run()
        print(fit.summary(), file=sys.stderr, flush=True)
        if r["geo"] > MAS:
            sys.exit(f"{name}: fit error above 0.001\" seen from the Earth: refusing to write the table")
        path, size = write_body(fit, de, args.out)
        print(f"wrote {path}: {size} bytes of source", file=sys.stderr)
        total_coefficients += fit.coefficients
        total_bytes += fit.bytes
    path, size = write_reflex(de, args.out)
    print(f"wrote {path}: {size} bytes of source", file=sys.stderr)
    print(f"total: {total_coefficients} coefficients ({total_coefficients * 8 / 1024:.1f} KiB as f64), "
          f"stored {total_bytes / 1024:.1f} KiB", file=sys.stderr)
    print_checks(de, names)


if __name__ == "__main__":
    main()
