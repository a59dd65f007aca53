//! The public name of a key.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use uuid::Uuid;

use super::KeyAttributeError;

/// A key's id: a UUID, public (it names the key in admin routes, listings and audit events, never
/// grants anything). Written in the hyphenated form, lowercase; [`KeyId::parse`] takes that form
/// only (either case), so each key has one spelling in URLs.
///
/// ```
/// use noesis_core::keys::KeyId;
///
/// let id = KeyId::parse("67E55044-10B1-426F-9247-BB680E5FE0C8").unwrap();
/// assert_eq!(id.to_string(), "67e55044-10b1-426f-9247-bb680e5fe0c8");
/// assert!(KeyId::parse("67e5504410b1426f9247bb680e5fe0c8").is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyId(Uuid);

impl KeyId {
    /// Reads the 36-character hyphenated form of a UUID.
    pub fn parse(text: &str) -> Result<KeyId, KeyAttributeError> {
        if text.len() != 36 {
            return Err(KeyAttributeError::KeyId);
        }
        Uuid::try_parse(text).map(KeyId).map_err(|_| KeyAttributeError::KeyId)
    }

    /// A new random (version 4) id from 16 bytes of the caller's CSPRNG: the core draws no random
    /// numbers itself.
    ///
    /// ```
    /// use noesis_core::keys::KeyId;
    /// assert_eq!(KeyId::from_random_bytes([0xFF; 16]).to_string(), "ffffffff-ffff-4fff-bfff-ffffffffffff");
    /// ```
    pub const fn from_random_bytes(random: [u8; 16]) -> KeyId {
        KeyId(uuid::Builder::from_random_bytes(random).into_uuid())
    }

    /// The UUID, for a database column of that type.
    pub const fn as_uuid(&self) -> &Uuid {
        &self.0
    }
}

impl From<Uuid> for KeyId {
    fn from(uuid: Uuid) -> KeyId {
        KeyId(uuid)
    }
}

impl From<KeyId> for Uuid {
    fn from(id: KeyId) -> Uuid {
        id.0
    }
}

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0.hyphenated(), f)
    }
}

impl FromStr for KeyId {
    type Err = KeyAttributeError;

    fn from_str(text: &str) -> Result<KeyId, KeyAttributeError> {
        KeyId::parse(text)
    }
}

impl Serialize for KeyId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for KeyId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<KeyId, D::Error> {
        let text = String::deserialize(deserializer)?;
        KeyId::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_hyphenated_form_is_read() {
        let text = "67e55044-10b1-426f-9247-bb680e5fe0c8";
        assert_eq!(KeyId::parse(text).map(|id| id.to_string()), Ok(text.to_owned()));
        for other in [
            "{67e55044-10b1-426f-9247-bb680e5fe0c8}",
            "urn:uuid:67e55044-10b1-426f-9247-bb680e5fe0c8",
            "67e55044-10b1-426f-9247-bb680e5fe0cg",
            "67e55044+10b1-426f-9247-bb680e5fe0c8",
            "",
        ] {
            assert_eq!(KeyId::parse(other), Err(KeyAttributeError::KeyId), "{other}");
        }
    }

    #[test]
    fn random_ids_are_version_4_and_json_is_the_text() {
        let id = KeyId::from_random_bytes([3; 16]);
        assert_eq!(id.as_uuid().get_version_num(), 4);
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, format!("\"{id}\""));
        assert_eq!(serde_json::from_str::<KeyId>(&json).unwrap(), id);
        assert!(serde_json::from_str::<KeyId>("\"not-a-uuid\"").is_err());
    }
}
