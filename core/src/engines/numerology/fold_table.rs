//! The base letters of accented and other Latin letters, by code point.
//!
//! Each entry is what one code point counts as in numerology: its base letter(s) in upper case, or
//! `""` when it has none (a sign, or a letter such as schwa with no A-Z counterpart). The entries
//! were derived from the Unicode 14 character data: the compatibility decomposition where there is
//! one (`é` = `e` + acute → `E`, `ǆ` → `DZ`), else the base letter the character's name gives
//! (`Ø`, LATIN CAPITAL LETTER O WITH STROKE → `O`), with the usual spellings for ligatures and
//! special letters (`Æ` → `AE`, `ß` → `SS`, `Þ` → `TH`, `Ð` → `D`).

/// U+00C0..=U+024F: Latin-1 Supplement letters, Latin Extended-A and -B.
pub(super) const LATIN_1_TO_EXTENDED_B: [&str; 400] = [
    "A", "A", "A", "A", "A", "A", "AE", "C", "E", "E", "E", "E", "I", "I", "I", "I", // U+00C0
    "D", "N", "O", "O", "O", "O", "O", "", "O", "U", "U", "U", "U", "Y", "TH", "SS", // U+00D0
    "A", "A", "A", "A", "A", "A", "AE", "C", "E", "E", "E", "E", "I", "I", "I", "I", // U+00E0
    "D", "N", "O", "O", "O", "O", "O", "", "O", "U", "U", "U", "U", "Y", "TH", "Y", // U+00F0
    "A", "A", "A", "A", "A", "A", "C", "C", "C", "C", "C", "C", "C", "C", "D", "D", // U+0100
    "D", "D", "E", "E", "E", "E", "E", "E", "E", "E", "E", "E", "G", "G", "G", "G", // U+0110
    "G", "G", "G", "G", "H", "H", "H", "H", "I", "I", "I", "I", "I", "I", "I", "I", // U+0120
    "I", "I", "IJ", "IJ", "J", "J", "K", "K", "K", "L", "L", "L", "L", "L", "L", "L", // U+0130
    "L", "L", "L", "N", "N", "N", "N", "N", "N", "N", "N", "N", "O", "O", "O", "O", // U+0140
    "O", "O", "OE", "OE", "R", "R", "R", "R", "R", "R", "S", "S", "S", "S", "S", "S", // U+0150
    "S", "S", "T", "T", "T", "T", "T", "T", "U", "U", "U", "U", "U", "U", "U", "U", // U+0160
    "U", "U", "U", "U", "W", "W", "Y", "Y", "Y", "Z", "Z", "Z", "Z", "Z", "Z", "S", // U+0170
    "B", "B", "B", "B", "", "", "", "C", "C", "D", "D", "D", "D", "", "", "", // U+0180
    "", "F", "F", "G", "", "HV", "", "I", "K", "K", "L", "", "", "N", "N", "O", // U+0190
    "O", "O", "OI", "OI", "P", "P", "", "", "", "", "", "T", "T", "T", "T", "U", // U+01A0
    "U", "", "V", "Y", "Y", "Z", "Z", "", "", "", "", "", "", "", "", "", // U+01B0
    "", "", "", "", "DZ", "DZ", "DZ", "LJ", "LJ", "LJ", "NJ", "NJ", "NJ", "A", "A", "I", // U+01C0
    "I", "O", "O", "U", "U", "U", "U", "U", "U", "U", "U", "U", "U", "", "A", "A", // U+01D0
    "A", "A", "AE", "AE", "G", "G", "G", "G", "K", "K", "O", "O", "O", "O", "", "", // U+01E0
    "J", "DZ", "DZ", "DZ", "G", "G", "", "", "N", "N", "A", "A", "AE", "AE", "O", "O", // U+01F0
    "A", "A", "A", "A", "E", "E", "E", "E", "I", "I", "I", "I", "O", "O", "O", "O", // U+0200
    "R", "R", "R", "R", "U", "U", "U", "U", "S", "S", "T", "T", "", "", "H", "H", // U+0210
    "N", "D", "OU", "OU", "Z", "Z", "A", "A", "E", "E", "O", "O", "O", "O", "O", "O", // U+0220
    "O", "O", "Y", "Y", "L", "N", "T", "J", "DB", "QP", "A", "C", "C", "L", "T", "S", // U+0230
    "Z", "", "", "B", "U", "", "E", "E", "J", "J", "Q", "Q", "R", "R", "Y", "Y", // U+0240
];

/// U+1E00..=U+1EFF: Latin Extended Additional (Vietnamese, Welsh, …).
pub(super) const LATIN_EXTENDED_ADDITIONAL: [&str; 256] = [
    "A", "A", "B", "B", "B", "B", "B", "B", "C", "C", "D", "D", "D", "D", "D", "D", // U+1E00
    "D", "D", "D", "D", "E", "E", "E", "E", "E", "E", "E", "E", "E", "E", "F", "F", // U+1E10
    "G", "G", "H", "H", "H", "H", "H", "H", "H", "H", "H", "H", "I", "I", "I", "I", // U+1E20
    "K", "K", "K", "K", "K", "K", "L", "L", "L", "L", "L", "L", "L", "L", "M", "M", // U+1E30
    "M", "M", "M", "M", "N", "N", "N", "N", "N", "N", "N", "N", "O", "O", "O", "O", // U+1E40
    "O", "O", "O", "O", "P", "P", "P", "P", "R", "R", "R", "R", "R", "R", "R", "R", // U+1E50
    "S", "S", "S", "S", "S", "S", "S", "S", "S", "S", "T", "T", "T", "T", "T", "T", // U+1E60
    "T", "T", "U", "U", "U", "U", "U", "U", "U", "U", "U", "U", "V", "V", "V", "V", // U+1E70
    "W", "W", "W", "W", "W", "W", "W", "W", "W", "W", "X", "X", "X", "X", "Y", "Y", // U+1E80
    "Z", "Z", "Z", "Z", "Z", "Z", "H", "T", "W", "Y", "A", "S", "S", "S", "SS", "", // U+1E90
    "A", "A", "A", "A", "A", "A", "A", "A", "A", "A", "A", "A", "A", "A", "A", "A", // U+1EA0
    "A", "A", "A", "A", "A", "A", "A", "A", "E", "E", "E", "E", "E", "E", "E", "E", // U+1EB0
    "E", "E", "E", "E", "E", "E", "E", "E", "I", "I", "I", "I", "O", "O", "O", "O", // U+1EC0
    "O", "O", "O", "O", "O", "O", "O", "O", "O", "O", "O", "O", "O", "O", "O", "O", // U+1ED0
    "O", "O", "O", "O", "U", "U", "U", "U", "U", "U", "U", "U", "U", "U", "U", "U", // U+1EE0
    "U", "U", "Y", "Y", "Y", "Y", "Y", "Y", "Y", "Y", "LL", "LL", "V", "V", "Y", "Y", // U+1EF0
];
