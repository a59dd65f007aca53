//! Numerology: the numbers of a birth date and a full name, in the Pythagorean and Chaldean systems.
//!
//! - **Life path** (from the date): reduce(reduce(year) + reduce(month) + reduce(day)).
//! - **Birthday**: the day of the month, reduced.
//! - **Expression**, **soul urge**, **personality** (from the name, Pythagorean table): all letters,
//!   the vowels, the consonants. Vowels are A E I O U; Y is a consonant unless `options.y_as_vowel`.
//! - **Chaldean**: all letters of the name with the Chaldean table.
//!
//! Reduction sums digits until one is left, but keeps the master numbers 11, 22 and 33. Every
//! number comes with its `chain`, from the first sum down to the value, so a reader can follow it.
//! Accented Latin letters count as their base letter (`é` → E, `Ø` → O, `ß` → SS); anything that is
//! not a Latin letter is ignored. Nothing here depends on `current_time`.

mod fold_table;
mod letters;
mod meanings;
mod prompt;
mod reduce;

use serde::{Deserialize, Serialize};

use super::options::parse_options;
use super::{CalculationInput, EngineError, EngineMeta, FieldError, InputSpec, Level, TimeGranularity};
use reduce::{Reduction, is_master, reduce};

pub use prompt::witness_prompt;

/// The numerology engine's description for the API and the cache.
pub const META: EngineMeta = EngineMeta {
    id: "numerology",
    name: "Numerology",
    description: "The numbers carried by your birth date and full name (life path, expression, soul urge, \
                  personality, birthday), in the Pythagorean system with a Chaldean name number beside them.",
    required_level: Level::MIN,
    version: "1.0.0",
    inputs: &[
        InputSpec {
            field: "birth_data.name",
            required: true,
            description: "Full birth name; its letters give expression, soul urge, personality and the Chaldean number.",
        },
        InputSpec {
            field: "birth_data.date",
            required: true,
            description: "Date of birth; gives life path and birthday.",
        },
        InputSpec {
            field: "options.y_as_vowel",
            required: false,
            description: "Count Y as a vowel (soul urge) instead of a consonant (personality). Default false.",
        },
    ],
    time_granularity: TimeGranularity::Timeless,
};

/// The numerology of one person.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NumerologyResult {
    /// From the birth date: the road a life tends to take.
    pub life_path: NumberReading,
    /// From all letters of the name: the talents and manner a person works with.
    pub expression: NumberReading,
    /// From the vowels: what a person longs for inwardly. `None` (null) when the name has no vowels.
    pub soul_urge: Option<NumberReading>,
    /// From the consonants: how others first meet a person. `None` (null) when the name has none.
    pub personality: Option<NumberReading>,
    /// From the day of the month alone.
    pub birthday: NumberReading,
    /// From all letters of the name with the Chaldean table.
    pub chaldean: NumberReading,
    /// The three reductions the life path adds up, each as its chain (`year: [1985, 23, 5]`).
    pub life_path_parts: LifePathParts,
    /// The letters that were counted, folded to A-Z in upper case (`"JOSENUNEZ"` for `José Núñez`).
    pub letters: String,
    /// Whether Y counted as a vowel.
    pub y_as_vowel: bool,
}

/// One number: its value, whether it is a master number, how it was reached, and what it means.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NumberReading {
    /// 1-9, 11, 22 or 33.
    pub value: u32,
    /// Whether `value` is 11, 22 or 33.
    pub master: bool,
    /// From the first sum down to `value`, e.g. `[19, 10, 1]`; just `[value]` when nothing was summed.
    pub chain: Vec<u32>,
    /// The number's short name, e.g. `Seeker`.
    pub keyword: &'static str,
    /// What the number points to, in a few sentences.
    pub meaning: &'static str,
}

/// The reduced year, month and day that the life path adds up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LifePathParts {
    pub year: Vec<u32>,
    pub month: Vec<u32>,
    pub day: Vec<u32>,
}

/// The options numerology accepts.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
struct NumerologyOptions {
    #[serde(default)]
    y_as_vowel: bool,
}

/// Computes the numerology of `input.birth`'s name and date.
///
/// ```
/// use jiff::civil::date;
/// use noesis_core::engines::{numerology, BirthData, CalculationInput};
///
/// let birth = BirthData {
///     name: Some("John Doe".into()),
///     date: date(1999, 9, 9),
///     time: None,
///     zone: None,
///     place: None,
///     instant: None,
/// };
/// let input = CalculationInput { birth: Some(birth), now: jiff::Timestamp::UNIX_EPOCH, location: None, options: Default::default() };
/// let result = numerology::calculate(&input)?;
/// assert_eq!(result.life_path.chain, [19, 10, 1]);
/// assert_eq!((result.expression.value, result.soul_urge.map(|r| r.value)), (8, Some(8)));
/// # Ok::<(), noesis_core::engines::EngineError>(())
/// ```
///
/// # Errors
///
/// [`EngineError::Validation`] when `birth_data.name` or `birth_data.date` is missing, when the
/// name has no letter to count, or when an option is unknown or of the wrong type.
pub fn calculate(input: &CalculationInput) -> Result<NumerologyResult, EngineError> {
    let options: NumerologyOptions = parse_options(&input.options, &META)?;
    let Some(birth) = &input.birth else {
        return Err(EngineError::Validation(vec![
            FieldError::new("birth_data.name", "required: numerology reads the full birth name"),
            FieldError::new("birth_data.date", "required: numerology reads the date of birth (YYYY-MM-DD)"),
        ]));
    };
    let Some(name) = &birth.name else {
        return Err(FieldError::new("birth_data.name", "required: numerology reads the full birth name").into());
    };
    let letters = letters::letters(name);
    if letters.is_empty() {
        return Err(FieldError::new(
            "birth_data.name",
            "has no letter to count: numerology needs Latin letters (A-Z; accented letters count as their base letter)",
        )
        .into());
    }

    let year = reduce(u32::from(birth.date.year().unsigned_abs()));
    let month = reduce(month_or_day(birth.date.month()));
    let day = reduce(month_or_day(birth.date.day()));
    let life_path = reduce(year.value() + month.value() + day.value());

    let y = options.y_as_vowel;
    let expression = reduce(letters.iter().map(|l| l.pythagorean()).sum());
    let chaldean = reduce(letters.iter().map(|l| l.chaldean()).sum());
    // A name may have no vowels ("Lynn") or no consonants ("Aoi"): then that number is absent.
    let part = |vowels: bool| -> Option<Reduction> {
        let mut counted = letters.iter().filter(|l| l.is_vowel(y) == vowels).peekable();
        counted.peek()?;
        Some(reduce(counted.map(|l| l.pythagorean()).sum()))
    };
    let soul_urge = part(true);
    let personality = part(false);

    Ok(NumerologyResult {
        life_path: reading(life_path),
        expression: reading(expression),
        soul_urge: soul_urge.map(reading),
        personality: personality.map(reading),
        birthday: reading(day.clone()),
        chaldean: reading(chaldean),
        life_path_parts: LifePathParts { year: year.chain, month: month.chain, day: day.chain },
        letters: letters.iter().map(|l| l.as_char()).collect(),
        y_as_vowel: y,
    })
}

fn month_or_day(n: i8) -> u32 {
    u32::from(n.unsigned_abs())
}

fn reading(reduction: Reduction) -> NumberReading {
    let value = reduction.value();
    let meaning = meanings::meaning(value);
    NumberReading {
        value,
        master: is_master(value),
        chain: reduction.chain,
        keyword: meaning.keyword,
        meaning: meaning.text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engines::{BirthData, Options};
    use jiff::civil::date;

    fn input(name: Option<&str>, options: serde_json::Value) -> CalculationInput {
        let birth = BirthData {
            name: name.map(str::to_owned),
            date: date(1985, 11, 22),
            time: None,
            zone: None,
            place: None,
            instant: None,
        };
        let options = match options {
            serde_json::Value::Object(map) => map,
            _ => Options::new(),
        };
        CalculationInput { birth: Some(birth), now: jiff::Timestamp::UNIX_EPOCH, location: None, options }
    }

    #[test]
    fn life_path_adds_the_reduced_parts_keeping_masters() {
        let result = calculate(&input(Some("Ann"), serde_json::json!({}))).unwrap();
        assert_eq!(result.life_path_parts, LifePathParts { year: vec![1985, 23, 5], month: vec![11], day: vec![22] });
        assert_eq!(result.life_path.chain, [38, 11]);
        assert!(result.life_path.master);
        assert_eq!(result.birthday.chain, [22]);
    }

    #[test]
    fn a_name_without_vowels_has_no_soul_urge_unless_y_counts() {
        let plain = calculate(&input(Some("Lynn"), serde_json::json!({}))).unwrap();
        assert_eq!(plain.soul_urge, None);
        assert_eq!(plain.personality.map(|r| r.chain), Some(vec![3 + 7 + 5 + 5, 2]));
        let with_y = calculate(&input(Some("Lynn"), serde_json::json!({"y_as_vowel": true}))).unwrap();
        assert_eq!(with_y.soul_urge.map(|r| r.value), Some(7));
        assert_eq!(with_y.personality.map(|r| r.value), Some(4));
    }

    #[test]
    fn options_are_refused_by_name_and_fold_is_left_to_the_parser() {
        let bad = calculate(&input(Some("Ann"), serde_json::json!({"y_as_vowel": "yes", "colour": 1})));
        let Err(EngineError::Validation(errors)) = bad else { panic!("expected a validation error") };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["options.colour", "options.y_as_vowel"]);
        assert!(calculate(&input(Some("Ann"), serde_json::json!({"fold": "earlier"}))).is_ok());
    }
}
