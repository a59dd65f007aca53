//! Biofield: a symbolic profile of the seven chakras read from the natal chart, the sky at
//! `current_time`, and whatever the client measured and sent.
//!
//! Nothing here is measured by us and nothing is made up: each chakra's score is the sum of
//! named chart facts by the fixed rules below, optionally blended with values the client sent in
//! `options.measurements`. The same input gives the same answer; nothing is random.
//! `result.inputs_used` lists every request field that shaped the answer and
//! `result.inputs_skipped` what was missing and what that left out.
//!
//! # The chart
//!
//! - Tropical zodiac (the dignity tables and houses below belong to the tropical tradition),
//!   apparent geocentric longitudes of the Sun, Moon, Mercury to Saturn, Uranus, Neptune, Pluto.
//! - Natal chart at the birth instant; transits at `current_time`. The planetary theories cover
//!   1800-2200: a birth or a `current_time` outside that span is refused by the ephemeris (422).
//! - Dignity of the seven classical planets, from the traditional table: Sun rules Leo, exalted in
//!   Aries; Moon Cancer, Taurus; Mercury Gemini and Virgo, Virgo; Venus Taurus and Libra, Pisces;
//!   Mars Aries and Scorpio, Capricorn; Jupiter Sagittarius and Pisces, Cancer; Saturn Capricorn
//!   and Aquarius, Libra. Detriment is the sign opposite a domicile, fall the sign opposite the
//!   exaltation. Where two apply, domicile beats exaltation and fall beats detriment.
//! - Major aspects by angular separation: conjunction 0°, sextile 60°, square 90°, trine 120°,
//!   opposition 180°. Orbs between natal bodies: conjunction and opposition 8°, square and trine
//!   7°, sextile 5°. Between a transiting and a natal body: 3°, sextile 2°.
//! - Houses only when `birth_data.latitude` and `birth_data.longitude` are given: the Ascendant
//!   from the local apparent sidereal time, the true obliquity and the latitude, then whole-sign
//!   houses (default) or equal houses (`options.house_system = "equal"`). Without a place the
//!   house factor is left out and `inputs_skipped` says so.
//!
//! # Chakras and their rules
//!
//! | chakra | ruler | houses | measurements blended in |
//! |---|---|---|---|
//! | Muladhara (root) | Saturn | 2, 4 | `hrv_rmssd_ms` |
//! | Svadhisthana (sacral) | Jupiter | 5, 8 | `self_rated_energy` |
//! | Manipura (solar plexus) | Mars | 1, 10 | `self_rated_energy` |
//! | Anahata (heart) | Venus | 7, 11 | `hrv_rmssd_ms`, `respiration_rate_bpm` |
//! | Vishuddha (throat) | Mercury | 3, 6 | `respiration_rate_bpm` |
//! | Ajna (third eye) | Moon | 9 | none |
//! | Sahasrara (crown) | Sun | 12 | none |
//!
//! Each chakra starts at 50 and adds, each as a named factor in `chakras[].factors`:
//!
//! 1. `natal_dignity`: the ruler's dignity at birth: domicile +15, exaltation +10, peregrine 0,
//!    detriment −10, fall −15.
//! 2. `natal_aspect`: each natal aspect of the ruler with another natal body: trine +5, sextile
//!    +3, conjunction +2, square −4, opposition −4; the sum is capped at ±20
//!    (`natal_aspect_cap` records the trimming).
//! 3. `houses` (with a birth place): n natal bodies (of the ten) in the chakra's k houses give
//!    6·(n − 10k/12) = 6n − 5k points, the excess over an even share, capped at ±15.
//! 4. `transit_dignity`: the ruler's dignity at `current_time`: domicile +5, exaltation +4,
//!    peregrine 0, detriment −4, fall −5.
//! 5. `transit_aspect`: each transiting body in aspect to the natal ruler: trine +3, sextile +2,
//!    conjunction +2, square −3, opposition −3; the sum is capped at ±10
//!    (`transit_aspect_cap`).
//! 6. `range`: the total is kept within 0-100.
//!
//! That total is `chart_score`, and 50 + the factors' points always equals it. Then, if the
//! client sent measurements that touch the chakra (table above), `score` = 0.7 · `chart_score` +
//! 0.3 · the mean of their indices (see [`Measurement::index`]); otherwise `score` =
//! `chart_score`. Scores are rounded to 0.1. `state` is `low` below 40, `high` above 60, else
//! `balanced`.
//!
//! # Measurements
//!
//! `options.measurements` may hold `hrv_rmssd_ms` (5-300), `respiration_rate_bpm` (4-60) and
//! `self_rated_energy` (a whole number 1-10); any other key, or a value out of range, is refused
//! naming `options.measurements.<key>`.

mod chart;
mod measurements;
mod options;
mod prompt;
mod rules;

pub use chart::{Aspect, Dignity, HouseSystem, SIGNS, ascendant_deg, dignity};
pub use measurements::{MeasuredValue, Measurement};
pub use prompt::witness_prompt;
pub use rules::{CHAKRAS, ChakraName, ChakraRule, Factor};

use super::{CalculationInput, EngineError, EngineMeta, InputSpec, Level, TimeGranularity, both};
use crate::ephemeris::{Body, Sky};
use crate::time::Moment;
use jiff::Timestamp;
use serde::Serialize;

/// What the API lists about this engine.
pub const META: EngineMeta = EngineMeta {
    id: "biofield",
    name: "Biofield",
    description: "A symbolic profile of the seven chakras from the natal chart and today's sky, by documented \
                  rules, blended with heart-rate variability, breathing and energy values when the client sends them.",
    required_level: Level::new(1).expect("1 is a level"),
    version: "1.0.0",
    inputs: &[
        InputSpec { field: "birth_data.date", required: true, description: "local date of birth" },
        InputSpec { field: "birth_data.time", required: true, description: "local time of birth" },
        InputSpec { field: "birth_data.timezone", required: true, description: "the zone of the birth date and time" },
        InputSpec {
            field: "birth_data.latitude",
            required: false,
            description: "birth place, for the Ascendant and houses (without it, houses are left out)",
        },
        InputSpec { field: "birth_data.longitude", required: false, description: "birth place, with the latitude" },
        InputSpec { field: "current_time", required: false, description: "the instant of the transits" },
        InputSpec {
            field: "options.house_system",
            required: false,
            description: "\"whole_sign\" (default) or \"equal\"",
        },
        InputSpec {
            field: "options.measurements.hrv_rmssd_ms",
            required: false,
            description: "measured heart-rate variability, RMSSD in ms (5-300)",
        },
        InputSpec {
            field: "options.measurements.respiration_rate_bpm",
            required: false,
            description: "measured breaths per minute at rest (4-60)",
        },
        InputSpec {
            field: "options.measurements.self_rated_energy",
            required: false,
            description: "the person's own energy rating, a whole number 1-10",
        },
    ],
    // The transiting Moon moves half a degree an hour; the result is exact for the hour's start.
    time_granularity: TimeGranularity::Seconds(3600),
};

/// The chakra profile and the chart facts behind it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChakraProfile {
    /// Always `tropical`.
    pub zodiac: &'static str,
    /// The instant of the transits (UTC).
    pub transit_time: Timestamp,
    /// `null` without a birth place.
    pub house_system: Option<HouseSystem>,
    /// Tropical degrees; `null` without a birth place.
    pub ascendant_deg: Option<f64>,
    pub natal: Vec<Placement>,
    pub transits: Vec<Placement>,
    pub natal_aspects: Vec<AspectHit>,
    /// `first` is the transiting body, `second` the natal one.
    pub transit_aspects: Vec<AspectHit>,
    /// Root to crown.
    pub chakras: Vec<Chakra>,
    /// The chakra with the highest score (the lower one on a tie).
    pub strongest: ChakraName,
    /// The chakra with the lowest score (the lower one on a tie).
    pub quietest: ChakraName,
    /// The measured values used, with their indices.
    pub measurements: Vec<MeasuredValue>,
    /// Every request field that shaped this result.
    pub inputs_used: Vec<String>,
    /// Fields that were not sent, and what was left out for want of them.
    pub inputs_skipped: Vec<Skipped>,
}

/// A body in the natal chart or in today's sky.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Placement {
    pub body: Body,
    /// Tropical, degrees in [0, 360).
    pub longitude_deg: f64,
    pub sign: &'static str,
    /// `null` for Uranus, Neptune and Pluto, which the traditional tables do not cover.
    pub dignity: Option<Dignity>,
    /// The natal house the body is in (for transits, the natal house it is passing through);
    /// `null` without a birth place.
    pub house: Option<u8>,
    pub retrograde: bool,
}

/// A major aspect between two bodies.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct AspectHit {
    pub first: Body,
    pub second: Body,
    pub aspect: Aspect,
    /// How far from exact, degrees.
    pub orb_deg: f64,
}

/// One chakra's reading.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Chakra {
    pub name: ChakraName,
    pub english: &'static str,
    pub ruler: Body,
    pub houses: &'static [u8],
    /// 0-100: the chart score, blended with measurements when some touch this chakra.
    pub score: f64,
    /// 0-100: 50 plus the factors.
    pub chart_score: f64,
    /// `low` (< 40), `balanced` or `high` (> 60).
    pub state: &'static str,
    /// The chart facts behind `chart_score`, with their points.
    pub factors: Vec<Factor>,
    /// How measurements entered `score`; `null` when none touch this chakra.
    pub measured: Option<MeasuredBlend>,
}

/// The measured part of a chakra's score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeasuredBlend {
    pub inputs: Vec<Measurement>,
    /// The mean of their indices, 0-100.
    pub index: f64,
    /// Its weight in `score` (0.3).
    pub weight: f64,
}

/// A request field that was not sent and what was left out for want of it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Skipped {
    pub field: &'static str,
    pub reason: &'static str,
}

/// Why the profile needs the time of birth, for the error when it is missing.
const WHY_BIRTH_TIME: &str = "the natal chart is read from the sky at that minute";

/// The chakra profile for the birth and `current_time` in `input`.
pub fn calculate(input: &CalculationInput) -> Result<ChakraProfile, EngineError> {
    let (birth, options) = both(input.birth_instant(META.id, WHY_BIRTH_TIME), options::parse(&input.options))?;
    let place = input.birth.as_ref().and_then(|b| b.place);

    let natal_sky = Sky::at(&Moment::from_timestamp(birth))?;
    let transit_sky = Sky::at(&Moment::from_timestamp(input.now))?;
    let ascendant = place.map(|p| ascendant_deg(&natal_sky, p.latitude_deg(), p.longitude_deg()));
    let house_of = |longitude: f64| ascendant.map(|asc| options.house_system.house_of(longitude, asc));

    let place_all = |sky: &Sky| -> Result<Vec<Placement>, EngineError> {
        Ok(chart::longitudes(sky)?
            .iter()
            .map(|&(body, longitude_deg, speed)| {
                let sign = chart::sign_of(longitude_deg);
                Placement {
                    body,
                    longitude_deg,
                    sign: SIGNS[sign],
                    dignity: dignity(body, sign),
                    house: house_of(longitude_deg),
                    retrograde: speed < 0.0,
                }
            })
            .collect())
    };
    let natal = place_all(&natal_sky)?;
    let transits = place_all(&transit_sky)?;

    let mut natal_aspects = Vec::new();
    for (i, a) in natal.iter().enumerate() {
        for b in &natal[i + 1..] {
            if let Some((aspect, orb_deg)) =
                chart::aspect_between(a.longitude_deg, b.longitude_deg, Aspect::natal_orb_deg)
            {
                natal_aspects.push(AspectHit { first: a.body, second: b.body, aspect, orb_deg });
            }
        }
    }
    let mut transit_aspects = Vec::new();
    for t in &transits {
        for n in &natal {
            if let Some((aspect, orb_deg)) =
                chart::aspect_between(t.longitude_deg, n.longitude_deg, Aspect::transit_orb_deg)
            {
                transit_aspects.push(AspectHit { first: t.body, second: n.body, aspect, orb_deg });
            }
        }
    }

    let chakras: Vec<Chakra> = CHAKRAS
        .iter()
        .map(|rule| {
            let (chart_score, factors) =
                rules::chart_factors(rule, &natal, &transits, &natal_aspects, &transit_aspects, ascendant.is_some());
            let touching: Vec<&MeasuredValue> =
                options.measurements.iter().filter(|m| m.measurement.chakras().contains(&rule.name)).collect();
            let score = round_tenth(rules::blend(chart_score, &touching));
            let measured = (!touching.is_empty()).then(|| MeasuredBlend {
                inputs: touching.iter().map(|m| m.measurement).collect(),
                index: round_tenth(touching.iter().map(|m| m.index).sum::<f64>() / touching.len() as f64),
                weight: rules::MEASURED_WEIGHT,
            });
            Chakra {
                name: rule.name,
                english: rule.english,
                ruler: rule.ruler,
                houses: rule.houses,
                score,
                chart_score,
                state: rules::state(score),
                factors,
                measured,
            }
        })
        .collect();

    let strongest = chakras.iter().fold(&chakras[0], |best, c| if c.score > best.score { c } else { best }).name;
    let quietest = chakras.iter().fold(&chakras[0], |low, c| if c.score < low.score { c } else { low }).name;

    let mut inputs_used: Vec<String> =
        ["birth_data.date", "birth_data.time", "birth_data.timezone"].map(String::from).to_vec();
    let mut inputs_skipped = Vec::new();
    if place.is_some() {
        inputs_used.extend(["birth_data.latitude".to_owned(), "birth_data.longitude".to_owned()]);
        if options.house_system_given {
            inputs_used.push("options.house_system".to_owned());
        }
    } else {
        for field in ["birth_data.latitude", "birth_data.longitude"] {
            inputs_skipped
                .push(Skipped { field, reason: "no birth place: no Ascendant, so the house factor is left out" });
        }
        if options.house_system_given {
            inputs_skipped.push(Skipped { field: "options.house_system", reason: "no birth place, so no houses" });
        }
    }
    inputs_used.push("current_time".to_owned());
    inputs_used.extend(options.measurements.iter().map(|m| m.measurement.field()));
    if !options.measurements_given {
        inputs_skipped.push(Skipped {
            field: "options.measurements",
            reason: "no measured values sent: the scores are the chart's alone",
        });
    }

    Ok(ChakraProfile {
        zodiac: "tropical",
        transit_time: input.now,
        house_system: ascendant.map(|_| options.house_system),
        ascendant_deg: ascendant,
        natal,
        transits,
        natal_aspects,
        transit_aspects,
        chakras,
        strongest,
        quietest,
        measurements: options.measurements,
        inputs_used,
        inputs_skipped,
    })
}

fn round_tenth(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}
