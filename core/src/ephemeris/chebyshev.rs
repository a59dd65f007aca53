//! Heliocentric Mars, Jupiter, Saturn, Uranus, Neptune and Pluto, 1800–2200, from Chebyshev fits
//! to JPL's DE422.
//!
//! Truncated VSOP87 drifts from the JPL ephemerides by up to 1–3.5″ for Mars..Neptune over
//! 1800–2200 and costs thousands of terms; VSOP87 has no Pluto. So
//! `scripts/ephemeris-data/gen_de422_planets.py` fits DE422 (public domain, NASA/JPL) and writes
//! `tables/de422_*.rs`. Each position is the body's system barycentre minus the Sun, in the ICRF
//! equatorial frame (not frame-biased: ICRF and the mean equator and equinox of J2000.0 differ by
//! the frame bias, about 0.02″), AU, with the argument taken as TT (DE422 runs on TDB; TDB − TT
//! < 2 ms moves Mars by < 1e-10 AU).
//!
//! The heliocentric paths carry the Sun's reflex wobble, whose fast part (Mercury, Venus, the
//! Earth–Moon barycentre and Mars: up to 3.6e-6 AU with periods of 88–687 days) would need short
//! segments. So every table is split the same way: `position = reflex(t) + chebyshev(t)`, where
//! `reflex` is `Σ (GM_i / GM_sun) · r_i(t)` over those four bodies with `r_i` from Kepler orbits
//! (constants in `tables/de422_reflex.rs`) and the body's Chebyshev series fits the smooth rest.
//! The reflex part is the same for every body, so it is evaluated once per instant.
//!
//! Each table has segments of equal length, each constrained to DE422's position and velocity at
//! both ends (so position and velocity are continuous across boundaries), fitted with weights
//! 1/Δ (geocentric distance) because what matters is the error seen from the Earth. Measured
//! against DE422 every 0.25 day over the whole range, that error stays below 0.001″ for every
//! body (the figures are in each table's header). The coefficients are stored compactly: the
//! first few of each segment and axis as `f64`, the small rest as `i32` multiples of a power of two
//! (`quantum_au`), which saves a third of the bytes (173 KiB instead of 266 KiB for the six) and
//! costs nothing measurable.
//!
//! Against the Swiss Ephemeris (whose files come from DE431) what remains is not the fits' doing:
//! DE422 and DE431 agree near 2000 and drift apart towards 1800 and 2200, seen from the Sun by up
//! to 0.04″ for Mars and Jupiter, 0.65″ for Uranus, 0.46″ for Neptune and 1.23″ for Pluto
//! (`scripts/ephemeris-data/reference/README.md`), and Mars near opposition also shows the
//! truncated VSOP87 Earth's error (up to 0.11″).

use super::Body;
use super::fast_trig;
use super::state::StateVector;
use super::tables::{self, de422_reflex};

/// One body's Chebyshev table: `segments` segments of `segment_days` each from
/// [`de422_reflex::START_JD`], `coefficients` per axis per segment (degree + 1).
pub(crate) struct ChebyshevBody {
    pub(crate) segment_days: f64,
    pub(crate) segments: usize,
    pub(crate) coefficients: usize,
    /// How many leading coefficients of each segment and axis are stored in `leading`.
    pub(crate) head: usize,
    /// The unit of `trailing`, AU (a power of two, so the scaling is exact).
    pub(crate) quantum_au: f64,
    /// `[segment][axis][k]` for `k < head`, AU, flattened.
    pub(crate) leading: &'static [f64],
    /// `[segment][axis][k − head]` for `head ≤ k < coefficients`, in units of `quantum_au`.
    pub(crate) trailing: &'static [i32],
}

/// The interval of JD TT, both ends included, in which [`heliocentric`] answers for every body it
/// covers: 1799-12-16 to 2203-09-06 (TT), 1800-01-01 .. 2201-01-01 with a little margin.
pub(crate) const DE422_VALID_JD_TT: (f64, f64) =
    (de422_reflex::START_JD, de422_reflex::START_JD + de422_reflex::SPAN_DAYS);

const J2000_JD: f64 = 2_451_545.0;
const DAYS_PER_CENTURY: f64 = 36_525.0;

fn table(body: Body) -> Option<&'static ChebyshevBody> {
    match body {
        Body::Mars => Some(&tables::DE422_MARS),
        Body::Jupiter => Some(&tables::DE422_JUPITER),
        Body::Saturn => Some(&tables::DE422_SATURN),
        Body::Uranus => Some(&tables::DE422_URANUS),
        Body::Neptune => Some(&tables::DE422_NEPTUNE),
        Body::Pluto => Some(&tables::DE422_PLUTO),
        _ => None,
    }
}

fn in_range(jd_tt: f64) -> bool {
    let (first, last) = DE422_VALID_JD_TT;
    // Written so that NaN fails the test too.
    jd_tt >= first && jd_tt <= last
}

/// Heliocentric position (AU) and velocity (AU/day) of `body`'s system barycentre, ICRF
/// equatorial, at `jd_tt`; `None` for a body without a DE422 table, outside
/// [`DE422_VALID_JD_TT`] or for a non-finite date. `reflex` is [`reflex`] at the same instant,
/// which the caller computes once for all the bodies it asks for (four Kepler orbits cost more
/// than the six Chebyshev series together).
pub(crate) fn heliocentric(body: Body, jd_tt: f64, reflex: &StateVector) -> Option<StateVector> {
    let table = table(body)?;
    if !in_range(jd_tt) {
        return None;
    }
    Some(add(table.state(jd_tt), reflex))
}

impl ChebyshevBody {
    /// The Chebyshev part at `jd_tt`, which the caller has checked lies in [`DE422_VALID_JD_TT`].
    fn state(&self, jd_tt: f64) -> StateVector {
        let offset = jd_tt - DE422_VALID_JD_TT.0;
        // The last instant belongs to the last segment (x = +1).
        let index = ((offset / self.segment_days).floor() as usize).min(self.segments - 1);
        let x = (2.0 * (offset - index as f64 * self.segment_days) / self.segment_days - 1.0).clamp(-1.0, 1.0);
        self.segment_state(index, x)
    }

    /// Segment `index` at normalised time `x` in [−1, 1].
    fn segment_state(&self, index: usize, x: f64) -> StateVector {
        let scale = 2.0 / self.segment_days; // dx/dt
        let tail = self.coefficients - self.head;
        let mut position_au = [0.0; 3];
        let mut velocity_au_per_day = [0.0; 3];
        for axis in 0..3 {
            let row = index * 3 + axis;
            let leading = &self.leading[row * self.head..(row + 1) * self.head];
            let trailing = &self.trailing[row * tail..(row + 1) * tail];
            // Coefficients from the highest degree down to c_0.
            let descending = trailing
                .iter()
                .rev()
                .map(|&units| f64::from(units) * self.quantum_au)
                .chain(leading.iter().rev().copied());
            let (value, derivative) = clenshaw(descending, x);
            position_au[axis] = value;
            velocity_au_per_day[axis] = derivative * scale;
        }
        StateVector { position_au, velocity_au_per_day }
    }
}

/// Σ c_k T_k(x) and its derivative with respect to x, from the coefficients in descending order
/// c_n, …, c_0, by Clenshaw's recurrence b_k = c_k + 2x b_{k+1} − b_{k+2} (value b_0 − x b_1) and
/// its derivative d_k = 2 b_{k+1} + 2x d_{k+1} − d_{k+2} (derivative d_0 − b_1 − x d_1).
fn clenshaw(descending: impl Iterator<Item = f64>, x: f64) -> (f64, f64) {
    let two_x = 2.0 * x;
    let (mut b1, mut b2) = (0.0_f64, 0.0_f64); // b_{k+1}, b_{k+2}
    let (mut d1, mut d2) = (0.0_f64, 0.0_f64); // d_{k+1}, d_{k+2}
    for c in descending {
        let d0 = 2.0 * b1 + two_x * d1 - d2;
        let b0 = c + two_x * b1 - b2;
        (b2, b1) = (b1, b0);
        (d2, d1) = (d1, d0);
    }
    // Now b1 = b_0, b2 = b_1, d1 = d_0, d2 = d_1.
    (b1 - x * b2, d1 - b2 - x * d2)
}

/// The Sun's fast reflex as seen in heliocentric coordinates: Σ μ_i r_i over the bodies in
/// [`de422_reflex::REFLEX_BODIES`]. Mirrors `reflex` in gen_de422_planets.py, so that each table's
/// remainder and this model add up to DE422.
pub(crate) fn reflex(jd_tt: f64) -> StateVector {
    let t = (jd_tt - J2000_JD) / DAYS_PER_CENTURY;
    let obliquity = fast_trig::sin_cos(de422_reflex::REFLEX_OBLIQUITY_RAD);
    let mut position_au = [0.0; 3];
    let mut velocity_au_per_day = [0.0; 3];
    for (mu, elements, rates) in de422_reflex::REFLEX_BODIES.iter() {
        let (p, v) = kepler_equatorial(elements, rates, t, obliquity);
        for axis in 0..3 {
            position_au[axis] += mu * p[axis];
            velocity_au_per_day[axis] += mu * v[axis];
        }
    }
    StateVector { position_au, velocity_au_per_day }
}

/// Heliocentric equatorial position (AU) and velocity (AU/day) of a Kepler orbit with mean
/// elements `a, e, I, L, ϖ, Ω` (AU, –, degrees; J2000 ecliptic) and their rates per century, at
/// `t` Julian centuries from J2000, turned equatorial by the obliquity `(sin ε, cos ε)`.
/// The velocity follows the mean anomaly only (the slow turning of the orbit, < 2e-7 AU/day for
/// these bodies, is left out, as in the generator; weighted by μ ≤ 3e-6 it is negligible).
fn kepler_equatorial(elements: &[f64; 6], rates: &[f64; 6], t: f64, (se, ce): (f64, f64)) -> ([f64; 3], [f64; 3]) {
    let el = |i: usize| elements[i] + rates[i] * t;
    let a = el(0);
    let e = el(1);
    let inclination = el(2).to_radians();
    let mean_longitude = el(3).to_radians();
    let perihelion = el(4).to_radians();
    let node = el(5).to_radians();
    let mean_motion = (rates[3] - rates[4]).to_radians() / DAYS_PER_CENTURY; // rad/day
    let mean_anomaly = (mean_longitude - perihelion).rem_euclid(core::f64::consts::TAU);
    let argument_of_perihelion = perihelion - node;

    // Three Newton steps from E = M + e sin M solve Kepler's equation to 1e-15 rad for e ≤ 0.21.
    let mut ecc_anomaly = mean_anomaly + e * fast_trig::sin_cos(mean_anomaly).0;
    for _ in 0..3 {
        let (s, c) = fast_trig::sin_cos(ecc_anomaly);
        ecc_anomaly -= (ecc_anomaly - e * s - mean_anomaly) / (1.0 - e * c);
    }
    let (s_e, c_e) = fast_trig::sin_cos(ecc_anomaly);
    let b = (1.0 - e * e).sqrt();
    let xp = a * (c_e - e);
    let yp = a * b * s_e;
    let e_dot = mean_motion / (1.0 - e * c_e);
    let vxp = -a * s_e * e_dot;
    let vyp = a * b * c_e * e_dot;

    let (so, co) = fast_trig::sin_cos(argument_of_perihelion);
    let (sn, cn) = fast_trig::sin_cos(node);
    let (si, ci) = fast_trig::sin_cos(inclination);
    let p = [co * cn - so * sn * ci, co * sn + so * cn * ci, so * si];
    let q = [-so * cn - co * sn * ci, -so * sn + co * cn * ci, co * si];
    let to_equatorial = |u: f64, v: f64| {
        let x = p[0] * u + q[0] * v;
        let y = p[1] * u + q[1] * v;
        let z = p[2] * u + q[2] * v;
        [x, ce * y - se * z, se * y + ce * z]
    };
    (to_equatorial(xp, yp), to_equatorial(vxp, vyp))
}

fn add(a: StateVector, b: &StateVector) -> StateVector {
    let (p, q) = (a.position_au, b.position_au);
    let (v, w) = (a.velocity_au_per_day, b.velocity_au_per_day);
    StateVector {
        position_au: [p[0] + q[0], p[1] + q[1], p[2] + q[2]],
        velocity_au_per_day: [v[0] + w[0], v[1] + w[1], v[2] + w[2]],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DE422_BODIES: [Body; 6] = [Body::Mars, Body::Jupiter, Body::Saturn, Body::Uranus, Body::Neptune, Body::Pluto];

    /// DE422 heliocentric position (AU) and velocity (AU/day), ICRF, straight from DE422 (not from the
    /// fits), as printed by `scripts/ephemeris-data/gen_de422_planets.py`.
    #[rustfmt::skip]
    const DE422_CHECKS: [(Body, f64, [f64; 3], [f64; 3]); 36] = [
        // mars, 1800-01-01T00 TT
        (Body::Mars, 2378496.5, [-1.096269686254487, -1.0195447337422225, -0.4373873438091379],
            [0.010499418691588268, -0.007759312695208272, -0.003847070366808496]),
        // mars, 1900-01-01T12 TT
        (Body::Mars, 2415021.0, [0.4422905302422946, -1.2227836889990218, -0.5728603686485872],
            [0.01383533368550445, 0.005184494969703192, 0.002000412945250394]),
        // mars, 1991-08-13T08:01 TT
        (Body::Mars, 2448481.834027778, [-1.639052804455486, -0.14055906803986765, -0.020131576766942366],
            [0.0016886373150942107, -0.011575428811350702, -0.0053549407694262145]),
        // mars, J2000.0
        (Body::Mars, 2451545.0, [1.390715921726517, 0.0014012198621856297, -0.036960168571656606],
            [0.0006714995047349463, 0.013814037522178045, 0.006317900420654034]),
        // mars, 2100-03-01T06 TT
        (Body::Mars, 2488128.75, [-0.16991302279902454, 1.4293444629919854, 0.6602106621257091],
            [-0.013390718630357184, -0.0004092670169439642, 0.00017108868643510308]),
        // mars, 2200-12-31T18 TT
        (Body::Mars, 2524958.25, [0.709381002313737, -1.0949603825824816, -0.5211509523896853],
            [0.012588615025974241, 0.007647654681506093, 0.003174041709206823]),
        // jupiter, 1800-01-01T00 TT
        (Body::Jupiter, 2378496.5, [-0.02950371791798645, 4.716620429440825, 2.0233348144441554],
            [-0.007639851031071006, 0.00021507871289248653, 0.0002790513377402091]),
        // jupiter, 1900-01-01T12 TT
        (Body::Jupiter, 2415021.0, [-3.0129555573358915, -4.128031236016758, -1.6962653808081205],
            [0.006171128342650857, -0.0035027208475418717, -0.0016523631196968568]),
        // jupiter, 1991-08-13T08:01 TT
        (Body::Jupiter, 2448481.834027778, [-4.344433972710554, 2.8334577275367696, 1.3204054448667164],
            [-0.004506988064395722, -0.0053541120436562326, -0.002185199560768929]),
        // jupiter, J2000.0
        (Body::Jupiter, 2451545.0, [4.00117716135217, 2.736578837723928, 1.0755120037137536],
            [-0.004568313516466807, 0.005881462259164923, 0.0026323027314741846]),
        // jupiter, 2100-03-01T06 TT
        (Body::Jupiter, 2488128.75, [-5.287468968461867, -1.2655446155104293, -0.41383731268605484],
            [0.0017442877353459733, -0.006398381537542668, -0.002784492277472531]),
        // jupiter, 2200-12-31T18 TT
        (Body::Jupiter, 2524958.25, [4.799823003808162, 1.145496409154614, 0.3745119160595388],
            [-0.0019215152680378657, 0.007048088838316543, 0.0030665787170756063]),
        // saturn, 1800-01-01T00 TT
        (Body::Saturn, 2378496.5, [-5.686108812092625, 6.484227946204206, 2.9183126856631016],
            [-0.00467313059020737, -0.003308083065694394, -0.0011649624139164689]),
        // saturn, 1900-01-01T12 TT
        (Body::Saturn, 2415021.0, [-0.36432938345502186, -9.304629947486868, -3.825346820551543],
            [0.005273972881221893, -0.00012598021691637246, -0.000278151357360908]),
        // saturn, 1991-08-13T08:01 TT
        (Body::Saturn, 2448481.834027778, [5.590331691822126, -7.530768844421092, -3.350670979933219],
            [0.004311469583818346, 0.002947679045921049, 0.0010317955533448591]),
        // saturn, J2000.0
        (Body::Saturn, 2451545.0, [6.406408852344218, 6.174657798435273, 2.2747707877021317],
            [-0.004292351878213075, 0.0035283445601382397, 0.0016419315228611991]),
        // saturn, 2100-03-01T06 TT
        (Body::Saturn, 2488128.75, [-9.060355532915972, -3.2787240338468937, -0.9638016422763572],
            [0.0016537049977803958, -0.004820241024278358, -0.002063190128166695]),
        // saturn, 2200-12-31T18 TT
        (Body::Saturn, 2524958.25, [9.194063632172366, -2.7547243354484623, -1.5371461061956382],
            [0.001485160069830574, 0.004896605744744847, 0.0019599442467278794]),
        // uranus, 1800-01-01T00 TT
        (Body::Uranus, 2378496.5, [-18.271156876613716, 0.8044556622442801, 0.6125547373940234],
            [-0.0002507582460168023, -0.003766738042702067, -0.0016462867673908799]),
        // uranus, 1900-01-01T12 TT
        (Body::Uranus, 2415021.0, [-6.477446283708864, -16.387962745648174, -7.085712980936399],
            [0.0036744649330826703, -0.0013806987478541498, -0.0006569359886859666]),
        // uranus, 1991-08-13T08:01 TT
        (Body::Uranus, 2448481.834027778, [4.181979833675029, -17.41018939014249, -7.684278318809404],
            [0.0038092543777022325, 0.0006220212633510922, 0.00021856541552077474]),
        // uranus, J2000.0
        (Body::Uranus, 2451545.0, [14.431856510444538, -12.506267456537703, -5.681687606340155],
            [0.002678105122867874, 0.0024620046190101373, 0.0010404086840737287]),
        // uranus, 2100-03-01T06 TT
        (Body::Uranus, 2488128.75, [18.785786847037333, 6.286395664213758, 2.4880329451630643],
            [-0.001358301925097876, 0.0032081027075833114, 0.0014242727923742733]),
        // uranus, 2200-12-31T18 TT
        (Body::Uranus, 2524958.25, [0.26244911548879774, 17.41796097383708, 7.624364141540745],
            [-0.003964295474166615, -0.00013386148449939502, -2.805333372512263e-06]),
        // neptune, 1800-01-01T00 TT
        (Body::Neptune, 2378496.5, [-20.310244576305045, -21.008281281568596, -8.093565065160552],
            [0.002302278774306738, -0.0019101135494927755, -0.0008390841775376027]),
        // neptune, 1900-01-01T12 TT
        (Body::Neptune, 2415021.0, [1.513344647556543, 27.622695402038485, 11.26844283549183],
            [-0.003145846474209053, 0.00013410153179939914, 0.00013308558694232573]),
        // neptune, 1991-08-13T08:01 TT
        (Body::Neptune, 2448481.834027778, [8.173327622080018, -26.83218574227497, -11.18607435443921],
            [0.002998936060714897, 0.0008263308462774232, 0.00026345592367376427]),
        // neptune, J2000.0
        (Body::Neptune, 2451545.0, [16.812048446901546, -22.980104366280585, -9.824426334711376],
            [0.0025792744475857258, 0.0016684244490475736, 0.0006188148052519782]),
        // neptune, 2100-03-01T06 TT
        (Body::Neptune, 2488128.75, [-29.11032903082414, 7.1910794873410255, 3.66817370477744],
            [-0.0008530674991054842, -0.002797076303282694, -0.0011237421805237462]),
        // neptune, 2200-12-31T18 TT
        (Body::Neptune, 2524958.25, [27.331162580525405, 11.2889506230955, 3.9398582364082895],
            [-0.0012772787692313838, 0.00267774844572271, 0.0011279428927957124]),
        // pluto, 1800-01-01T00 TT
        (Body::Pluto, 2378496.5, [36.32749783848799, -11.854783579496994, -14.64093582465371],
            [0.0015114761633102463, 0.002148035527539815, 0.00021231373968453465]),
        // pluto, 1900-01-01T12 TT
        (Body::Pluto, 2415021.0, [10.29603210274452, 44.52855857360542, 10.789167733606698],
            [-0.002160998536650687, -4.848087657379901e-05, 0.0006375600299359801]),
        // pluto, 1991-08-13T08:01 TT
        (Body::Pluto, 2448481.834027778, [-18.512469607188326, -23.137535942120792, -1.6435194630717207],
            [0.002543267737055265, -0.0020141901245662244, -0.001396075529456608]),
        // pluto, J2000.0
        (Body::Pluto, 2451545.0, [-9.875354161483463, -27.978869011531877, -5.7536908106789175],
            [0.003028750953862692, -0.0011275923204500913, -0.0012651295363913777]),
        // pluto, 2100-03-01T06 TT
        (Body::Pluto, 2488128.75, [39.61707473563007, 28.57676580617764, -3.020471986865107],
            [-0.0009848858425271759, 0.0017061289542326247, 0.000828891562640906]),
        // pluto, 2200-12-31T18 TT
        (Body::Pluto, 2524958.25, [-27.832756425514695, 17.289951797132886, 13.78512719029708],
            [-0.0010994616101799221, -0.00276213975040009, -0.0005303622158300589]),
    ];

    /// DE422 heliocentric Earth (not the Earth–Moon barycentre) at the same instants, AU, ICRF, from
    /// the same script: the fits are sized by the error seen from the Earth.
    #[rustfmt::skip]
    const DE422_EARTH: [(f64, [f64; 3]); 6] = [
        (2378496.5, [-0.2250166577800159, 0.8779759253491897, 0.3811140855379403]), // 1800-01-01T00 TT
        (2415021.0, [-0.2054522718628725, 0.8821295986938191, 0.38268217807697896]), // 1900-01-01T12 TT
        (2448481.834027778, [0.7785510616072603, -0.594906709236871, -0.2579345422334964]), // 1991-08-13T08:01 TT
        (2451545.0, [-0.1771351003199039, 0.8874285223888574, 0.3847428984709345]), // J2000.0
        (2488128.75, [-0.9266443116440516, 0.3210373850593402, 0.1391250532492953]), // 2100-03-01T06 TT
        (2524958.25, [-0.1200989292739104, 0.8957844308641477, 0.3878921185794301]), // 2200-12-31T18 TT
    ];

    fn distance(a: [f64; 3], b: [f64; 3]) -> f64 {
        ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) + (a[2] - b[2]).powi(2)).sqrt()
    }

    /// 0.001″ in radians.
    const MAS: f64 = 4.848_136_811_095_36e-9;

    /// The body's smallest geocentric distance over 1800–2200, AU: 0.001″ there is what each fit
    /// was sized for.
    fn closest_approach_au(body: Body) -> f64 {
        match body {
            Body::Mars => 0.37,
            Body::Jupiter => 3.9,
            Body::Saturn => 8.0,
            Body::Uranus => 17.3,
            Body::Neptune => 28.8,
            _ => 28.64,
        }
    }

    #[test]
    fn matches_de422_check_values() {
        for (body, jd, position, velocity) in DE422_CHECKS {
            let state = heliocentric(body, jd, &reflex(jd)).expect("inside the table");
            let error = [
                state.position_au[0] - position[0],
                state.position_au[1] - position[1],
                state.position_au[2] - position[2],
            ];
            let dp = distance(state.position_au, position);
            let dv = distance(state.velocity_au_per_day, velocity);
            // Heliocentric: within 0.001″ at the closest approach (Mars 1.8e-9 AU .. Neptune 1.4e-7).
            let bound = closest_approach_au(body) * MAS;
            assert!(dp < bound, "{body:?} JD {jd}: position off by {dp:e} AU (bound {bound:e})");
            // The error perpendicular to the line of sight from DE422's Earth, as an angle.
            let (_, earth) = DE422_EARTH.iter().find(|(t, _)| *t == jd).expect("Earth at the same instant");
            let line = [position[0] - earth[0], position[1] - earth[1], position[2] - earth[2]];
            let delta = distance(position, *earth);
            let along = (error[0] * line[0] + error[1] * line[1] + error[2] * line[2]) / delta;
            let across = (dp * dp - along * along).max(0.0).sqrt();
            assert!(across / delta < MAS, "{body:?} JD {jd}: {:.3} mas seen from the Earth", across / delta / MAS);
            // Velocity: the fits' largest velocity error over the range is 1.9e-9 AU/day (Mars).
            assert!(dv < 2e-9, "{body:?} JD {jd}: velocity off by {dv:e} AU/day");
        }
    }

    #[test]
    fn tables_are_consistent() {
        for body in DE422_BODIES {
            let t = table(body).expect("table");
            let name = body.name();
            assert_eq!(t.segments as f64 * t.segment_days, de422_reflex::SPAN_DAYS, "{name}: span");
            assert!(t.head >= 1 && t.head <= t.coefficients, "{name}: head");
            assert_eq!(t.leading.len(), t.segments * 3 * t.head, "{name}: leading");
            assert_eq!(t.trailing.len(), t.segments * 3 * (t.coefficients - t.head), "{name}: trailing");
            assert_eq!(t.quantum_au.log2().fract(), 0.0, "{name}: quantum must be a power of two");
        }
        assert!(table(Body::Mercury).is_none() && table(Body::Sun).is_none() && table(Body::Moon).is_none());
    }

    #[test]
    fn continuous_across_segment_boundaries() {
        for body in DE422_BODIES {
            let t = table(body).expect("table");
            for index in 1..t.segments {
                let before = t.segment_state(index - 1, 1.0);
                let after = t.segment_state(index, -1.0);
                let dp = distance(before.position_au, after.position_au);
                let dv = distance(before.velocity_au_per_day, after.velocity_au_per_day);
                assert!(dp < 1e-9, "{body:?} boundary {index}: position jumps by {dp:e} AU");
                assert!(dv < 1e-10, "{body:?} boundary {index}: velocity jumps by {dv:e} AU/day");

                // And through the public function, a hair either side of the boundary: the step
                // must be the velocity times the interval.
                let jd = DE422_VALID_JD_TT.0 + index as f64 * t.segment_days;
                let h = 1e-3;
                let left = heliocentric(body, jd - h, &reflex(jd - h)).expect("inside");
                let right = heliocentric(body, jd + h, &reflex(jd + h)).expect("inside");
                for axis in 0..3 {
                    let step = right.position_au[axis] - left.position_au[axis];
                    let predicted = 2.0 * h * left.velocity_au_per_day[axis];
                    assert!((step - predicted).abs() < 1e-9, "{body:?} boundary {index} axis {axis}");
                }
            }
        }
    }

    #[test]
    fn velocity_is_the_derivative_of_position() {
        let (first, last) = DE422_VALID_JD_TT;
        // Five-point stencil (f(t−2h) − 8 f(t−h) + 8 f(t+h) − f(t+2h)) / 12h: its truncation error
        // is h⁴ |f⁽⁵⁾| / 30, ~1e-13 AU/day for Mars at h = 0.5 day; the positions' rounding
        // (~3e-12 AU for Mars's degree-52 series) adds ~1e-11.
        let h = 0.5;
        for body in DE422_BODIES {
            let at = |jd: f64| heliocentric(body, jd, &reflex(jd)).expect("inside");
            let mut jd = first + 2.0 * h;
            while jd <= last - 2.0 * h {
                let v = at(jd).velocity_au_per_day;
                let (m2, m1, p1, p2) = (
                    at(jd - 2.0 * h).position_au,
                    at(jd - h).position_au,
                    at(jd + h).position_au,
                    at(jd + 2.0 * h).position_au,
                );
                for axis in 0..3 {
                    let numeric = (m2[axis] - 8.0 * m1[axis] + 8.0 * p1[axis] - p2[axis]) / (12.0 * h);
                    let diff = (numeric - v[axis]).abs();
                    assert!(diff < 1e-10, "{body:?} JD {jd} axis {axis}: {diff:e} AU/day");
                }
                jd += 97.3;
            }
        }
    }

    #[test]
    fn covers_1800_to_2200_and_refuses_outside() {
        let (first, last) = DE422_VALID_JD_TT;
        assert!(first < 2_378_496.5 - 1.0, "must start before 1800-01-01");
        assert!(last > 2_524_958.5 + 1.0, "must end after 2201-01-01");
        for body in DE422_BODIES {
            assert!(heliocentric(body, first, &reflex(first)).is_some());
            assert!(heliocentric(body, last, &reflex(last)).is_some());
            for jd in [first - 1e-6, last + 1e-6, f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 0.0] {
                assert!(heliocentric(body, jd, &reflex(J2000_JD)).is_none(), "{body:?} at {jd}");
            }
        }
        assert!(heliocentric(Body::Mercury, J2000_JD, &reflex(J2000_JD)).is_none());
        assert!(heliocentric(Body::Sun, J2000_JD, &reflex(J2000_JD)).is_none());
    }

    #[test]
    fn distances_stay_on_the_orbits() {
        // DE422's extremes over the range: Mars 1.3809..1.6664 AU, Jupiter 4.947..5.457, Saturn
        // 9.011..10.076, Uranus 18.28..20.11, Neptune 29.81..30.34, Pluto 29.66..49.32.
        let ranges = [(1.38, 1.67), (4.94, 5.46), (9.0, 10.08), (18.2, 20.2), (29.7, 30.4), (29.6, 49.4)];
        let (first, last) = DE422_VALID_JD_TT;
        for (body, (near, far)) in DE422_BODIES.iter().zip(ranges) {
            let mut jd = first;
            while jd <= last {
                let r = heliocentric(*body, jd, &reflex(jd)).expect("inside").distance_au();
                assert!((near..far).contains(&r), "{body:?} JD {jd}: r = {r} AU");
                jd += 10.0;
            }
        }
    }
}
