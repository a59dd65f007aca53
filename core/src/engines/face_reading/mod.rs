//! Face reading: the traditional Ayurvedic constitution reading (dosha tendency and the five
//! elements) from face proportions that the client measured.
//!
//! The engine never sees an image. The client runs a landmark detector (such as MediaPipe's face
//! mesh) on its own device and sends only the points, in `options.landmarks`; without them the
//! answer is a 422 naming that field. Nothing is estimated or made up, nothing is random: the
//! same landmarks give the same reading, and `result.inputs_used` lists what shaped it.
//!
//! # Landmarks
//!
//! The 468-point MediaPipe face mesh (or 478 with the iris points) as an array in mesh order, or
//! an object of named points. Each point is `[x, y]`, `[x, y, z]` or `{"x", "y", "z"}` with x, y
//! normalised to [0, 1] across the image width and down its height (z is ignored). The names and
//! the mesh vertices they stand for:
//!
//! | name | mesh | | name | mesh |
//! |---|---|---|---|---|
//! | `forehead_top` * | 10 | | `right_eye_outer` | 33 |
//! | `brow_center` * | 9 | | `right_eye_inner` | 133 |
//! | `nose_base` * | 2 | | `left_eye_inner` | 362 |
//! | `chin` * | 152 | | `left_eye_outer` | 263 |
//! | `right_cheekbone` * | 234 | | `upper_lip_top` | 0 |
//! | `left_cheekbone` * | 454 | | `lower_lip_bottom` | 17 |
//! | `right_jaw` * | 172 | | `mouth_right` | 61 |
//! | `left_jaw` * | 397 | | `mouth_left` | 291 |
//! | `right_forehead` * | 54 | | `nose_right` | 129 |
//! | `left_forehead` * | 284 | | `nose_left` | 358 |
//! | `nose_tip` | 1 | | | |
//!
//! (* required in the named form; without the optional ones their proportion is left out and
//! `inputs_skipped` says so.) Normalised x and y have different units unless the image is square,
//! so x is multiplied by `options.image_aspect_ratio` (width / height, 0.25 to 4; 1 when not
//! sent, which `inputs_skipped` notes). A distance that a proportion divides by must be at least
//! 0.01 of the image height, otherwise (for example when every landmark is the same point) the
//! answer is a 422 naming `options.landmarks`.
//!
//! # Proportions and rules
//!
//! Each proportion is a ratio of distances; "reference" is its value on MediaPipe's canonical face
//! model seen from the front, around which the thresholds sit.
//!
//! | proportion | distances | reference | below | between | from | points |
//! |---|---|---|---|---|---|---|
//! | `face_length_to_width` | forehead_top-chin / cheekbones | 1.152 | 1.08 Kapha | Pitta | 1.25 Vata | 2 |
//! | `jaw_to_cheekbone_width` | jaw / cheekbones | 0.775 | 0.71 Vata | Pitta | 0.84 Kapha | 1 |
//! | `forehead_to_jaw_width` | forehead / jaw | 1.057 | 0.97 Kapha | none | 1.15 Pitta | 1 |
//! | `eye_width_to_face_width` | mean eye (outer-inner corner) / cheekbones | 0.169 | 0.155 Vata | Pitta | 0.185 Kapha | 1 |
//! | `lip_height_to_mouth_width` | upper_lip_top-lower_lip_bottom / mouth corners | 0.399 | 0.33 Vata | Pitta | 0.47 Kapha | 1 |
//! | `nose_width_to_face_width` | nose wings / cheekbones | 0.233 | 0.21 Vata | Pitta | 0.26 Kapha | 1 |
//!
//! The thirds of the face along the midline (forehead_top → brow_center → nose_base → chin, each
//! as a share of the three; references 0.191, 0.395, 0.414 — the mesh's forehead_top sits below
//! the hairline, so its upper third is short): the third whose share most exceeds its reference,
//! if by at least 5 %, gives 1 point: upper Vata, middle Pitta, lower Kapha.
//!
//! The tradition behind the bands: Vata shows in a long, narrow face, small eyes, thin lips, a
//! slender nose and a narrow jaw; Pitta in medium, sharply cut features and a face that tapers
//! from a broad brow to a pointed chin; Kapha in a broad, full face, wide jaw, large eyes, full
//! lips and a broad nose.
//!
//! # The reading
//!
//! Each dosha's share is its points over all points, in percent (to 0.1). The tendency is the
//! dosha with the most, or two joined ("Pitta-Kapha") when the second is within 10 points of the
//! first; ties go Vata, Pitta, Kapha. The five elements follow the doshas' classical make-up:
//! Vata is space and air, Pitta fire and water, Kapha water and earth, each share split evenly.
//! With `nose_tip`, `symmetry` compares its horizontal distance to each cheekbone (1 = centred);
//! under 0.8 a `pose_warning` says the head seems turned, which narrows the widths.

mod landmarks;
mod prompt;
mod rules;

pub use landmarks::{LandmarkFormat, MAX_POINTS, MIN_SPAN, POINTS, PointSpec};
pub use prompt::witness_prompt;
pub use rules::{Band, Dosha, DoshaPoints, DoshaReading, Elements, Proportion, RATIO_RULES, RatioRule, THIRDS};

use super::options::parse_options;
use super::{CalculationInput, EngineError, EngineMeta, FieldError, InputSpec, Level, TimeGranularity};
use serde::{Deserialize, Serialize};

/// What the API lists about this engine.
pub const META: EngineMeta = EngineMeta {
    id: "face-reading",
    name: "Face Reading",
    description: "The traditional Ayurvedic constitution reading, dosha tendency and five-element balance, from face \
                  proportions measured on the client's own device; no image is ever sent.",
    required_level: Level::new(1).expect("1 is a level"),
    version: "1.0.0",
    inputs: &[
        InputSpec {
            field: "options.landmarks",
            required: true,
            description: "facial landmarks measured on the client: the 468-point MediaPipe face mesh (normalised \
                          [x, y]) or an object of named points",
        },
        InputSpec {
            field: "options.image_aspect_ratio",
            required: false,
            description: "width / height of the image the landmarks were measured on (0.25-4; default 1)",
        },
    ],
    time_granularity: TimeGranularity::Timeless,
};

/// Accepted image aspect ratios (width / height).
pub const ASPECT_RATIO_RANGE: std::ops::RangeInclusive<f64> = 0.25..=4.0;
/// Below this `symmetry` a `pose_warning` is given.
pub const SYMMETRY_WARNING_BELOW: f64 = 0.8;

/// The constitution reading and every proportion behind it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FaceReading {
    pub landmark_format: LandmarkFormat,
    /// Width / height used to put x and y in the same units.
    pub image_aspect_ratio: f64,
    /// Every proportion measured, with its rule and what it added.
    pub proportions: Vec<Proportion>,
    pub dosha: DoshaReading,
    pub elements: Elements,
    /// The nose tip's horizontal distance to the nearer cheekbone over the farther one (1 =
    /// centred); `null` without `nose_tip`.
    pub symmetry: Option<f64>,
    pub pose_warning: Option<String>,
    /// Every request field that shaped this result.
    pub inputs_used: Vec<String>,
    /// What was not sent and what was left out for want of it.
    pub inputs_skipped: Vec<Skipped>,
}

/// A field that was not sent and what that left out.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Skipped {
    pub field: String,
    pub reason: String,
}

/// The options other than `landmarks` (which is read point by point in `landmarks`).
#[derive(Debug, Default, Deserialize)]
struct RawOptions {
    image_aspect_ratio: Option<f64>,
}

/// The reading for the landmarks in `input.options`.
pub fn calculate(input: &CalculationInput) -> Result<FaceReading, EngineError> {
    let raw: RawOptions = parse_options(&input.options, &META)?;
    let aspect = raw.image_aspect_ratio.unwrap_or(1.0);
    if !ASPECT_RATIO_RANGE.contains(&aspect) {
        return Err(FieldError::new(
            "options.image_aspect_ratio",
            format!("expected the image's width / height, from 0.25 to 4, got {aspect}"),
        )
        .into());
    }
    let landmarks = landmarks::parse(input.options.get("landmarks"), aspect)?;
    let (proportions, missing) = rules::proportions(&landmarks)?;
    let (dosha, elements) = rules::read(&proportions);

    let symmetry = match (landmarks.get("nose_tip"), landmarks.get("right_cheekbone"), landmarks.get("left_cheekbone"))
    {
        (Some(nose), Some(right), Some(left)) => {
            let (a, b) = ((nose[0] - right[0]).abs(), (left[0] - nose[0]).abs());
            let far = a.max(b);
            Some(if far > 0.0 { (a.min(b) / far * 1000.0).round() / 1000.0 } else { 1.0 })
        }
        _ => None,
    };
    let pose_warning = symmetry.filter(|&s| s < SYMMETRY_WARNING_BELOW).map(|s| {
        format!(
            "the nose tip sits off-centre between the cheekbones (symmetry {s}): the head seems turned, which makes \
             the face read narrower; a frontal photo reads best"
        )
    });

    let mut inputs_used = vec!["options.landmarks".to_owned()];
    let mut inputs_skipped = Vec::new();
    if raw.image_aspect_ratio.is_some() {
        inputs_used.push("options.image_aspect_ratio".to_owned());
    } else {
        inputs_skipped.push(Skipped {
            field: "options.image_aspect_ratio".to_owned(),
            reason: "not sent: the image is taken to be square".to_owned(),
        });
    }
    for m in missing {
        let fields: Vec<String> = m.points.iter().map(|p| format!("options.landmarks.{p}")).collect();
        inputs_skipped
            .push(Skipped { field: fields.join(", "), reason: format!("not sent: {} left out", m.proportion) });
    }
    if landmarks.format == landmarks::LandmarkFormat::Named && landmarks.get("nose_tip").is_none() {
        inputs_skipped.push(Skipped {
            field: "options.landmarks.nose_tip".to_owned(),
            reason: "not sent: no symmetry check".to_owned(),
        });
    }

    Ok(FaceReading {
        landmark_format: landmarks.format,
        image_aspect_ratio: aspect,
        proportions,
        dosha,
        elements,
        symmetry,
        pose_warning,
        inputs_used,
        inputs_skipped,
    })
}
