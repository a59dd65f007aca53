//! Face proportions and the rules that read them as dosha tendencies. The module docs of
//! [`super`] give the same rules as a table.

use super::landmarks::{Landmarks, MIN_SPAN, POINTS};
use crate::engines::{EngineError, FieldError};
use serde::Serialize;

/// The three doshas of Ayurveda.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Dosha {
    Vata,
    Pitta,
    Kapha,
}

impl Dosha {
    pub const ALL: [Dosha; 3] = [Dosha::Vata, Dosha::Pitta, Dosha::Kapha];

    pub fn name(self) -> &'static str {
        match self {
            Dosha::Vata => "Vata",
            Dosha::Pitta => "Pitta",
            Dosha::Kapha => "Kapha",
        }
    }
}

/// How a ratio is read: below `low_below` it speaks for `low`, from `high_from` on for `high`,
/// in between for `mid` (`None`: no point).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Band {
    pub low_below: f64,
    pub high_from: f64,
    pub low: Option<Dosha>,
    pub mid: Option<Dosha>,
    pub high: Option<Dosha>,
}

impl Band {
    pub fn read(&self, value: f64) -> Option<Dosha> {
        if value < self.low_below {
            self.low
        } else if value >= self.high_from {
            self.high
        } else {
            self.mid
        }
    }

    fn describe(&self) -> String {
        let name = |d: Option<Dosha>| d.map_or("no point", Dosha::name);
        format!(
            "below {} {}; {} to {} {}; {} and above {}",
            self.low_below,
            name(self.low),
            self.low_below,
            self.high_from,
            name(self.mid),
            self.high_from,
            name(self.high)
        )
    }
}

/// A ratio of two distances between named points, and how it is read.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RatioRule {
    pub name: &'static str,
    /// Pairs of points whose distances are averaged for the numerator.
    pub numerator: &'static [(&'static str, &'static str)],
    pub denominator: (&'static str, &'static str),
    /// The ratio on MediaPipe's canonical face model, seen from the front.
    pub reference: f64,
    pub band: Band,
    pub weight: f64,
}

const fn band(low_below: f64, high_from: f64, low: Option<Dosha>, mid: Option<Dosha>, high: Option<Dosha>) -> Band {
    Band { low_below, high_from, low, mid, high }
}

const V: Option<Dosha> = Some(Dosha::Vata);
const P: Option<Dosha> = Some(Dosha::Pitta);
const K: Option<Dosha> = Some(Dosha::Kapha);

const CHEEKBONES: (&str, &str) = ("right_cheekbone", "left_cheekbone");
const JAW: (&str, &str) = ("right_jaw", "left_jaw");

/// The ratio rules. A long narrow face, small eyes, thin lips and a slender nose are the classical
/// signs of Vata; medium, sharply cut features and a face that tapers from the brow to the chin
/// those of Pitta; a broad face, a wide jaw, large eyes, full lips and a broad nose those of
/// Kapha. The thresholds sit around the reference face, which itself reads as medium.
pub const RATIO_RULES: [RatioRule; 6] = [
    RatioRule {
        name: "face_length_to_width",
        numerator: &[("forehead_top", "chin")],
        denominator: CHEEKBONES,
        reference: 1.152,
        band: band(1.08, 1.25, K, P, V),
        weight: 2.0,
    },
    RatioRule {
        name: "jaw_to_cheekbone_width",
        numerator: &[JAW],
        denominator: CHEEKBONES,
        reference: 0.775,
        band: band(0.71, 0.84, V, P, K),
        weight: 1.0,
    },
    RatioRule {
        name: "forehead_to_jaw_width",
        numerator: &[("right_forehead", "left_forehead")],
        denominator: JAW,
        reference: 1.057,
        band: band(0.97, 1.15, K, None, P),
        weight: 1.0,
    },
    RatioRule {
        name: "eye_width_to_face_width",
        numerator: &[("right_eye_outer", "right_eye_inner"), ("left_eye_inner", "left_eye_outer")],
        denominator: CHEEKBONES,
        reference: 0.169,
        band: band(0.155, 0.185, V, P, K),
        weight: 1.0,
    },
    RatioRule {
        name: "lip_height_to_mouth_width",
        numerator: &[("upper_lip_top", "lower_lip_bottom")],
        denominator: ("mouth_right", "mouth_left"),
        reference: 0.399,
        band: band(0.33, 0.47, V, P, K),
        weight: 1.0,
    },
    RatioRule {
        name: "nose_width_to_face_width",
        numerator: &[("nose_right", "nose_left")],
        denominator: CHEEKBONES,
        reference: 0.233,
        band: band(0.21, 0.26, V, P, K),
        weight: 1.0,
    },
];

/// The thirds of the face along the midline: forehead_top → brow_center → nose_base → chin.
pub const THIRDS: [(&str, &str, &str, f64, Dosha); 3] = [
    ("upper_third", "forehead_top", "brow_center", 0.191, Dosha::Vata),
    ("middle_third", "brow_center", "nose_base", 0.395, Dosha::Pitta),
    ("lower_third", "nose_base", "chin", 0.414, Dosha::Kapha),
];
/// A third speaks only when its share is at least this much of its reference share (5 % above).
pub const THIRD_MARGIN: f64 = 1.05;

/// One derived proportion and what it added.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Proportion {
    pub name: &'static str,
    pub value: f64,
    /// The same proportion on MediaPipe's canonical face model.
    pub reference: f64,
    /// The landmarks it is measured between.
    pub landmarks: Vec<&'static str>,
    /// The rule that reads it, in words.
    pub rule: String,
    /// The dosha it speaks for, if any.
    pub dosha: Option<Dosha>,
    pub points: f64,
}

/// A proportion that could not be measured because the named subset lacked a point.
#[derive(Debug, Clone, PartialEq)]
pub struct Missing {
    pub proportion: &'static str,
    pub points: Vec<&'static str>,
}

/// Every proportion the landmarks allow, or a 422 when a distance that is divided by is too short
/// to be a face.
pub fn proportions(landmarks: &Landmarks) -> Result<(Vec<Proportion>, Vec<Missing>), EngineError> {
    let mut out = Vec::new();
    let mut missing = Vec::new();
    for rule in &RATIO_RULES {
        let mut names: Vec<&'static str> = rule.numerator.iter().flat_map(|&(a, b)| [a, b]).collect();
        names.extend([rule.denominator.0, rule.denominator.1]);
        let absent: Vec<&'static str> = names.iter().copied().filter(|n| landmarks.get(n).is_none()).collect();
        if !absent.is_empty() {
            missing.push(Missing { proportion: rule.name, points: absent });
            continue;
        }
        let denominator = span(landmarks, rule.denominator)?;
        let numerator = rule.numerator.iter().map(|&(a, b)| landmarks.distance(a, b).unwrap_or(0.0)).sum::<f64>()
            / rule.numerator.len() as f64;
        let value = numerator / denominator;
        let dosha = rule.band.read(value);
        out.push(Proportion {
            name: rule.name,
            value,
            reference: rule.reference,
            landmarks: names,
            rule: rule.band.describe(),
            dosha,
            points: if dosha.is_some() { rule.weight } else { 0.0 },
        });
    }

    let lengths: Vec<f64> = THIRDS.iter().map(|&(_, a, b, _, _)| landmarks.distance(a, b).unwrap_or(0.0)).collect();
    let total: f64 = lengths.iter().sum();
    if total < MIN_SPAN {
        return Err(degenerate("forehead_top", "chin", total));
    }
    let shares: Vec<f64> = lengths.iter().map(|l| l / total).collect();
    let excess: Vec<f64> = shares.iter().zip(THIRDS).map(|(s, t)| s / t.3).collect();
    // The third most above its reference share, if it is at least 5 % above; ties go upward.
    let leader = (0..3).fold(0, |best, i| if excess[i] > excess[best] { i } else { best });
    let leader = (excess[leader] >= THIRD_MARGIN).then_some(leader);
    for (i, &(name, a, b, reference, dosha)) in THIRDS.iter().enumerate() {
        let speaks = leader == Some(i);
        out.push(Proportion {
            name,
            value: shares[i],
            reference,
            landmarks: vec![a, b],
            rule: format!(
                "share of forehead_top-brow_center-nose_base-chin; the third most above its reference share (by at \
                 least {:.0} %) gives 1 point to {}",
                (THIRD_MARGIN - 1.0) * 100.0,
                dosha.name()
            ),
            dosha: speaks.then_some(dosha),
            points: if speaks { 1.0 } else { 0.0 },
        });
    }
    Ok((out, missing))
}

fn span(landmarks: &Landmarks, (a, b): (&'static str, &'static str)) -> Result<f64, EngineError> {
    let d = landmarks.distance(a, b).unwrap_or(0.0);
    if d < MIN_SPAN { Err(degenerate(a, b, d)) } else { Ok(d) }
}

fn degenerate(a: &str, b: &str, d: f64) -> EngineError {
    let index = |name: &str| POINTS.iter().find(|p| p.name == name).map_or(0, |p| p.mesh_index);
    FieldError::new(
        "options.landmarks",
        format!(
            "{a} (mesh point {}) and {b} (mesh point {}) are {d:.4} of the image height apart, less than {MIN_SPAN}: \
             the landmarks do not outline a face that can be measured",
            index(a),
            index(b)
        ),
    )
    .into()
}

/// Percentages of each dosha from the points, and the tendency they add up to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DoshaReading {
    /// Percent of all points, to 0.1.
    pub vata: f64,
    pub pitta: f64,
    pub kapha: f64,
    pub points: DoshaPoints,
    /// The dosha with the most points (Vata, then Pitta, then Kapha on a tie).
    pub dominant: Dosha,
    /// The dominant dosha, or two joined ("Pitta-Kapha", the stronger first) when the second is
    /// within 10 percentage points of the first.
    pub tendency: String,
}

/// Points per dosha.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct DoshaPoints {
    pub vata: f64,
    pub pitta: f64,
    pub kapha: f64,
}

/// The five elements as the doshas carry them: Vata is space and air, Pitta fire and water,
/// Kapha water and earth, each dosha's share split evenly between its two, in percent.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Elements {
    pub space: f64,
    pub air: f64,
    pub fire: f64,
    pub water: f64,
    pub earth: f64,
}

/// Adds up the points of `proportions` into the dosha reading and the elements.
pub fn read(proportions: &[Proportion]) -> (DoshaReading, Elements) {
    // A fold from +0.0: an empty f64 `sum` is −0.0, which would print as "-0.0".
    let sum = |d: Dosha| proportions.iter().filter(|p| p.dosha == Some(d)).fold(0.0, |acc, p| acc + p.points);
    let points = DoshaPoints { vata: sum(Dosha::Vata), pitta: sum(Dosha::Pitta), kapha: sum(Dosha::Kapha) };
    let total = points.vata + points.pitta + points.kapha;
    let share = |p: f64| if total > 0.0 { 100.0 * p / total } else { 100.0 / 3.0 };
    let (v, p, k) = (share(points.vata), share(points.pitta), share(points.kapha));
    let mut ranked = [(Dosha::Vata, v), (Dosha::Pitta, p), (Dosha::Kapha, k)];
    // Stable: equal shares keep the order Vata, Pitta, Kapha.
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
    let dominant = ranked[0].0;
    let tendency = if ranked[0].1 - ranked[1].1 <= 10.0 {
        format!("{}-{}", ranked[0].0.name(), ranked[1].0.name())
    } else {
        dominant.name().to_owned()
    };
    let elements = Elements {
        space: tenth(v / 2.0),
        air: tenth(v / 2.0),
        fire: tenth(p / 2.0),
        water: tenth((p + k) / 2.0),
        earth: tenth(k / 2.0),
    };
    (DoshaReading { vata: tenth(v), pitta: tenth(p), kapha: tenth(k), points, dominant, tendency }, elements)
}

fn tenth(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_read_their_edges_upward() {
        let b = RATIO_RULES[0].band;
        assert_eq!(b.read(1.0799), Some(Dosha::Kapha));
        assert_eq!(b.read(1.08), Some(Dosha::Pitta));
        assert_eq!(b.read(1.2499), Some(Dosha::Pitta));
        assert_eq!(b.read(1.25), Some(Dosha::Vata));
        assert_eq!(RATIO_RULES[2].band.read(1.0), None);
    }

    #[test]
    fn the_reference_face_reads_medium_on_every_ratio() {
        for rule in RATIO_RULES {
            let read = rule.band.read(rule.reference);
            assert!(read == Some(Dosha::Pitta) || read.is_none(), "{}", rule.name);
        }
    }

    #[test]
    fn the_references_thirds_add_up() {
        assert!((THIRDS.iter().map(|t| t.3).sum::<f64>() - 1.0).abs() < 1e-9);
    }

    #[test]
    fn close_shares_make_a_dual_tendency() {
        let p = |dosha, points| Proportion {
            name: "x",
            value: 0.0,
            reference: 0.0,
            landmarks: vec![],
            rule: String::new(),
            dosha: Some(dosha),
            points,
        };
        let (reading, elements) = read(&[p(Dosha::Pitta, 2.0), p(Dosha::Kapha, 2.0), p(Dosha::Vata, 1.0)]);
        assert_eq!(reading.tendency, "Pitta-Kapha");
        assert_eq!((reading.vata, reading.pitta, reading.kapha), (20.0, 40.0, 40.0));
        assert_eq!(
            (elements.space, elements.air, elements.fire, elements.water, elements.earth),
            (10.0, 10.0, 20.0, 40.0, 20.0)
        );
        let (reading, _) = read(&[p(Dosha::Vata, 3.0), p(Dosha::Kapha, 1.0)]);
        assert_eq!(reading.tendency, "Vata");
    }
}
