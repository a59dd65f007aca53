//! Vimshottari dasha: the 120-year cycle of planetary periods that starts from the Moon's
//! nakshatra at birth.
//!
//! # The rules
//!
//! - Nine lords follow one another, each for a fixed number of years: Ketu 7, Venus 20, Sun 6,
//!   Moon 10, Mars 7, Rahu 18, Jupiter 16, Saturn 19, Mercury 17 (120 in all).
//! - The Moon's sidereal longitude at birth (apparent tropical minus the true Lahiri ayanamsa)
//!   falls in one of the 27 nakshatras of 13°20′; nakshatra `k` (0 = Ashwini) is ruled by the
//!   `(k mod 9)`-th lord, whose mahadasha was running at birth.
//! - The part of that nakshatra the Moon had still to cross is the part of the lord's mahadasha
//!   still to run: balance = remaining fraction × the lord's years ([`birth_balance`]).
//! - The first mahadasha is listed whole: it starts before birth (birth − the elapsed part).
//!   Its antardashas are cut from its full length, and those that ended before birth are dropped;
//!   the same holds one level down for pratyantardashas.
//! - Each period divides into nine in the same order, starting with its own lord, each
//!   `parent years × sub-lord's years / 120` long.
//! - A year is `options.year_days` days (365.25 by default; 360 to 366 accepted).
//! - Mahadashas are listed until 120 years after birth are covered: ten periods (the tenth
//!   repeats the first lord), or nine when the Moon stood exactly at the start of its nakshatra.
//! - Instants are rounded to the second. A second is far finer than the method: one arcsecond
//!   of the Moon moves the boundaries by up to 3.7 hours.
//!
//! # Size of the result
//!
//! With `options.pratyantardashas = "all"` (the default) every antardasha carries its nine
//! pratyantardashas: about 800 periods, 86 KB of compact JSON (measured for 1991-08-13 13:31
//! Asia/Kolkata: 85 877 bytes), which a timeline needs and which caches as one value.
//! `"current"` keeps them only for the antardasha running at `current_time` (10 626 bytes for the
//! same birth), for callers that only show the present. `current` is complete either way.
//!
//! ```
//! use noesis_core::engines::{BirthData, CalculationInput, Options, vimshottari};
//! use noesis_core::time::zone::Zone;
//! use jiff::civil::{date, time};
//!
//! let birth = BirthData {
//!     name: None,
//!     date: date(1991, 8, 13),
//!     time: Some(time(13, 31, 0, 0)),
//!     zone: Some(Zone::parse("Asia/Kolkata").unwrap()),
//!     place: None,
//!     instant: Some("1991-08-13T08:01:00Z".parse().unwrap()),
//! };
//! let input = CalculationInput {
//!     birth: Some(birth),
//!     now: "2026-01-01T00:00:00Z".parse().unwrap(),
//!     location: None,
//!     options: Options::new(),
//! };
//! let dashas = vimshottari::calculate(&input).unwrap();
//! assert_eq!(dashas.birth_nakshatra.name, "Uttara Phalguni");
//! assert_eq!(dashas.mahadashas[1].lord, vimshottari::Lord::Moon);
//! ```

mod options;
mod periods;
mod prompt;

pub use super::vedic::{CYCLE_YEARS, Lord, NAKSHATRA_SPAN_DEG, NAKSHATRAS};
pub use options::{DEFAULT_YEAR_DAYS, Pratyantardashas};
pub use periods::{Balance, birth_balance};
pub use prompt::witness_prompt;

use super::{CalculationInput, EngineError, EngineMeta, InputSpec, Level, TimeGranularity, both};
use crate::ephemeris::{Body, Sky};
use crate::time::Moment;
use jiff::Timestamp;
use periods::{Span, Timeline};
use serde::Serialize;

/// Why the dashas need the time of birth, for the error when it is missing.
const WHY_BIRTH_TIME: &str = "the Moon's position at birth sets every date";

/// What the API lists about this engine.
pub const META: EngineMeta = EngineMeta {
    id: "vimshottari",
    name: "Vimshottari Dasha",
    description: "The 120-year cycle of planetary periods that unfolds from the Moon's nakshatra at birth: \
                  mahadashas, antardashas and pratyantardashas with their dates, and the ones running now.",
    required_level: Level::new(2).expect("2 is a level"),
    version: "1.0.0",
    inputs: &[
        InputSpec { field: "birth_data.date", required: true, description: "local date of birth" },
        InputSpec {
            field: "birth_data.time",
            required: true,
            description: "local time of birth: the Moon moves 13° a day, and each arcminute shifts the dates by days",
        },
        InputSpec { field: "birth_data.timezone", required: true, description: "the zone of the birth date and time" },
        InputSpec {
            field: "current_time",
            required: false,
            description: "the instant whose mahadasha, antardasha and pratyantardasha `current` names",
        },
        InputSpec {
            field: "options.year_days",
            required: false,
            description: "days in a dasha year, 360 to 366 (default 365.25)",
        },
        InputSpec {
            field: "options.pratyantardashas",
            required: false,
            description: "\"all\" (default): every antardasha lists its pratyantardashas; \"current\": only the running one",
        },
    ],
    // `current_time` only picks `current`; an hour is far below the precision of the method.
    time_granularity: TimeGranularity::Seconds(3600),
};

/// The dasha periods of one birth, and the ones running at `current_time`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dashas {
    /// The birth instant the periods are counted from (UTC).
    pub birth_instant: Timestamp,
    /// The Moon's sidereal (Lahiri) longitude at birth, degrees in [0, 360).
    pub moon_longitude: f64,
    /// The true Lahiri ayanamsa at birth, degrees.
    pub ayanamsa_deg: f64,
    pub birth_nakshatra: BirthNakshatra,
    /// Years of the first mahadasha still to run at birth.
    pub balance_years: f64,
    /// The year length used, days.
    pub year_days: f64,
    /// From the mahadasha running at birth (started before it) until 120 years after birth.
    pub mahadashas: Vec<Mahadasha>,
    /// The periods running at `current_time`; `null` before birth and after the last mahadasha.
    pub current: Option<Current>,
}

/// The nakshatra of the Moon at birth.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BirthNakshatra {
    /// 0 = Ashwini … 26 = Revati.
    pub index: usize,
    pub name: &'static str,
    pub lord: Lord,
    /// How much of the nakshatra the Moon had crossed at birth, 0 to 1.
    pub elapsed_fraction: f64,
}

/// A major period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mahadasha {
    pub lord: Lord,
    pub start: Timestamp,
    pub end: Timestamp,
    /// The full length in years (for the first one, including the part before birth).
    pub years: f64,
    /// Its sub-periods, the first one's without those that ended before birth.
    pub antardashas: Vec<Antardasha>,
}

/// A sub-period of a mahadasha.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Antardasha {
    pub lord: Lord,
    pub start: Timestamp,
    pub end: Timestamp,
    pub years: f64,
    /// Its own sub-periods; absent when `options.pratyantardashas` is `"current"` and this is not
    /// the antardasha running at `current_time`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pratyantardashas: Option<Vec<Period>>,
}

/// A period without sub-periods.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Period {
    pub lord: Lord,
    pub start: Timestamp,
    pub end: Timestamp,
    pub years: f64,
}

/// The three periods that contain `current_time`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Current {
    pub mahadasha: Period,
    pub antardasha: Period,
    pub pratyantardasha: Period,
}

/// The dashas for the birth in `input`, with the periods running at `input.now`.
pub fn calculate(input: &CalculationInput) -> Result<Dashas, EngineError> {
    let (birth, options) = both(input.birth_instant(META.id, WHY_BIRTH_TIME), options::parse(&input.options))?;
    let sky = Sky::at(&Moment::from_timestamp(birth))?;
    let ayanamsa = sky.ayanamsa();
    let moon_longitude = ayanamsa.sidereal(sky.position(Body::Moon)?.longitude_deg);
    let balance = birth_balance(moon_longitude);
    let timeline = Timeline::new(birth, &balance, options.year_days);
    let now = input.now;
    let after_birth = |span: &Span| span.end > timeline.birth_offset();

    let mut mahadashas = Vec::with_capacity(10);
    for maha in periods::mahadashas(&balance) {
        let mut antardashas = Vec::with_capacity(9);
        for antar in maha.subdivide().iter().filter(|s| after_birth(s)) {
            let period = to_period(&timeline, antar)?;
            let running = birth <= now && period.start <= now && now < period.end;
            let pratyantardashas = if options.pratyantardashas == Pratyantardashas::All || running {
                let subs = antar.subdivide();
                Some(
                    subs.iter()
                        .filter(|s| after_birth(s))
                        .map(|s| to_period(&timeline, s))
                        .collect::<Result<_, _>>()?,
                )
            } else {
                None
            };
            antardashas.push(Antardasha {
                lord: period.lord,
                start: period.start,
                end: period.end,
                years: period.years,
                pratyantardashas,
            });
        }
        let whole = to_period(&timeline, &maha)?;
        mahadashas.push(Mahadasha {
            lord: whole.lord,
            start: whole.start,
            end: whole.end,
            years: whole.years,
            antardashas,
        });
    }

    let current = if now < birth { None } else { current_periods(&mahadashas, now) };
    Ok(Dashas {
        birth_instant: birth,
        moon_longitude,
        ayanamsa_deg: ayanamsa.true_deg,
        birth_nakshatra: BirthNakshatra {
            index: balance.nakshatra,
            name: NAKSHATRAS[balance.nakshatra],
            lord: balance.lord,
            elapsed_fraction: balance.elapsed_fraction,
        },
        balance_years: balance.balance_years,
        year_days: options.year_days,
        mahadashas,
        current,
    })
}

fn to_period(timeline: &Timeline, span: &Span) -> Result<Period, EngineError> {
    Ok(Period {
        lord: span.lord,
        start: timeline.instant(span.start)?,
        end: timeline.instant(span.end)?,
        years: span.years,
    })
}

/// The mahadasha, antardasha and pratyantardasha whose [start, end) contains `now`.
fn current_periods(mahadashas: &[Mahadasha], now: Timestamp) -> Option<Current> {
    let contains = |start: Timestamp, end: Timestamp| start <= now && now < end;
    let maha = mahadashas.iter().find(|m| contains(m.start, m.end))?;
    let antar = maha.antardashas.iter().find(|a| contains(a.start, a.end))?;
    let prat = antar.pratyantardashas.as_ref()?.iter().find(|p| contains(p.start, p.end))?;
    Some(Current {
        mahadasha: Period { lord: maha.lord, start: maha.start, end: maha.end, years: maha.years },
        antardasha: Period { lord: antar.lord, start: antar.start, end: antar.end, years: antar.years },
        pratyantardasha: *prat,
    })
}
