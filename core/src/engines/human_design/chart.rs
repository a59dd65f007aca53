//! The chart: Personality and Design activations, the Design moment, and everything the bodygraph
//! makes of them.

use super::bodygraph::{Authority, Bodygraph, Center, Definition, Type};
use super::wheel::Activation;
use crate::ephemeris::{Body, EphemerisError, Sky};
use crate::time::Moment;
use jiff::Timestamp;
use serde::Serialize;

/// How far the Sun had moved back, in longitude, at the Design moment.
pub const DESIGN_SOLAR_ARC_DEG: f64 = 88.0;

/// The Design moment is found to this fraction of a day (0.01 s, during which the Moon moves
/// 0.005″); the contract asks for under a second.
const DESIGN_TOLERANCE_DAYS: f64 = 0.01 / 86_400.0;

/// Newton steps allowed for the Design moment; two are needed in practice.
const DESIGN_MAX_SKIES: u32 = 8;

/// The thirteen activations of one moment (Personality or Design).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Activations {
    pub sun: Activation,
    /// The Sun's opposite point.
    pub earth: Activation,
    pub moon: Activation,
    /// The true (osculating) lunar node.
    pub north_node: Activation,
    /// The North Node's opposite point.
    pub south_node: Activation,
    pub mercury: Activation,
    pub venus: Activation,
    pub mars: Activation,
    pub jupiter: Activation,
    pub saturn: Activation,
    pub uranus: Activation,
    pub neptune: Activation,
    pub pluto: Activation,
}

impl Activations {
    /// The activations of the sky at one moment, given the Sun's longitude there (already
    /// computed while finding the moment).
    fn at(sky: &Sky, sun_deg: f64) -> Result<Activations, EphemerisError> {
        let at = |body: Body| sky.position(body).map(|p| Activation::at(p.longitude_deg));
        let sun = Activation::at(sun_deg);
        let north_node = at(Body::TrueNode)?;
        Ok(Activations {
            sun,
            earth: sun.opposite(),
            moon: at(Body::Moon)?,
            north_node,
            south_node: north_node.opposite(),
            mercury: at(Body::Mercury)?,
            venus: at(Body::Venus)?,
            mars: at(Body::Mars)?,
            jupiter: at(Body::Jupiter)?,
            saturn: at(Body::Saturn)?,
            uranus: at(Body::Uranus)?,
            neptune: at(Body::Neptune)?,
            pluto: at(Body::Pluto)?,
        })
    }

    /// The names of the activations as in the JSON, in field order.
    pub const NAMES: [&'static str; 13] = [
        "sun",
        "earth",
        "moon",
        "north_node",
        "south_node",
        "mercury",
        "venus",
        "mars",
        "jupiter",
        "saturn",
        "uranus",
        "neptune",
        "pluto",
    ];

    /// Every activation with its name as in the JSON (`"north_node"`), in field order.
    pub fn named(&self) -> [(&'static str, &Activation); 13] {
        let all = [
            &self.sun,
            &self.earth,
            &self.moon,
            &self.north_node,
            &self.south_node,
            &self.mercury,
            &self.venus,
            &self.mars,
            &self.jupiter,
            &self.saturn,
            &self.uranus,
            &self.neptune,
            &self.pluto,
        ];
        std::array::from_fn(|i| (Activations::NAMES[i], all[i]))
    }
}

/// Which way the incarnation cross faces, set by the profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum CrossAngle {
    /// Profiles 1/3, 1/4, 2/4, 2/5, 3/5, 3/6, 4/6.
    Right,
    /// Profile 4/1.
    Juxtaposition,
    /// Profiles 5/1, 5/2, 6/2, 6/3.
    Left,
}

impl CrossAngle {
    fn of_profile(personality_line: u8, design_line: u8) -> CrossAngle {
        match (personality_line, design_line) {
            (4, 1) => CrossAngle::Juxtaposition,
            (5 | 6, _) => CrossAngle::Left,
            _ => CrossAngle::Right,
        }
    }
}

/// The incarnation cross: the four gates of the Personality and Design Sun and Earth.
///
/// The cross's traditional name is not given: the gates and the angle identify it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IncarnationCross {
    pub angle: CrossAngle,
    /// Personality Sun, Personality Earth, Design Sun, Design Earth.
    pub gates: [u8; 4],
}

/// A Human Design chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HumanDesignResult {
    #[serde(rename = "type")]
    pub kind: Type,
    pub strategy: &'static str,
    /// The feeling of living by the strategy.
    pub signature: &'static str,
    /// The feeling of living against it.
    pub not_self_theme: &'static str,
    pub authority: Authority,
    /// Personality Sun line / Design Sun line, e.g. `"2/4"`.
    pub profile: String,
    pub definition: Definition,
    pub incarnation_cross: IncarnationCross,
    /// Centres touched by an active channel, top to bottom.
    pub defined_centers: Vec<Center>,
    /// The other centres, top to bottom.
    pub undefined_centers: Vec<Center>,
    /// Active channels as `"low-high"`, in the order of the channel table (top of the body down).
    pub channels: Vec<String>,
    /// Every gate activated by Personality or Design, ascending.
    pub activated_gates: Vec<u8>,
    /// The birth instant, UTC.
    pub personality_time: Timestamp,
    /// When the Sun stood 88° of longitude before its birth position, UTC.
    pub design_time: Timestamp,
    pub personality: Activations,
    pub design: Activations,
    /// The bodygraph as an SVG document, with `options.format = "svg"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub svg: Option<String>,
}

impl HumanDesignResult {
    /// `activated[g]` tells whether gate `g` is activated by the Personality, the Design, or both.
    pub fn gate_sources(&self) -> [(bool, bool); 65] {
        let mut sources = [(false, false); 65];
        for (_, a) in self.personality.named() {
            sources[a.gate as usize].0 = true;
        }
        for (_, a) in self.design.named() {
            sources[a.gate as usize].1 = true;
        }
        sources
    }
}

/// The chart of someone born at `instant` (without the SVG).
///
/// ```
/// use noesis_core::engines::human_design::chart;
///
/// let chart = chart("1991-08-13T08:01:00Z".parse().unwrap()).unwrap();
/// assert_eq!(chart.profile, "2/4");
/// assert_eq!(chart.channels, ["23-43", "42-53"]);
/// ```
pub fn chart(instant: Timestamp) -> Result<HumanDesignResult, EphemerisError> {
    let birth = Moment::from_timestamp(instant);
    let birth_sky = Sky::at(&birth)?;
    let birth_sun_deg = birth_sky.position(Body::Sun)?.longitude_deg;
    let personality = Activations::at(&birth_sky, birth_sun_deg)?;
    let (design_sky, design_sun_deg) = design_sky(&birth, birth_sun_deg)?;
    let design = Activations::at(&design_sky, design_sun_deg)?;

    let mut activated = [false; 65];
    for (_, a) in personality.named().into_iter().chain(design.named()) {
        activated[a.gate as usize] = true;
    }
    let graph = Bodygraph::from_gates(&activated);
    let kind = graph.kind();
    let (p_line, d_line) = (personality.sun.line, design.sun.line);
    Ok(HumanDesignResult {
        kind,
        strategy: kind.strategy(),
        signature: kind.signature(),
        not_self_theme: kind.not_self_theme(),
        authority: graph.authority(),
        profile: format!("{p_line}/{d_line}"),
        definition: graph.definition(),
        incarnation_cross: IncarnationCross {
            angle: CrossAngle::of_profile(p_line, d_line),
            gates: [personality.sun.gate, personality.earth.gate, design.sun.gate, design.earth.gate],
        },
        defined_centers: graph.defined_centers(),
        undefined_centers: Center::ALL.into_iter().filter(|&c| !graph.is_defined(c)).collect(),
        channels: graph.channels.iter().map(|c| c.name()).collect(),
        activated_gates: (1..=64).filter(|&g| activated[g as usize]).collect(),
        personality_time: instant,
        design_time: design_sky.moment().to_timestamp(),
        personality,
        design,
        svg: None,
    })
}

/// The sky at the Design moment, when the apparent Sun stood [`DESIGN_SOLAR_ARC_DEG`] before
/// `birth_sun_deg`, and the Sun's longitude there.
///
/// A first guess from a two-term solar theory (within minutes), then Newton's method on the
/// apparent Sun with its own speed: each step costs one [`Sky`], and the second lands within a
/// millisecond, so the Design side costs two skies in all.
fn design_sky(birth: &Moment, birth_sun_deg: f64) -> Result<(Sky, f64), EphemerisError> {
    let target_deg = birth_sun_deg - DESIGN_SOLAR_ARC_DEG;
    let mut jd_ut = design_guess_jd(birth.jd_ut());
    let mut skies = 0;
    loop {
        let sky = Sky::at(&Moment::from_jd_ut(jd_ut))?;
        let sun = sky.position(Body::Sun)?;
        let step_days = signed_deg(sun.longitude_deg - target_deg) / sun.speed_deg_per_day;
        skies += 1;
        if step_days.abs() < DESIGN_TOLERANCE_DAYS || skies == DESIGN_MAX_SKIES {
            return Ok((sky, sun.longitude_deg));
        }
        jd_ut -= step_days;
    }
}

/// Where the Sun, by the low-precision theory of Meeus (Astronomical Algorithms, ch. 25: mean
/// longitude and the equation of the centre), stood 88° before where it stands at `jd_ut`.
/// Good to a few minutes of time: the errors of the theory mostly cancel in the difference.
fn design_guess_jd(birth_jd: f64) -> f64 {
    const MEAN_MOTION_DEG_PER_DAY: f64 = 0.985_647_36;
    let target_deg = low_precision_sun_deg(birth_jd) - DESIGN_SOLAR_ARC_DEG;
    let mut jd = birth_jd - DESIGN_SOLAR_ARC_DEG / MEAN_MOTION_DEG_PER_DAY;
    // Stepping by the mean motion converges by a factor of 0.035 or better per step (the true
    // motion differs from the mean by at most 3.4%).
    for _ in 0..5 {
        jd -= signed_deg(low_precision_sun_deg(jd) - target_deg) / MEAN_MOTION_DEG_PER_DAY;
    }
    jd
}

/// The Sun's geometric longitude by Meeus's low-precision theory, degrees (not reduced).
fn low_precision_sun_deg(jd: f64) -> f64 {
    let t = (jd - crate::time::J2000_JD) / crate::time::DAYS_PER_JULIAN_CENTURY;
    let mean_longitude = 280.466_46 + 36_000.769_83 * t;
    let m = (357.529_11 + 35_999.050_29 * t).to_radians();
    let center = (1.914_602 - 0.004_817 * t) * m.sin() + 0.019_993 * (2.0 * m).sin() + 0.000_289 * (3.0 * m).sin();
    mean_longitude + center
}

/// An angle in degrees reduced to (−180, 180].
fn signed_deg(deg: f64) -> f64 {
    let r = deg.rem_euclid(360.0);
    if r > 180.0 { r - 360.0 } else { r }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_design_moment_puts_the_sun_88_degrees_back() {
        let birth = Moment::from_timestamp("1991-08-13T08:01:00Z".parse().expect("instant"));
        let sun = Sky::at(&birth).and_then(|s| s.position(Body::Sun)).expect("sun").longitude_deg;
        let (sky, design_sun) = design_sky(&birth, sun).expect("design");
        assert!(signed_deg(sun - design_sun - 88.0).abs() < 1e-7, "{sun} {design_sun}");
        let days = birth.jd_ut() - sky.moment().jd_ut();
        assert!((88.0..=92.0).contains(&days), "{days}");
    }

    #[test]
    fn the_guess_is_within_minutes() {
        for jd in [2_415_020.5, 2_448_482.0, 2_451_545.0, 2_460_000.25, 2_488_000.75] {
            let birth = Moment::from_jd_ut(jd);
            let sun = Sky::at(&birth).and_then(|s| s.position(Body::Sun)).expect("sun").longitude_deg;
            let (sky, _) = design_sky(&birth, sun).expect("design");
            let minutes = (design_guess_jd(jd) - sky.moment().jd_ut()).abs() * 1440.0;
            assert!(minutes < 30.0, "{jd}: guess off by {minutes} min");
        }
    }

    #[test]
    fn cross_angles_follow_the_profile() {
        let angle = CrossAngle::of_profile;
        for (p, d) in [(1, 3), (1, 4), (2, 4), (2, 5), (3, 5), (3, 6), (4, 6)] {
            assert_eq!(angle(p, d), CrossAngle::Right, "{p}/{d}");
        }
        assert_eq!(angle(4, 1), CrossAngle::Juxtaposition);
        for (p, d) in [(5, 1), (5, 2), (6, 2), (6, 3)] {
            assert_eq!(angle(p, d), CrossAngle::Left, "{p}/{d}");
        }
    }
}
