//! From a name as typed to the letters numerology counts, and what each letter is worth.

use super::fold_table::{LATIN_1_TO_EXTENDED_B, LATIN_EXTENDED_ADDITIONAL};

/// One letter A-Z, as its index (A = 0 … Z = 25).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Letter(u8);

impl Letter {
    /// The letter of an ASCII letter of either case; `None` for anything else.
    fn from_ascii(c: u8) -> Option<Letter> {
        c.is_ascii_alphabetic().then(|| Letter(c.to_ascii_uppercase() - b'A'))
    }

    pub(super) fn as_char(self) -> char {
        char::from(b'A' + self.0)
    }

    /// Its value in the Pythagorean table: A J S 1, B K T 2, … I R 9 (the alphabet in rows of 9).
    pub(super) fn pythagorean(self) -> u32 {
        u32::from(self.0 % 9) + 1
    }

    /// Its value in the Chaldean table: A I J Q Y 1, B K R 2, C G L S 3, D M T 4, E H N X 5,
    /// U V W 6, O Z 7, F P 8. No letter is worth 9, which the tradition holds apart.
    pub(super) fn chaldean(self) -> u32 {
        const CHALDEAN: [u8; 26] = [1, 2, 3, 4, 5, 8, 3, 5, 1, 1, 2, 3, 4, 5, 7, 8, 1, 2, 3, 4, 6, 6, 6, 5, 1, 7];
        u32::from(CHALDEAN[usize::from(self.0)])
    }

    /// Whether it counts as a vowel: A E I O U, and Y when the caller asks for it.
    pub(super) fn is_vowel(self, y_as_vowel: bool) -> bool {
        matches!(self.as_char(), 'A' | 'E' | 'I' | 'O' | 'U') || (y_as_vowel && self.as_char() == 'Y')
    }
}

/// The letters of a name in order: A-Z of either case as they are, other Latin letters folded to
/// their base letter(s) (`é` → E, `Ø` → O, `ß` → SS), everything else (spaces, hyphens, digits,
/// combining marks, other scripts) left out.
///
/// Every character is first put in upper case (as Unicode defines it), so a name's case never
/// changes its letters, and `ß` and `ẞ` agree.
pub(super) fn letters(name: &str) -> Vec<Letter> {
    let mut out = Vec::with_capacity(name.len());
    for c in name.chars() {
        if c.is_ascii() {
            out.extend(Letter::from_ascii(c as u8));
            continue;
        }
        for upper in c.to_uppercase() {
            if upper.is_ascii() {
                out.extend(Letter::from_ascii(upper as u8));
            } else {
                out.extend(base_letters(upper).bytes().filter_map(Letter::from_ascii));
            }
        }
    }
    out
}

/// The base letters of a non-ASCII character, `""` when it has none.
fn base_letters(c: char) -> &'static str {
    let cp = u32::from(c);
    let lookup = |table: &'static [&'static str], start: u32| {
        usize::try_from(cp - start).ok().and_then(|i| table.get(i)).copied().unwrap_or("")
    };
    match cp {
        0x00C0..=0x024F => lookup(&LATIN_1_TO_EXTENDED_B, 0x00C0),
        0x1E00..=0x1EFF => lookup(&LATIN_EXTENDED_ADDITIONAL, 0x1E00),
        // Fullwidth Latin letters, as East Asian input methods type them.
        0xFF21..=0xFF3A => lookup(&FULLWIDTH, 0xFF21),
        0xFF41..=0xFF5A => lookup(&FULLWIDTH, 0xFF41),
        _ => "",
    }
}

const FULLWIDTH: [&str; 26] = [
    "A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O", "P", "Q", "R", "S", "T", "U", "V", "W",
    "X", "Y", "Z",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn spelled(name: &str) -> String {
        letters(name).into_iter().map(Letter::as_char).collect()
    }

    #[test]
    fn pythagorean_table_runs_the_alphabet_in_rows_of_nine() {
        let values: Vec<u32> = letters("AJSBKTCLUDMVENWFOXGPYHQZIR").into_iter().map(Letter::pythagorean).collect();
        assert_eq!(values, [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 5, 6, 6, 6, 7, 7, 7, 8, 8, 8, 9, 9]);
    }

    #[test]
    fn chaldean_table_matches_its_groups() {
        for (group, value) in
            [("AIJQY", 1), ("BKR", 2), ("CGLS", 3), ("DMT", 4), ("EHNX", 5), ("UVW", 6), ("OZ", 7), ("FP", 8)]
        {
            for letter in letters(group) {
                assert_eq!(letter.chaldean(), value, "{}", letter.as_char());
            }
        }
    }

    #[test]
    fn accents_fold_to_their_base_letters() {
        assert_eq!(spelled("José Ñúñez-Ångström"), "JOSENUNEZANGSTROM");
        assert_eq!(spelled("Łukasz Øster Đorđe"), "LUKASZOSTERDORDE");
        assert_eq!(spelled("Nguyễn Thị Phượng"), "NGUYENTHIPHUONG");
        assert_eq!(spelled("Æsa Strauß Þóra"), "AESASTRAUSSTHORA");
        assert_eq!(spelled("Ｊｏｈｎ"), "JOHN");
    }

    #[test]
    fn decomposed_accents_count_once() {
        assert_eq!(spelled("Jose\u{301}"), spelled("José"));
    }

    #[test]
    fn other_scripts_signs_and_digits_are_left_out() {
        assert_eq!(spelled("Анна 李 O'Neil 3rd ×÷"), "ONEILRD");
    }

    #[test]
    fn y_is_a_vowel_only_on_request() {
        let y = letters("y")[0];
        assert!(!y.is_vowel(false));
        assert!(y.is_vowel(true));
        assert!(letters("aeiou").iter().all(|l| l.is_vowel(false)));
    }
}
