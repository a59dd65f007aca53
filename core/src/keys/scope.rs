//! What a key may be used for.

use std::fmt;
use std::str::FromStr;

use serde::ser::SerializeSeq;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::KeyAttributeError;

/// One family of routes a key may call: the engines, the workflows, or the admin API.
///
/// ```
/// use noesis_core::keys::Scope;
/// assert_eq!("workflows".parse::<Scope>().unwrap(), Scope::Workflows);
/// assert_eq!(serde_json::to_string(&Scope::Admin).unwrap(), r#""admin""#);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    Engines,
    Workflows,
    Admin,
}

impl Scope {
    /// Every scope, in the order [`Scopes`] lists them.
    pub const ALL: [Scope; 3] = [Scope::Engines, Scope::Workflows, Scope::Admin];

    /// The name used in JSON, the database and the command line.
    pub const fn as_str(self) -> &'static str {
        match self {
            Scope::Engines => "engines",
            Scope::Workflows => "workflows",
            Scope::Admin => "admin",
        }
    }

    const fn bit(self) -> u8 {
        1 << self as u8
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Scope {
    type Err = KeyAttributeError;

    fn from_str(text: &str) -> Result<Scope, KeyAttributeError> {
        Scope::ALL
            .into_iter()
            .find(|scope| scope.as_str() == text)
            .ok_or_else(|| KeyAttributeError::Scope(text.to_owned()))
    }
}

/// The set of scopes a key holds. Written as text as `engines,workflows` (the database column and
/// the command line: [`FromStr`] and `Display`) and in JSON as an array, `["engines","workflows"]`;
/// either way in the order of [`Scope::ALL`], each once.
///
/// ```
/// use noesis_core::keys::{Scope, Scopes};
///
/// let scopes: Scopes = "workflows, engines".parse().unwrap();
/// assert!(scopes.contains(Scope::Engines) && !scopes.contains(Scope::Admin));
/// assert_eq!(scopes.to_string(), "engines,workflows");
/// assert_eq!(serde_json::to_string(&scopes).unwrap(), r#"["engines","workflows"]"#);
/// assert_eq!(scopes, Scopes::STANDARD);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Scopes(u8);

impl Scopes {
    /// No scope at all.
    pub const EMPTY: Scopes = Scopes(0);

    /// What a key is given when its creator names no scopes: the engines and the workflows.
    /// `admin` is never implied; it has to be asked for.
    pub const STANDARD: Scopes = Scopes::EMPTY.with(Scope::Engines).with(Scope::Workflows);

    /// Every scope, `admin` included.
    pub const ALL: Scopes = Scopes::STANDARD.with(Scope::Admin);

    /// This set and `scope`.
    pub const fn with(self, scope: Scope) -> Scopes {
        Scopes(self.0 | scope.bit())
    }

    /// Whether the set holds `scope`.
    pub const fn contains(self, scope: Scope) -> bool {
        self.0 & scope.bit() != 0
    }

    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// How many scopes the set holds.
    pub const fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    /// The scopes held, in the order of [`Scope::ALL`].
    pub fn iter(self) -> impl Iterator<Item = Scope> {
        Scope::ALL.into_iter().filter(move |&scope| self.contains(scope))
    }
}

impl FromIterator<Scope> for Scopes {
    fn from_iter<I: IntoIterator<Item = Scope>>(scopes: I) -> Scopes {
        scopes.into_iter().fold(Scopes::EMPTY, Scopes::with)
    }
}

/// `engines,workflows`: names separated by commas; spaces around a name are ignored, a name given
/// twice counts once, and an empty (or all-space) text is the empty set.
impl FromStr for Scopes {
    type Err = KeyAttributeError;

    fn from_str(text: &str) -> Result<Scopes, KeyAttributeError> {
        if text.trim().is_empty() {
            return Ok(Scopes::EMPTY);
        }
        text.split(',').map(|name| name.trim().parse::<Scope>()).collect()
    }
}

impl fmt::Display for Scopes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, scope) in self.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            f.write_str(scope.as_str())?;
        }
        Ok(())
    }
}

impl fmt::Debug for Scopes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

impl Serialize for Scopes {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.len()))?;
        self.iter().try_for_each(|scope| seq.serialize_element(&scope))?;
        seq.end()
    }
}

impl<'de> Deserialize<'de> for Scopes {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Scopes, D::Error> {
        Ok(Vec::<Scope>::deserialize(deserializer)?.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_parsed_leniently_and_written_canonically() {
        assert_eq!("".parse::<Scopes>(), Ok(Scopes::EMPTY));
        assert_eq!(" admin ,engines,admin".parse::<Scopes>().map(|s| s.to_string()), Ok("engines,admin".into()));
        assert_eq!("engines,workflows,admin".parse::<Scopes>(), Ok(Scopes::ALL));
        assert_eq!("engines,,admin".parse::<Scopes>(), Err(KeyAttributeError::Scope(String::new())));
        assert_eq!("engines,billing".parse::<Scopes>(), Err(KeyAttributeError::Scope("billing".into())));
        assert_eq!(Scopes::EMPTY.to_string(), "");
    }

    #[test]
    fn json_is_an_array() {
        assert_eq!(serde_json::to_string(&Scopes::EMPTY).unwrap(), "[]");
        assert_eq!(serde_json::to_string(&Scopes::ALL).unwrap(), r#"["engines","workflows","admin"]"#);
        let parsed: Scopes = serde_json::from_str(r#"["admin","engines","admin"]"#).unwrap();
        assert_eq!(parsed, Scopes::EMPTY.with(Scope::Admin).with(Scope::Engines));
        assert_eq!(parsed.len(), 2);
        assert!(serde_json::from_str::<Scopes>(r#"["billing"]"#).is_err());
        assert!(serde_json::from_str::<Scopes>(r#""engines""#).is_err());
    }

    #[test]
    fn every_subset_round_trips() {
        for bits in 0..8u8 {
            let scopes: Scopes = Scope::ALL.into_iter().filter(|scope| bits & scope.bit() != 0).collect();
            assert_eq!(scopes.to_string().parse::<Scopes>(), Ok(scopes));
            assert_eq!(serde_json::from_str::<Scopes>(&serde_json::to_string(&scopes).unwrap()).unwrap(), scopes);
            assert_eq!(scopes.is_empty(), bits == 0);
        }
        assert_eq!(format!("{:?}", Scopes::STANDARD), "{Engines, Workflows}");
    }
}
