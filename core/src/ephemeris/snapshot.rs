//! A full set of positions at one instant, in the JSON shape of `noesis-origin ephemeris`.

use super::{Body, EphemerisError, Sky, VALIDATED_YEARS};
use crate::time::Moment;
use serde::Serialize;

/// One body in a snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SnapshotPosition {
    pub longitude_deg: f64,
    pub latitude_deg: f64,
    pub speed_deg_per_day: f64,
}

/// Every body at one instant. Mars to Pluto are `null` outside 1800-2200, where their DE422 fits
/// end (the snapshot's warnings say so).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BodyPositions {
    pub sun: SnapshotPosition,
    pub moon: SnapshotPosition,
    pub mercury: SnapshotPosition,
    pub venus: SnapshotPosition,
    pub mars: Option<SnapshotPosition>,
    pub jupiter: Option<SnapshotPosition>,
    pub saturn: Option<SnapshotPosition>,
    pub uranus: Option<SnapshotPosition>,
    pub neptune: Option<SnapshotPosition>,
    pub pluto: Option<SnapshotPosition>,
    pub true_node: SnapshotPosition,
    pub mean_node: SnapshotPosition,
}

/// Positions of every body, the ayanamsa and the time scales at one instant.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Snapshot {
    pub jd_ut: f64,
    pub jd_tt: f64,
    pub delta_t_seconds: f64,
    pub ayanamsa_mean_deg: f64,
    pub ayanamsa_true_deg: f64,
    pub bodies: BodyPositions,
    /// Why an answer may be less accurate than documented, or missing; empty when all is well.
    pub warnings: Vec<String>,
}

/// Compute a [`Snapshot`] at `moment`.
///
/// ```
/// use noesis_core::{ephemeris::snapshot, time::Moment};
/// let s = snapshot(&Moment::from_jd_ut(2_451_545.0)).unwrap();
/// assert!((s.ayanamsa_mean_deg - 23.857).abs() < 0.001);
/// assert!(s.warnings.is_empty());
/// ```
pub fn snapshot(moment: &Moment) -> Result<Snapshot, EphemerisError> {
    let sky = Sky::at(moment)?;
    let mut warnings = Vec::new();
    if !sky.is_validated() {
        warnings.push(format!(
            "outside {}-{}, the range measured against Swiss Ephemeris: positions are computed but their accuracy is not verified",
            VALIDATED_YEARS.0, VALIDATED_YEARS.1
        ));
    }
    let at = |body: Body| -> Result<SnapshotPosition, EphemerisError> {
        let p = sky.position(body)?;
        Ok(SnapshotPosition {
            longitude_deg: p.longitude_deg,
            latitude_deg: p.latitude_deg,
            speed_deg_per_day: p.speed_deg_per_day,
        })
    };
    // Mars to Pluto come from fits that end with the validated range: outside it they are left
    // out with a reason rather than failing the whole snapshot.
    let mut optional = |body: Body| -> Result<Option<SnapshotPosition>, EphemerisError> {
        match at(body) {
            Ok(p) => Ok(Some(p)),
            Err(e @ EphemerisError::BodyOutOfRange { .. }) => {
                warnings.push(e.to_string());
                Ok(None)
            }
            Err(e) => Err(e),
        }
    };
    let (mars, jupiter, saturn) = (optional(Body::Mars)?, optional(Body::Jupiter)?, optional(Body::Saturn)?);
    let (uranus, neptune, pluto) = (optional(Body::Uranus)?, optional(Body::Neptune)?, optional(Body::Pluto)?);
    let ayanamsa = sky.ayanamsa();
    Ok(Snapshot {
        jd_ut: moment.jd_ut(),
        jd_tt: moment.jd_tt(),
        delta_t_seconds: moment.delta_t_seconds(),
        ayanamsa_mean_deg: ayanamsa.mean_deg,
        ayanamsa_true_deg: ayanamsa.true_deg,
        bodies: BodyPositions {
            sun: at(Body::Sun)?,
            moon: at(Body::Moon)?,
            mercury: at(Body::Mercury)?,
            venus: at(Body::Venus)?,
            mars,
            jupiter,
            saturn,
            uranus,
            neptune,
            pluto,
            true_node: at(Body::TrueNode)?,
            mean_node: at(Body::MeanNode)?,
        },
        warnings,
    })
}
