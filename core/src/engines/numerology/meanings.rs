//! What each number stands for, in our own words.

/// A number's short name and a few sentences on what it points to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Meaning {
    pub(super) keyword: &'static str,
    pub(super) text: &'static str,
}

/// The meaning of a reduced number: 1-9, 11, 22 or 33. Reduction yields nothing else; anything
/// else gets a neutral text rather than a panic.
pub(super) fn meaning(value: u32) -> Meaning {
    let (keyword, text) = match value {
        1 => (
            "Initiator",
            "The urge to begin. Self-reliance, a readiness to go first and to act on your own judgement; the work \
             is to lead without shutting other people out.",
        ),
        2 => (
            "Mediator",
            "Life through relationship. Tact, patience and a fine sense for what passes between people; the work \
             is to stay whole while staying close.",
        ),
        3 => (
            "Expresser",
            "Joy that wants an audience. Words, play, colour and making things; the work is to carry a bright \
             start through to something finished.",
        ),
        4 => (
            "Builder",
            "Steady hands. Order, method and trust in what can be measured and repeated; the work is to let \
             structure serve life rather than stand in for it.",
        ),
        5 => (
            "Explorer",
            "Hunger for the new. Movement, variety and learning by direct experience; the work is to find a \
             freedom that does not depend on always leaving.",
        ),
        6 => (
            "Caretaker",
            "The pull of home and duty. Responsibility, beauty and setting things right for others; the work is \
             to care without needing to control how it turns out.",
        ),
        7 => (
            "Seeker",
            "The inward turn. Questions, study and testing what others take for granted; the work is to trust \
             what is found in solitude and still share it.",
        ),
        8 => (
            "Steward",
            "Power in the material world. Ambition, judgement and results that can be counted; the work is to \
             measure success by what it makes possible for others as well.",
        ),
        9 => (
            "Completer",
            "The wide view. Compassion, idealism and a wish to give back; the work is to let chapters end \
             gracefully and to serve without keeping score.",
        ),
        11 => (
            "Illuminator",
            "A master number, the 2 raised. Strong intuition and a sensitivity that is both gift and strain; the \
             work is to ground inspiration in ordinary days.",
        ),
        22 => (
            "Master Builder",
            "A master number, the 4 raised. Large visions joined to the patience to give them form; the work is \
             to build for many without being crushed by the scale.",
        ),
        33 => (
            "Master Teacher",
            "A master number, the 6 raised. Care that teaches by example; the work is to serve from fullness \
             rather than from self-sacrifice.",
        ),
        _ => ("Unreduced", "A number outside the reduced set 1-9, 11, 22, 33; it carries no traditional reading."),
    };
    Meaning { keyword, text }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reduced_number_has_its_own_meaning() {
        let numbers = [1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 22, 33];
        let keywords: std::collections::BTreeSet<_> = numbers.iter().map(|&n| meaning(n).keyword).collect();
        assert_eq!(keywords.len(), numbers.len());
        assert!(!keywords.contains("Unreduced"));
    }
}
