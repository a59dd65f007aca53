//! The caller's consciousness level, 0 to 5: it gates engines and shapes the witness prompts.

use serde::{Deserialize, Serialize};

/// A consciousness level, always within 0..=5.
///
/// ```
/// use noesis_core::engines::Level;
/// assert_eq!(Level::new(3).map(Level::get), Some(3));
/// assert!(Level::new(6).is_none());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Level(u8);

impl Level {
    pub const MIN: Level = Level(0);
    pub const MAX: Level = Level(5);

    /// The level `n`, or `None` beyond 5.
    pub const fn new(n: u8) -> Option<Level> {
        if n <= 5 { Some(Level(n)) } else { None }
    }

    pub const fn get(self) -> u8 {
        self.0
    }

    /// Every level, lowest first.
    pub fn all() -> impl Iterator<Item = Level> {
        (0..=5).map(Level)
    }
}

impl TryFrom<u8> for Level {
    type Error = String;
    fn try_from(n: u8) -> Result<Level, String> {
        Level::new(n).ok_or_else(|| format!("consciousness level {n} is beyond 0-5"))
    }
}

impl From<Level> for u8 {
    fn from(level: Level) -> u8 {
        level.0
    }
}
