//! The landmarks the client measured, in the shapes we accept, checked and reduced to the points
//! the proportions need.
//!
//! Accepted shapes of `options.landmarks`:
//!
//! - The MediaPipe face mesh: an array of exactly 468 points (or 478, with the iris points,
//!   which are ignored), in mesh order.
//! - A named subset: an object whose keys are names from [`POINTS`] (the ten `required` ones,
//!   any of the others); any other key is refused.
//!
//! A point is `[x, y]`, `[x, y, z]` or `{"x": …, "y": …, "z": …}` (z optional), with x and y the
//! normalised image coordinates in [0, 1] (x across the image width, y down its height), and z,
//! when present, a number in [−1, 1] that is ignored: proportions are measured in the image
//! plane. "Left" and "right" are the person's own (a point named `left_…` lies on the right of an
//! unmirrored photo); only distances are used, so a mirrored image reads the same.

use crate::engines::{EngineError, FieldError};
use serde::Serialize;

/// The largest array accepted: the face mesh with its ten iris points.
pub const MAX_POINTS: usize = 478;
/// The smallest distance, as a fraction of the image height, between the points a proportion
/// divides by; below it the landmarks do not outline a measurable face.
pub const MIN_SPAN: f64 = 0.01;
/// How many bad points one error response lists before it stops.
const MAX_POINT_ERRORS: usize = 10;

/// A landmark the proportions use, with its MediaPipe face-mesh index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PointSpec {
    pub name: &'static str,
    pub mesh_index: usize,
    pub required: bool,
}

const fn point(name: &'static str, mesh_index: usize, required: bool) -> PointSpec {
    PointSpec { name, mesh_index, required }
}

/// Every named point, with the face-mesh vertex it stands for.
pub const POINTS: [PointSpec; 21] = [
    point("forehead_top", 10, true),
    point("brow_center", 9, true),
    point("nose_base", 2, true),
    point("chin", 152, true),
    point("right_cheekbone", 234, true),
    point("left_cheekbone", 454, true),
    point("right_jaw", 172, true),
    point("left_jaw", 397, true),
    point("right_forehead", 54, true),
    point("left_forehead", 284, true),
    point("nose_tip", 1, false),
    point("right_eye_outer", 33, false),
    point("right_eye_inner", 133, false),
    point("left_eye_inner", 362, false),
    point("left_eye_outer", 263, false),
    point("upper_lip_top", 0, false),
    point("lower_lip_bottom", 17, false),
    point("mouth_right", 61, false),
    point("mouth_left", 291, false),
    point("nose_right", 129, false),
    point("nose_left", 358, false),
];

/// Which shape the client sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LandmarkFormat {
    Mesh468,
    Mesh478,
    Named,
}

/// The points found, by name, in image-height units (x scaled by the aspect ratio).
#[derive(Debug, Clone, PartialEq)]
pub struct Landmarks {
    pub format: LandmarkFormat,
    points: Vec<(&'static str, [f64; 2])>,
}

impl Landmarks {
    /// The point called `name`, if it was sent.
    pub fn get(&self, name: &str) -> Option<[f64; 2]> {
        self.points.iter().find(|(n, _)| *n == name).map(|(_, p)| *p)
    }

    /// The distance between two named points, if both were sent.
    pub fn distance(&self, a: &str, b: &str) -> Option<f64> {
        let (p, q) = (self.get(a)?, self.get(b)?);
        Some((p[0] - q[0]).hypot(p[1] - q[1]))
    }
}

/// Reads `options.landmarks` (absent → a 422 naming it), scaling x by `aspect` (width / height).
pub fn parse(value: Option<&serde_json::Value>, aspect: f64) -> Result<Landmarks, EngineError> {
    let Some(value) = value else {
        return Err(FieldError::new(
            "options.landmarks",
            "facial landmarks measured on the client are required: the 468-point MediaPipe face mesh as an array \
             of [x, y] points in [0, 1], or an object of named points (forehead_top, brow_center, nose_base, chin, \
             right_cheekbone, left_cheekbone, right_jaw, left_jaw, right_forehead, left_forehead, …)",
        )
        .into());
    };
    let scale = |[x, y]: [f64; 2]| [x * aspect, y];
    match value {
        serde_json::Value::Array(items) => {
            let format = match items.len() {
                468 => LandmarkFormat::Mesh468,
                478 => LandmarkFormat::Mesh478,
                n => {
                    return Err(FieldError::new(
                        "options.landmarks",
                        format!("a face mesh has 468 points ({MAX_POINTS} with the irises), got {n}"),
                    )
                    .into());
                }
            };
            let mut errors = Vec::new();
            for (i, item) in items.iter().enumerate() {
                if let Err(message) = read_point(item)
                    && errors.len() < MAX_POINT_ERRORS
                {
                    errors.push(FieldError::new(format!("options.landmarks[{i}]"), message));
                }
            }
            if !errors.is_empty() {
                return Err(EngineError::Validation(errors));
            }
            let points = POINTS
                .iter()
                .filter_map(|spec| {
                    let p = items.get(spec.mesh_index).and_then(|item| read_point(item).ok())?;
                    Some((spec.name, scale(p)))
                })
                .collect();
            Ok(Landmarks { format, points })
        }
        serde_json::Value::Object(map) => {
            let mut errors = Vec::new();
            let mut points = Vec::new();
            for (key, item) in map {
                let Some(spec) = POINTS.iter().find(|s| s.name == key) else {
                    let known: Vec<&str> = POINTS.iter().map(|s| s.name).collect();
                    errors.push(FieldError::new(
                        format!("options.landmarks.{key}"),
                        format!("unknown landmark name; known names are {}", known.join(", ")),
                    ));
                    continue;
                };
                match read_point(item) {
                    Ok(p) => points.push((spec.name, scale(p))),
                    Err(message) => errors.push(FieldError::new(format!("options.landmarks.{key}"), message)),
                }
            }
            for spec in POINTS.iter().filter(|s| s.required && !map.contains_key(s.name)) {
                errors.push(FieldError::new(
                    format!("options.landmarks.{}", spec.name),
                    format!("required: face-mesh point {} as [x, y]", spec.mesh_index),
                ));
            }
            if !errors.is_empty() {
                return Err(EngineError::Validation(errors));
            }
            Ok(Landmarks { format: LandmarkFormat::Named, points })
        }
        _ => Err(FieldError::new(
            "options.landmarks",
            "expected an array of 468 face-mesh points or an object of named points",
        )
        .into()),
    }
}

/// One point: `[x, y]`, `[x, y, z]` or `{x, y, z?}`, x and y in [0, 1], z (ignored) in [−1, 1].
fn read_point(value: &serde_json::Value) -> Result<[f64; 2], String> {
    const SHAPE: &str = "expected [x, y], [x, y, z] or {\"x\", \"y\", \"z\"} with x and y in [0, 1]";
    let (x, y, z) = match value {
        serde_json::Value::Array(c) if c.len() == 2 || c.len() == 3 => (c.first(), c.get(1), c.get(2)),
        serde_json::Value::Object(o) if o.keys().all(|k| matches!(k.as_str(), "x" | "y" | "z")) => {
            (o.get("x"), o.get("y"), o.get("z"))
        }
        _ => return Err(SHAPE.to_owned()),
    };
    let number = |v: Option<&serde_json::Value>| v.and_then(serde_json::Value::as_f64);
    let (Some(x), Some(y)) = (number(x), number(y)) else {
        return Err(SHAPE.to_owned());
    };
    if !(0.0..=1.0).contains(&x) || !(0.0..=1.0).contains(&y) {
        return Err(format!("x and y must lie in [0, 1] (normalised image coordinates), got [{x}, {y}]"));
    }
    if let Some(z) = z {
        match z.as_f64() {
            Some(z) if (-1.0..=1.0).contains(&z) => {}
            _ => return Err(format!("z, when given, must be a number in [-1, 1], got {z}")),
        }
    }
    Ok([x, y])
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn points_come_in_three_shapes() {
        assert_eq!(read_point(&json!([0.5, 0.25])), Ok([0.5, 0.25]));
        assert_eq!(read_point(&json!([0.5, 0.25, -0.03])), Ok([0.5, 0.25]));
        assert_eq!(read_point(&json!({"x": 0.5, "y": 0.25, "z": 0.1})), Ok([0.5, 0.25]));
        assert!(read_point(&json!([0.5])).is_err());
        assert!(read_point(&json!([1.5, 0.2])).is_err());
        assert!(read_point(&json!({"x": 0.5, "y": 0.2, "w": 1})).is_err());
        assert!(read_point(&json!([0.5, 0.2, 7])).is_err());
        assert!(read_point(&json!(["0.5", 0.2])).is_err());
    }

    #[test]
    fn mesh_arrays_must_have_468_or_478_points() {
        let points = |n| serde_json::Value::Array(vec![json!([0.5, 0.5]); n]);
        assert_eq!(parse(Some(&points(468)), 1.0).map(|l| l.format), Ok(LandmarkFormat::Mesh468));
        assert_eq!(parse(Some(&points(478)), 1.0).map(|l| l.format), Ok(LandmarkFormat::Mesh478));
        assert_eq!(parse(Some(&points(479)), 1.0).unwrap_err().fields(), ["options.landmarks"]);
        assert_eq!(parse(Some(&points(20)), 1.0).unwrap_err().fields(), ["options.landmarks"]);
    }

    #[test]
    fn bad_mesh_points_are_named_by_index_and_bounded() {
        let mut items = vec![json!([0.5, 0.5]); 468];
        items[7] = json!([2.0, 0.5]);
        assert_eq!(parse(Some(&json!(items)), 1.0).unwrap_err().fields(), ["options.landmarks[7]"]);
        let all_bad = serde_json::Value::Array(vec![json!("x"); 468]);
        assert_eq!(parse(Some(&all_bad), 1.0).unwrap_err().fields().len(), MAX_POINT_ERRORS);
    }

    #[test]
    fn named_points_must_be_known_and_complete() {
        let err = parse(Some(&json!({"chin": [0.5, 0.9], "third_eye": [0.5, 0.3]})), 1.0).unwrap_err();
        let fields = err.fields();
        assert_eq!(fields[0], "options.landmarks.third_eye");
        assert!(fields.contains(&"options.landmarks.forehead_top"));
        assert!(!fields.contains(&"options.landmarks.chin"));
        assert!(!fields.contains(&"options.landmarks.nose_tip"));
    }

    #[test]
    fn x_is_scaled_by_the_aspect_ratio() {
        let mut items = vec![json!([0.5, 0.5]); 468];
        items[234] = json!([0.25, 0.5]);
        items[454] = json!([0.75, 0.5]);
        let wide = parse(Some(&json!(items)), 16.0 / 9.0).expect("valid");
        let width = wide.distance("right_cheekbone", "left_cheekbone").expect("both");
        assert!((width - 0.5 * 16.0 / 9.0).abs() < 1e-12);
    }

    #[test]
    fn mesh_indices_are_distinct() {
        let mut indices: Vec<usize> = POINTS.iter().map(|p| p.mesh_index).collect();
        indices.sort_unstable();
        indices.dedup();
        assert_eq!(indices.len(), POINTS.len());
    }
}
