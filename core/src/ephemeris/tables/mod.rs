//! Generated coefficient tables (see `scripts/ephemeris-data/gen_tables.mjs` and, for `de422_*`,
//! `scripts/ephemeris-data/gen_de422_planets.py`). Nothing here is written by hand.

#[rustfmt::skip]
#[allow(clippy::excessive_precision, clippy::approx_constant, clippy::unreadable_literal)]
mod de422_jupiter;
#[rustfmt::skip]
#[allow(clippy::excessive_precision, clippy::approx_constant, clippy::unreadable_literal)]
mod de422_mars;
#[rustfmt::skip]
#[allow(clippy::excessive_precision, clippy::approx_constant, clippy::unreadable_literal)]
mod de422_neptune;
#[rustfmt::skip]
#[allow(clippy::excessive_precision, clippy::approx_constant, clippy::unreadable_literal)]
mod de422_pluto;
#[rustfmt::skip]
#[allow(clippy::excessive_precision, clippy::approx_constant, clippy::unreadable_literal)]
pub(crate) mod de422_reflex;
#[rustfmt::skip]
#[allow(clippy::excessive_precision, clippy::approx_constant, clippy::unreadable_literal)]
mod de422_saturn;
#[rustfmt::skip]
#[allow(clippy::excessive_precision, clippy::approx_constant, clippy::unreadable_literal)]
mod de422_uranus;
#[rustfmt::skip]
#[allow(clippy::excessive_precision, clippy::approx_constant, clippy::unreadable_literal)]
mod elp_mpp02_moon;
#[rustfmt::skip]
#[allow(clippy::excessive_precision, clippy::approx_constant, clippy::unreadable_literal)]
mod nutation_iau2000b;
#[rustfmt::skip]
#[allow(clippy::excessive_precision, clippy::approx_constant, clippy::unreadable_literal)]
mod vsop87_earth;
#[rustfmt::skip]
#[allow(clippy::excessive_precision, clippy::approx_constant, clippy::unreadable_literal)]
mod vsop87_mercury;
#[rustfmt::skip]
#[allow(clippy::excessive_precision, clippy::approx_constant, clippy::unreadable_literal)]
mod vsop87_venus;

pub(crate) use de422_jupiter::JUPITER as DE422_JUPITER;
pub(crate) use de422_mars::MARS as DE422_MARS;
pub(crate) use de422_neptune::NEPTUNE as DE422_NEPTUNE;
pub(crate) use de422_pluto::PLUTO as DE422_PLUTO;
pub(crate) use de422_saturn::SATURN as DE422_SATURN;
pub(crate) use de422_uranus::URANUS as DE422_URANUS;
pub(crate) use elp_mpp02_moon::{MOON, MOON_W1};
pub(crate) use nutation_iau2000b::{
    IAU2000B as NUTATION_IAU2000B, IAU2000B_PLANETARY_MAS as NUTATION_IAU2000B_PLANETARY_MAS,
};
pub(crate) use vsop87_earth::EARTH;
pub(crate) use vsop87_mercury::MERCURY;
pub(crate) use vsop87_venus::VENUS;
