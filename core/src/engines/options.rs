//! Reading an engine's `options` into its typed options, the same way for every engine.
//!
//! An engine declares its options as a struct that serde reads, with every field optional or
//! defaulted, and documents each key in its `META.inputs` as `options.<key>` (or, for a nested
//! object such as biofield's measurements, as `options.<key>.<inner key>`). [`parse_options`]
//! then refuses every key those inputs do not document and every value serde cannot read, each as
//! its own [`FieldError`] named by its path, so a client can mend them all in one go; the error
//! says what was wrong and what the engine accepts. What serde cannot express (a number's range)
//! stays with the engine, after this.
//!
//! Because the documented inputs decide which keys are known, the option structs need no
//! `deny_unknown_fields`, and an engine that reads a key by hand (face-reading's landmarks,
//! gene-keys' `hd_gates`) simply leaves it out of its struct.

use serde::de::DeserializeOwned;
use serde::de::value::MapDeserializer;
use serde_json::{Map, Value};

use super::{EngineError, EngineMeta, FieldError, Options};

/// Keys the request parser reads and removes before an engine runs (`options.fold`). A caller who
/// builds a [`CalculationInput`](super::CalculationInput) by hand may leave them in; they are not
/// the engine's to refuse.
const REQUEST_OPTIONS: [&str; 1] = ["fold"];

/// The most characters of an unknown key that an error echoes in its `field`.
const SHOWN_KEY_CHARS: usize = 64;

/// Reads `options` into `T`, refusing each key `meta.inputs` does not document and each value of
/// the wrong type or shape as `options.<key>`.
///
/// `T` must read from an empty object (every field optional or defaulted): each bad key is found
/// by reading it alone.
pub(crate) fn parse_options<T: DeserializeOwned>(options: &Options, meta: &EngineMeta) -> Result<T, EngineError> {
    let own = options.iter().filter(|(key, _)| !REQUEST_OPTIONS.contains(&key.as_str()));
    parse_entries(own, "options", meta)
}

/// [`parse_options`] for the object at `path` inside the options (e.g. `options.measurements`),
/// whose keys are documented as `<path>.<key>`.
pub(crate) fn parse_object<T: DeserializeOwned>(
    object: &Map<String, Value>,
    path: &str,
    meta: &EngineMeta,
) -> Result<T, EngineError> {
    parse_entries(object.iter(), path, meta)
}

/// One error for each key of `options` that `meta.inputs` does not document, for an engine that
/// reads its options by hand.
pub(crate) fn unknown_options(options: &Options, meta: &EngineMeta) -> Vec<FieldError> {
    let accepted = Accepted { meta, path: "options" };
    options
        .keys()
        .filter(|key| !REQUEST_OPTIONS.contains(&key.as_str()) && !accepted.knows(key))
        .map(|key| accepted.unknown(key))
        .collect()
}

/// A key as it may be echoed in an error's `field`: cut short, since it is the client's text.
pub(crate) fn shown_key(key: &str) -> String {
    key.chars().take(SHOWN_KEY_CHARS).collect()
}

fn parse_entries<'a, T: DeserializeOwned>(
    entries: impl Iterator<Item = (&'a String, &'a Value)> + Clone,
    path: &str,
    meta: &EngineMeta,
) -> Result<T, EngineError> {
    let accepted = Accepted { meta, path };
    // The common case, every key known and every value good, reads the options once.
    let mut whole_error = None;
    if entries.clone().all(|(key, _)| accepted.knows(key)) {
        match read::<T>(entries.clone()) {
            Ok(parsed) => return Ok(parsed),
            Err(err) => whole_error = Some(err),
        }
    }
    // Otherwise each key on its own, so that each error lands on the key it is about.
    let mut errors: Vec<FieldError> = entries
        .filter_map(|(key, value)| {
            if !accepted.knows(key) {
                return Some(accepted.unknown(key));
            }
            let err = read::<T>(std::iter::once((key, value))).err()?;
            Some(accepted.bad_value(key, &err))
        })
        .collect();
    if let Some(err) = whole_error
        && errors.is_empty()
    {
        // Each key reads alone but not all together: nothing to pin on one key.
        errors.push(FieldError::new(path, err.to_string()));
    }
    Err(EngineError::Validation(errors))
}

/// `T` read from the given entries, borrowing them (the values are not copied).
fn read<'a, T: DeserializeOwned>(
    entries: impl Iterator<Item = (&'a String, &'a Value)>,
) -> Result<T, serde_json::Error> {
    T::deserialize(MapDeserializer::new(entries.map(|(key, value)| (key.as_str(), value))))
}

/// The keys an engine documents under one path, and the errors that name them.
struct Accepted<'m> {
    meta: &'m EngineMeta,
    /// `options`, or a nested object such as `options.measurements`.
    path: &'m str,
}

impl Accepted<'_> {
    /// The documented inputs under the path, each as its key and the rest of its field after the
    /// key (empty unless the input is inside an object at that key).
    fn inputs(&self) -> impl Iterator<Item = (&'static str, &'static str, &'static str)> + '_ {
        self.meta.inputs.iter().filter_map(|input| {
            let below = input.field.strip_prefix(self.path)?.strip_prefix('.')?;
            let (key, rest) = below.split_once('.').unwrap_or((below, ""));
            Some((key, rest, input.description))
        })
    }

    fn knows(&self, key: &str) -> bool {
        self.inputs().any(|(known, _, _)| known == key)
    }

    /// What the engine says `key` is, when it documents the key itself (not only keys inside it).
    fn description(&self, key: &str) -> Option<&'static str> {
        self.inputs()
            .find(|(known, rest, _)| *known == key && rest.is_empty())
            .map(|(_, _, description)| description.trim_end_matches('.'))
    }

    fn unknown(&self, key: &str) -> FieldError {
        let mut keys: Vec<&str> = Vec::new();
        for (known, _, _) in self.inputs() {
            if !keys.contains(&known) {
                keys.push(known);
            }
        }
        let accepts: Vec<String> = keys
            .iter()
            .map(|known| match self.description(known) {
                Some(description) => format!("{}.{known} ({description})", self.path),
                None => format!("{}.{known}", self.path),
            })
            .collect();
        let accepts = if accepts.is_empty() { "no options".to_owned() } else { accepts.join(", ") };
        FieldError::new(
            format!("{}.{}", self.path, shown_key(key)),
            format!("unknown option; the {} engine accepts {accepts}", self.meta.id),
        )
    }

    fn bad_value(&self, key: &str, err: &serde_json::Error) -> FieldError {
        let field = format!("{}.{key}", self.path);
        let message = match self.description(key) {
            Some(description) => format!("{err}; {field}: {description}"),
            None => err.to_string(),
        };
        FieldError::new(field, message)
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde_json::json;

    use super::*;
    use crate::engines::{InputSpec, Level, TimeGranularity};

    const META: EngineMeta = EngineMeta {
        id: "example",
        name: "Example",
        description: "An engine with two options, one of them an object.",
        required_level: Level::MIN,
        version: "1.0.0",
        inputs: &[
            InputSpec { field: "options.days", required: false, description: "days ahead, a whole number." },
            InputSpec { field: "options.extra.colour", required: false, description: "a colour" },
        ],
        time_granularity: TimeGranularity::Timeless,
    };

    #[derive(Debug, Default, PartialEq, Deserialize)]
    struct Example {
        #[serde(default)]
        days: u16,
        extra: Option<Value>,
    }

    fn options(value: Value) -> Options {
        value.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn good_options_are_read_and_absent_ones_defaulted() {
        assert_eq!(parse_options::<Example>(&options(json!({})), &META), Ok(Example::default()));
        let read = parse_options::<Example>(&options(json!({"days": 3, "extra": {"colour": "red"}})), &META);
        assert_eq!(read, Ok(Example { days: 3, extra: Some(json!({"colour": "red"})) }));
    }

    #[test]
    fn every_bad_key_is_named_in_key_order_with_what_is_accepted() {
        let bad = options(json!({"colour": 1, "days": "three", "fold": "later"}));
        let Err(EngineError::Validation(errors)) = parse_options::<Example>(&bad, &META) else { panic!() };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["options.colour", "options.days"]);
        assert_eq!(
            errors[0].message,
            "unknown option; the example engine accepts options.days (days ahead, a whole number), options.extra"
        );
        assert!(errors[1].message.starts_with("invalid type: string \"three\", expected u16"), "{}", errors[1].message);
        assert!(errors[1].message.ends_with("; options.days: days ahead, a whole number"), "{}", errors[1].message);
    }

    #[test]
    fn a_nested_object_is_checked_against_its_own_keys() {
        #[derive(Debug, Deserialize)]
        struct Extra {
            colour: Option<String>,
        }
        let good = parse_object::<Extra>(&options(json!({"colour": "red"})), "options.extra", &META);
        assert_eq!(good.map(|extra| extra.colour), Ok(Some("red".to_owned())));
        let object = options(json!({"colour": 7, "size": 2}));
        let Err(err) = parse_object::<Extra>(&object, "options.extra", &META) else { panic!() };
        assert_eq!(err.fields(), ["options.extra.colour", "options.extra.size"]);
    }

    #[test]
    fn long_unknown_keys_are_cut_short_in_the_field() {
        let key = "k".repeat(100);
        let errors = unknown_options(&options(json!({ key: 1, "days": 2 })), &META);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, format!("options.{}", "k".repeat(64)));
    }
}
