//! The bodygraph: nine centres, the gates each one holds, the 36 channels between them, and what
//! follows from which channels are active (defined centres, type, authority, definition).

use serde::Serialize;

/// One of the nine centres.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Center {
    Head,
    Ajna,
    Throat,
    G,
    Heart,
    Spleen,
    SolarPlexus,
    Sacral,
    Root,
}

impl Center {
    /// The nine centres, top of the body to bottom, in the order results list them.
    pub const ALL: [Center; 9] = [
        Center::Head,
        Center::Ajna,
        Center::Throat,
        Center::G,
        Center::Heart,
        Center::Spleen,
        Center::SolarPlexus,
        Center::Sacral,
        Center::Root,
    ];

    /// The four motors: the centres whose energy, reaching the Throat, makes a body able to act
    /// on its own.
    pub fn is_motor(self) -> bool {
        matches!(self, Center::Sacral | Center::SolarPlexus | Center::Heart | Center::Root)
    }

    /// The gates this centre holds.
    pub fn gates(self) -> &'static [u8] {
        match self {
            Center::Head => &[64, 61, 63],
            Center::Ajna => &[47, 24, 4, 17, 43, 11],
            Center::Throat => &[62, 23, 56, 35, 12, 45, 33, 8, 31, 20, 16],
            Center::G => &[1, 13, 25, 46, 2, 15, 10, 7],
            Center::Heart => &[21, 40, 26, 51],
            Center::Spleen => &[48, 57, 44, 50, 32, 28, 18],
            Center::SolarPlexus => &[36, 22, 37, 6, 49, 55, 30],
            Center::Sacral => &[5, 14, 29, 59, 9, 3, 42, 27, 34],
            Center::Root => &[58, 38, 54, 53, 60, 52, 19, 39, 41],
        }
    }

    /// The centre that holds `gate`, or `None` outside 1-64.
    pub fn of_gate(gate: u8) -> Option<Center> {
        Center::ALL.into_iter().find(|c| c.gates().contains(&gate))
    }

    /// The centre's name in prose (`"Solar Plexus"`).
    pub fn label(self) -> &'static str {
        match self {
            Center::Head => "Head",
            Center::Ajna => "Ajna",
            Center::Throat => "Throat",
            Center::G => "G",
            Center::Heart => "Heart",
            Center::Spleen => "Spleen",
            Center::SolarPlexus => "Solar Plexus",
            Center::Sacral => "Sacral",
            Center::Root => "Root",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// A channel: two gates, one in each of two centres; active when both gates are activated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Channel {
    /// The two gates, lower number first.
    pub gates: [u8; 2],
    /// The centres of `gates[0]` and `gates[1]`.
    pub centers: [Center; 2],
}

impl Channel {
    /// `"low-high"`, e.g. `"23-43"`.
    pub fn name(&self) -> String {
        format!("{}-{}", self.gates[0], self.gates[1])
    }
}

const fn channel(a: u8, center_a: Center, b: u8, center_b: Center) -> Channel {
    Channel { gates: [a, b], centers: [center_a, center_b] }
}

use Center::{Ajna, G, Head, Heart, Root, Sacral, SolarPlexus, Spleen, Throat};

/// The 36 channels, grouped by the centres they join, top to bottom.
pub const CHANNELS: [Channel; 36] = [
    channel(47, Ajna, 64, Head),
    channel(24, Ajna, 61, Head),
    channel(4, Ajna, 63, Head),
    channel(17, Ajna, 62, Throat),
    channel(23, Throat, 43, Ajna),
    channel(11, Ajna, 56, Throat),
    channel(16, Throat, 48, Spleen),
    channel(20, Throat, 57, Spleen),
    channel(20, Throat, 34, Sacral),
    channel(10, G, 20, Throat),
    channel(7, G, 31, Throat),
    channel(1, G, 8, Throat),
    channel(13, G, 33, Throat),
    channel(21, Heart, 45, Throat),
    channel(35, Throat, 36, SolarPlexus),
    channel(12, Throat, 22, SolarPlexus),
    channel(25, G, 51, Heart),
    channel(10, G, 34, Sacral),
    channel(10, G, 57, Spleen),
    channel(5, Sacral, 15, G),
    channel(2, G, 14, Sacral),
    channel(29, Sacral, 46, G),
    channel(26, Heart, 44, Spleen),
    channel(37, SolarPlexus, 40, Heart),
    channel(27, Sacral, 50, Spleen),
    channel(34, Sacral, 57, Spleen),
    channel(6, SolarPlexus, 59, Sacral),
    channel(42, Sacral, 53, Root),
    channel(3, Sacral, 60, Root),
    channel(9, Sacral, 52, Root),
    channel(32, Spleen, 54, Root),
    channel(28, Spleen, 38, Root),
    channel(18, Spleen, 58, Root),
    channel(19, Root, 49, SolarPlexus),
    channel(39, Root, 55, SolarPlexus),
    channel(30, SolarPlexus, 41, Root),
];

/// Energy type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Type {
    Generator,
    ManifestingGenerator,
    Manifestor,
    Projector,
    Reflector,
}

impl Type {
    /// The type's name in prose (`"Manifesting Generator"`).
    pub fn label(self) -> &'static str {
        match self {
            Type::Generator => "Generator",
            Type::ManifestingGenerator => "Manifesting Generator",
            Type::Manifestor => "Manifestor",
            Type::Projector => "Projector",
            Type::Reflector => "Reflector",
        }
    }

    /// The strategy that goes with the type.
    pub fn strategy(self) -> &'static str {
        match self {
            Type::Generator => "To Respond",
            Type::ManifestingGenerator => "To Respond, then Inform",
            Type::Manifestor => "To Inform",
            Type::Projector => "Wait for the Invitation",
            Type::Reflector => "Wait a Lunar Cycle",
        }
    }

    /// The feeling that says the type is living by its strategy.
    pub fn signature(self) -> &'static str {
        match self {
            Type::Generator | Type::ManifestingGenerator => "Satisfaction",
            Type::Manifestor => "Peace",
            Type::Projector => "Success",
            Type::Reflector => "Surprise",
        }
    }

    /// The feeling that says it is not.
    pub fn not_self_theme(self) -> &'static str {
        match self {
            Type::Generator | Type::ManifestingGenerator => "Frustration",
            Type::Manifestor => "Anger",
            Type::Projector => "Bitterness",
            Type::Reflector => "Disappointment",
        }
    }
}

/// Inner authority: how this design best decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Authority {
    Emotional,
    Sacral,
    Splenic,
    Ego,
    SelfProjected,
    Mental,
    Lunar,
}

impl Authority {
    /// The authority's name in prose (`"Self-Projected"`).
    pub fn label(self) -> &'static str {
        match self {
            Authority::Emotional => "Emotional",
            Authority::Sacral => "Sacral",
            Authority::Splenic => "Splenic",
            Authority::Ego => "Ego",
            Authority::SelfProjected => "Self-Projected",
            Authority::Mental => "Mental",
            Authority::Lunar => "Lunar",
        }
    }
}

/// How the defined centres hang together: the number of separate groups they form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Definition {
    None,
    Single,
    Split,
    TripleSplit,
    QuadrupleSplit,
}

/// What the active channels make of the nine centres.
#[derive(Debug, Clone, PartialEq)]
pub struct Bodygraph {
    /// Active channels, in [`CHANNELS`] order.
    pub channels: Vec<Channel>,
    /// Per centre (in [`Center::ALL`] order), the connected group it belongs to, or `None` when
    /// the centre is undefined. Groups are numbered from 0 in order of their first centre.
    group: [Option<usize>; 9],
    groups: usize,
}

impl Bodygraph {
    /// The bodygraph of a set of activated gates (`activated[g]` for gate `g`; index 0 unused).
    pub fn from_gates(activated: &[bool; 65]) -> Bodygraph {
        let channels: Vec<Channel> = CHANNELS
            .iter()
            .copied()
            .filter(|c| activated[c.gates[0] as usize] && activated[c.gates[1] as usize])
            .collect();
        // Label connected groups by flood fill over the active channels.
        let mut group = [None; 9];
        let mut groups = 0;
        for start in Center::ALL {
            let touched = channels.iter().any(|c| c.centers.contains(&start));
            if !touched || group[start.index()].is_some() {
                continue;
            }
            let mut stack = vec![start];
            group[start.index()] = Some(groups);
            while let Some(center) = stack.pop() {
                for c in &channels {
                    let next = match c.centers {
                        [a, b] if a == center => b,
                        [a, b] if b == center => a,
                        _ => continue,
                    };
                    if group[next.index()].is_none() {
                        group[next.index()] = Some(groups);
                        stack.push(next);
                    }
                }
            }
            groups += 1;
        }
        Bodygraph { channels, group, groups }
    }

    /// Whether an active channel touches `center`.
    pub fn is_defined(&self, center: Center) -> bool {
        self.group[center.index()].is_some()
    }

    /// The defined centres, in [`Center::ALL`] order.
    pub fn defined_centers(&self) -> Vec<Center> {
        Center::ALL.into_iter().filter(|&c| self.is_defined(c)).collect()
    }

    /// Whether `a` and `b` are both defined and joined through active channels and defined
    /// centres.
    pub fn connected(&self, a: Center, b: Center) -> bool {
        matches!((self.group[a.index()], self.group[b.index()]), (Some(x), Some(y)) if x == y)
    }

    /// Whether any motor reaches the Throat through defined centres (not only by a channel of
    /// its own: the Root, say, reaches it through the Sacral and the G as well).
    pub fn motor_to_throat(&self) -> bool {
        Center::ALL.into_iter().any(|c| c.is_motor() && self.connected(c, Center::Throat))
    }

    /// The type, by the rules of ENGINES.md.
    pub fn kind(&self) -> Type {
        if self.groups == 0 {
            Type::Reflector
        } else if self.is_defined(Center::Sacral) {
            if self.motor_to_throat() { Type::ManifestingGenerator } else { Type::Generator }
        } else if self.motor_to_throat() {
            Type::Manifestor
        } else {
            Type::Projector
        }
    }

    /// The authority: the first that holds of Solar Plexus, Sacral, Spleen, Heart, G joined to
    /// the Throat, Head or Ajna, and none.
    pub fn authority(&self) -> Authority {
        if self.is_defined(Center::SolarPlexus) {
            Authority::Emotional
        } else if self.is_defined(Center::Sacral) {
            Authority::Sacral
        } else if self.is_defined(Center::Spleen) {
            Authority::Splenic
        } else if self.is_defined(Center::Heart) {
            Authority::Ego
        } else if self.connected(Center::G, Center::Throat) {
            Authority::SelfProjected
        } else if self.is_defined(Center::Head) || self.is_defined(Center::Ajna) {
            Authority::Mental
        } else {
            Authority::Lunar
        }
    }

    /// The definition: how many separate groups the defined centres form.
    pub fn definition(&self) -> Definition {
        match self.groups {
            0 => Definition::None,
            1 => Definition::Single,
            2 => Definition::Split,
            3 => Definition::TripleSplit,
            // Nine centres in groups of at least two make at most four groups.
            _ => Definition::QuadrupleSplit,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gates(list: &[u8]) -> [bool; 65] {
        let mut activated = [false; 65];
        for &g in list {
            activated[g as usize] = true;
        }
        activated
    }

    #[test]
    fn no_channel_is_a_reflector() {
        let graph = Bodygraph::from_gates(&gates(&[1, 3, 64]));
        assert_eq!(graph.kind(), Type::Reflector);
        assert_eq!(graph.authority(), Authority::Lunar);
        assert_eq!(graph.definition(), Definition::None);
        assert!(graph.defined_centers().is_empty());
    }

    #[test]
    fn a_motor_reaches_the_throat_through_other_centres() {
        // Root–Sacral (42-53), Sacral–G (2-14), G–Throat (1-8): Sacral defined and, through the G,
        // joined to the Throat: Manifesting Generator, although no motor has a Throat channel.
        let graph = Bodygraph::from_gates(&gates(&[42, 53, 2, 14, 1, 8]));
        assert_eq!(graph.kind(), Type::ManifestingGenerator);
        assert_eq!(graph.definition(), Definition::Single);
        // Root–Spleen (18-58), Spleen–Throat (16-48): the Root reaches the Throat through the Spleen.
        let graph = Bodygraph::from_gates(&gates(&[18, 58, 16, 48]));
        assert_eq!(graph.kind(), Type::Manifestor);
        assert_eq!(graph.authority(), Authority::Splenic);
    }

    #[test]
    fn self_projected_and_mental_authorities() {
        let graph = Bodygraph::from_gates(&gates(&[1, 8, 4, 63]));
        assert_eq!(graph.kind(), Type::Projector);
        assert_eq!(graph.authority(), Authority::SelfProjected);
        assert_eq!(graph.definition(), Definition::Split);
        let graph = Bodygraph::from_gates(&gates(&[17, 62, 4, 63]));
        assert_eq!(graph.authority(), Authority::Mental);
    }
}
