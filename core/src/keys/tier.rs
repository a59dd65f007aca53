//! The plan a key is on.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::KeyAttributeError;

/// The plan a key (and its owner) is on; it sets the key's default rate limit. Ordered from the
/// smallest plan up. Written in lowercase (`free`, `premium`, `enterprise`) in JSON, the database
/// and the command line; [`Tier::Free`] when a new user names none.
///
/// ```
/// use noesis_core::keys::Tier;
///
/// let tier: Tier = "premium".parse().unwrap();
/// assert_eq!(tier.default_rate_limit_per_minute(), 600);
/// assert_eq!(serde_json::to_string(&tier).unwrap(), r#""premium""#);
/// assert!(Tier::Free < Tier::Enterprise);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    #[default]
    Free,
    Premium,
    Enterprise,
}

impl Tier {
    /// Every tier, smallest first.
    pub const ALL: [Tier; 3] = [Tier::Free, Tier::Premium, Tier::Enterprise];

    /// The name used in JSON, the database and the command line.
    pub const fn as_str(self) -> &'static str {
        match self {
            Tier::Free => "free",
            Tier::Premium => "premium",
            Tier::Enterprise => "enterprise",
        }
    }

    /// Requests per minute a key of this tier may make unless it was created with its own limit
    /// (DESIGN §2: 60, 600, 6000).
    pub const fn default_rate_limit_per_minute(self) -> u32 {
        match self {
            Tier::Free => 60,
            Tier::Premium => 600,
            Tier::Enterprise => 6000,
        }
    }
}

impl fmt::Display for Tier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Tier {
    type Err = KeyAttributeError;

    fn from_str(text: &str) -> Result<Tier, KeyAttributeError> {
        Tier::ALL.into_iter().find(|tier| tier.as_str() == text).ok_or_else(|| KeyAttributeError::Tier(text.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_through_text_and_json() {
        for tier in Tier::ALL {
            assert_eq!(tier.as_str().parse::<Tier>(), Ok(tier));
            assert_eq!(serde_json::to_string(&tier).unwrap(), format!("\"{tier}\""));
            assert_eq!(serde_json::from_str::<Tier>(&format!("\"{tier}\"")).unwrap(), tier);
        }
        assert_eq!("Premium".parse::<Tier>(), Err(KeyAttributeError::Tier("Premium".into())));
        assert!(serde_json::from_str::<Tier>("\"gold\"").is_err());
    }

    #[test]
    fn default_rate_limits_follow_the_design() {
        let limits = Tier::ALL.map(Tier::default_rate_limit_per_minute);
        assert_eq!(limits, [60, 600, 6000]);
        assert_eq!(Tier::default(), Tier::Free);
    }
}
