//! A branch-free sine-and-cosine for the series evaluators.
//!
//! Written by hand on purpose: the VSOP87 and ELP/MPP02 sums evaluate thousands of `A·cos(B + C·t)`
//! terms per position, and the platform `sin`/`cos` (libm, on native and in WASM alike) are
//! separate, branchy calls that dominate the cost. The series only need an absolute error well under
//! 1e-12 (their largest amplitudes are ~0.03 rad and 22 640″), so one shared argument reduction
//! (Cody–Waite with π/2 split in three parts, exact for |x| < 2^20·π/2 ≈ 1.6e6) and the fdlibm
//! kernel polynomials give results within a few ulp of libm at a fraction of the cost. No crate on
//! stable Rust provides a portable, pure-Rust version of exactly this.

// The constants are quoted digit for digit as fdlibm publishes them.
#![allow(clippy::excessive_precision)]

use std::f64::consts::FRAC_2_PI;

// π/2 in three parts (fdlibm `__ieee754_rem_pio2`): the first has 33 significant bits, so k·P1 is
// exact for |k| < 2^20.
const PIO2_1: f64 = 1.570_796_326_734_125_614_17;
const PIO2_2: f64 = 6.077_100_506_303_965_976_60e-11;
const PIO2_3: f64 = 2.022_266_248_711_166_455_80e-21;

// fdlibm `__kernel_sin` / `__kernel_cos` minimax coefficients on [−π/4, π/4].
const S1: f64 = -1.666_666_666_666_663_243_48e-01;
const S2: f64 = 8.333_333_333_322_489_461_24e-03;
const S3: f64 = -1.984_126_982_985_794_931_34e-04;
const S4: f64 = 2.755_731_370_707_006_767_89e-06;
const S5: f64 = -2.505_076_025_340_686_341_95e-08;
const S6: f64 = 1.589_690_995_211_550_102_21e-10;
const C1: f64 = 4.166_666_666_666_660_190_37e-02;
const C2: f64 = -1.388_888_888_887_410_957_49e-03;
const C3: f64 = 2.480_158_728_947_672_941_78e-05;
const C4: f64 = -2.755_731_435_139_066_330_35e-07;
const C5: f64 = 2.087_572_321_298_174_827_90e-09;
const C6: f64 = -1.135_964_755_778_819_482_65e-11;

/// Adding then subtracting 1.5·2^52 rounds a double to the nearest integer without a libm call.
const ROUNDER: f64 = 6_755_399_441_055_744.0;

/// Largest |x| for which [`sin_cos`] keeps its accuracy.
pub(crate) const MAX_ARGUMENT: f64 = 1.0e6;

/// `(sin x, cos x)` for |x| ≤ [`MAX_ARGUMENT`], absolute error below 1e-15.
#[inline(always)]
pub(crate) fn sin_cos(x: f64) -> (f64, f64) {
    debug_assert!(x.abs() <= MAX_ARGUMENT, "argument {x} beyond the reduction's exact range");
    let k = (x * FRAC_2_PI + ROUNDER) - ROUNDER;
    let r = ((x - k * PIO2_1) - k * PIO2_2) - k * PIO2_3;
    let z = r * r;
    let sin_r = r + r * z * (S1 + z * (S2 + z * (S3 + z * (S4 + z * (S5 + z * S6)))));
    let cos_r = 1.0 - 0.5 * z + z * z * (C1 + z * (C2 + z * (C3 + z * (C4 + z * (C5 + z * C6)))));
    // Quadrant q = k mod 4 picks (sin, cos) from (±sin r, ±cos r) without branching.
    let q = (k as i64) & 3;
    let swap = (q & 1) as f64;
    let sin_sign = 1.0 - 2.0 * ((q >> 1) & 1) as f64;
    let cos_sign = 1.0 - 2.0 * (((q + 1) >> 1) & 1) as f64;
    let s = sin_r + swap * (cos_r - sin_r);
    let c = cos_r + swap * (sin_r - cos_r);
    (sin_sign * s, cos_sign * c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn assert_close(x: f64) {
        let (s, c) = sin_cos(x);
        assert!((s - x.sin()).abs() < 1e-15, "sin({x}) = {s}, libm {}", x.sin());
        assert!((c - x.cos()).abs() < 1e-15, "cos({x}) = {c}, libm {}", x.cos());
    }

    #[test]
    fn quadrant_boundaries_and_special_points() {
        for k in -8..=8 {
            let base = k as f64 * std::f64::consts::FRAC_PI_4;
            for dx in [0.0, 1e-12, -1e-12, 1e-6, -1e-6] {
                assert_close(base + dx);
            }
        }
        assert_close(0.0);
        assert_close(MAX_ARGUMENT);
        assert_close(-MAX_ARGUMENT);
    }

    proptest! {
        #[test]
        fn agrees_with_libm(x in -MAX_ARGUMENT..MAX_ARGUMENT) {
            assert_close(x);
        }

        #[test]
        fn agrees_with_libm_near_zero(x in -10.0f64..10.0) {
            assert_close(x);
        }
    }
}
