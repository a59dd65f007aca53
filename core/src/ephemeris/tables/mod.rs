//! Generated coefficient tables (see `scripts/ephemeris-data/gen_tables.mjs`). Nothing here is
//! written by hand.

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
mod vsop87_jupiter;
#[rustfmt::skip]
#[allow(clippy::excessive_precision, clippy::approx_constant, clippy::unreadable_literal)]
mod vsop87_mars;
#[rustfmt::skip]
#[allow(clippy::excessive_precision, clippy::approx_constant, clippy::unreadable_literal)]
mod vsop87_mercury;
#[rustfmt::skip]
#[allow(clippy::excessive_precision, clippy::approx_constant, clippy::unreadable_literal)]
mod vsop87_neptune;
#[rustfmt::skip]
#[allow(clippy::excessive_precision, clippy::approx_constant, clippy::unreadable_literal)]
mod vsop87_saturn;
#[rustfmt::skip]
#[allow(clippy::excessive_precision, clippy::approx_constant, clippy::unreadable_literal)]
mod vsop87_uranus;
#[rustfmt::skip]
#[allow(clippy::excessive_precision, clippy::approx_constant, clippy::unreadable_literal)]
mod vsop87_venus;

pub(crate) use elp_mpp02_moon::{MOON, MOON_W1};
pub(crate) use nutation_iau2000b::{
    IAU2000B as NUTATION_IAU2000B, IAU2000B_PLANETARY_MAS as NUTATION_IAU2000B_PLANETARY_MAS,
};
pub(crate) use vsop87_earth::EARTH;
pub(crate) use vsop87_jupiter::JUPITER;
pub(crate) use vsop87_mars::MARS;
pub(crate) use vsop87_mercury::MERCURY;
pub(crate) use vsop87_neptune::NEPTUNE;
pub(crate) use vsop87_saturn::SATURN;
pub(crate) use vsop87_uranus::URANUS;
pub(crate) use vsop87_venus::VENUS;
