//! Small text forms shared by the chart and the prompts.

use super::Phase;

/// A whole percentage with its sign and a true minus: `+42`, `0`, `−94`.
pub(super) fn signed_percent(percent: f64) -> String {
    let whole = percent.round();
    match whole {
        w if w > 0.0 => format!("+{w:.0}"),
        w if w < 0.0 => format!("−{:.0}", -w),
        _ => "0".to_owned(),
    }
}

/// A count with thousands separators: `14,805`.
pub(super) fn thousands(n: u32) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A phase as it reads after "the cycle is": `rising`, `at its peak`.
pub(super) const fn phase_words(phase: Phase) -> &'static str {
    match phase {
        Phase::Rising => "rising",
        Phase::Peak => "at its peak",
        Phase::Falling => "falling",
        Phase::Trough => "at its trough",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_naturally() {
        assert_eq!(thousands(14_805), "14,805");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000_000), "1,000,000");
        assert_eq!(signed_percent(-94.2), "−94");
        assert_eq!(signed_percent(-0.4), "0");
        assert_eq!(signed_percent(61.5), "+62");
    }
}
