//! The 64 Gene Keys: the published shadow, gift and siddhi names of each (facts users know by
//! these words), with a one-line description of the spectrum in our own words.

use crate::engines::human_design::opposite_gate;
use serde::Serialize;

/// One Gene Key: a frequency band from its shadow through its gift to its siddhi.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct GeneKey {
    /// The key's number, the same as the Human Design gate's, 1-64.
    pub key: u8,
    pub shadow: &'static str,
    pub gift: &'static str,
    pub siddhi: &'static str,
    /// The spectrum from shadow to siddhi, in a sentence of our own.
    pub description: &'static str,
}

/// The Gene Key numbered `key`, or `None` outside 1-64.
///
/// ```
/// use noesis_core::engines::gene_keys::gene_key;
///
/// let key = gene_key(4).unwrap();
/// assert_eq!((key.shadow, key.gift, key.siddhi), ("Intolerance", "Understanding", "Forgiveness"));
/// assert!(gene_key(0).is_none());
/// ```
pub fn gene_key(key: u8) -> Option<&'static GeneKey> {
    GENE_KEYS.get(usize::from(key).checked_sub(1)?)
}

/// The programming partner of `key`: the key directly across the wheel, 180° away (where the
/// Earth stands when the Sun is in `key`). Partnership is mutual.
///
/// ```
/// use noesis_core::engines::gene_keys::programming_partner;
///
/// assert_eq!(programming_partner(1), Some(2));
/// assert_eq!(programming_partner(2), Some(1));
/// ```
pub fn programming_partner(key: u8) -> Option<u8> {
    opposite_gate(key)
}

const fn k(
    key: u8,
    shadow: &'static str,
    gift: &'static str,
    siddhi: &'static str,
    description: &'static str,
) -> GeneKey {
    GeneKey { key, shadow, gift, siddhi, description }
}

/// All 64, in key order (`GENE_KEYS[n - 1]` is key `n`).
pub const GENE_KEYS: [GeneKey; 64] = [
    k(
        1,
        "Entropy",
        "Freshness",
        "Beauty",
        "Creative energy that goes flat while it waits for the right mood, wakes when it follows its own odd new \
         impulse, and at its height lets beauty show through whatever it touches.",
    ),
    k(
        2,
        "Dislocation",
        "Orientation",
        "Unity",
        "The ache of being out of place, turned into a quiet inner compass for the next step, and finally into the \
         sense that there was never a separate traveller.",
    ),
    k(
        3,
        "Chaos",
        "Innovation",
        "Innocence",
        "The disorder at the start of anything new; met with play it becomes invention, and under both lies a fresh, \
         unguarded innocence.",
    ),
    k(
        4,
        "Intolerance",
        "Understanding",
        "Forgiveness",
        "A restless mind that rejects what does not fit its answers, ripening into patient understanding of \
         patterns, and at last into a forgiveness that needs no reason.",
    ),
    k(
        5,
        "Impatience",
        "Patience",
        "Timelessness",
        "Pushing against the rhythm of things, learning to trust natural timing, and resting where time no longer \
         presses at all.",
    ),
    k(
        6,
        "Conflict",
        "Diplomacy",
        "Peace",
        "Friction at the emotional edges between people, softened by tact and timing into understanding, and \
         beyond that a peace that does not depend on agreement.",
    ),
    k(
        7,
        "Division",
        "Guidance",
        "Virtue",
        "Taking sides and splitting groups apart; leading by serving what the group truly needs; goodness that is no \
         longer a role anyone plays.",
    ),
    k(
        8,
        "Mediocrity",
        "Style",
        "Exquisiteness",
        "Fitting in by dimming what is unusual, then daring to contribute in one's own manner, until a refined \
         delight shines in every detail.",
    ),
    k(
        9,
        "Inertia",
        "Determination",
        "Invincibility",
        "Being stalled or scattered by small things, gathering into steady focus on the next small step, and \
         resting in a strength nothing wears down.",
    ),
    k(
        10,
        "Self-Obsession",
        "Naturalness",
        "Being",
        "Constantly watching and correcting oneself, easing into simply behaving as one is, and finally pure being \
         with no self left to improve.",
    ),
    k(
        11,
        "Obscurity",
        "Idealism",
        "Light",
        "Getting lost among inner images and fantasies, carrying ideals that lift others, and the mind turning \
         transparent to its own light.",
    ),
    k(
        12,
        "Vanity",
        "Discrimination",
        "Purity",
        "Speaking in order to be admired, choosing words and company with care, and an open heart that nothing can \
         stain.",
    ),
    k(
        13,
        "Discord",
        "Discernment",
        "Empathy",
        "Hearing others through the noise of one's own stories, then listening that sorts truth from drama, then \
         feeling with everyone at once.",
    ),
    k(
        14,
        "Compromise",
        "Competence",
        "Bounteousness",
        "Spending energy on work that does not fit, skill that grows once effort follows passion, and an abundance \
         that flows on to all.",
    ),
    k(
        15,
        "Dullness",
        "Magnetism",
        "Florescence",
        "Flat, rhythmless days; the warm pull of someone living fully in their own extremes; life blooming through \
         every season.",
    ),
    k(
        16,
        "Indifference",
        "Versatility",
        "Mastery",
        "Half-hearted interest that never deepens, enthusiasm that grows many skills, and a mastery that has become \
         effortless.",
    ),
    k(
        17,
        "Opinion",
        "Far-Sightedness",
        "Omniscience",
        "Defending fixed views, then a mind that sees the long arc of things, then knowing without needing to hold a \
         view.",
    ),
    k(
        18,
        "Judgement",
        "Integrity",
        "Perfection",
        "Finding fault as a reflex, correcting what is out of balance with honesty and care, and seeing at last that \
         nothing was ever broken.",
    ),
    k(
        19,
        "Co-Dependence",
        "Sensitivity",
        "Sacrifice",
        "Needing and being needed too tightly, a fine attunement to what others need, and giving oneself freely with \
         nothing lost.",
    ),
    k(
        20,
        "Superficiality",
        "Self-Assurance",
        "Presence",
        "Skimming across the surface of each moment, the calm confidence of actually being here, and presence itself.",
    ),
    k(
        21,
        "Control",
        "Authority",
        "Valour",
        "Grasping at control of people and resources, taking rightful charge of one's own domain, and a courage that \
         serves the whole.",
    ),
    k(
        22,
        "Dishonour",
        "Graciousness",
        "Grace",
        "Cutting oneself off from feeling, a warm openness to every emotion and every person, and a grace that meets \
         suffering as it is.",
    ),
    k(
        23,
        "Complexity",
        "Simplicity",
        "Quintessence",
        "Explaining more than anyone can take in, saying the essential plainly, and the one thing beyond words.",
    ),
    k(
        24,
        "Addiction",
        "Invention",
        "Silence",
        "Thoughts looping in old grooves, a mind that finds new answers by circling back, and the quiet where \
         thinking rests.",
    ),
    k(
        25,
        "Constriction",
        "Acceptance",
        "Universal Love",
        "Shrinking from life's wounds, opening to whatever comes, hurt included, and a love that leaves nothing out.",
    ),
    k(
        26,
        "Pride",
        "Artfulness",
        "Invisibility",
        "Overselling oneself to be valued, the skilful and honest use of persuasion, and working so cleanly that the \
         worker disappears.",
    ),
    k(
        27,
        "Selfishness",
        "Altruism",
        "Selflessness",
        "Caring only for one's own, care that naturally spills beyond the self, and no line left between self and \
         others.",
    ),
    k(
        28,
        "Purposelessness",
        "Totality",
        "Immortality",
        "Living half-way for fear of the end, throwing oneself wholly into what matters, and meeting death without \
         fear.",
    ),
    k(
        29,
        "Half-Heartedness",
        "Commitment",
        "Devotion",
        "Agreeing to too much and finishing little, saying yes with the whole body, and a surrender that holds \
         nothing back.",
    ),
    k(
        30,
        "Desire",
        "Lightness",
        "Rapture",
        "Wants that burn and never settle, longing held lightly and with humour, and a fire that consumes the one \
         who burns.",
    ),
    k(
        31,
        "Arrogance",
        "Leadership",
        "Humility",
        "Speaking down from a position, influence earned by voicing what people need, and the humility that lets \
         others lead.",
    ),
    k(
        32,
        "Failure",
        "Preservation",
        "Veneration",
        "Fear of failing and of losing what one has, knowing what is worth keeping and tending it, and reverence \
         for the continuity of life.",
    ),
    k(
        33,
        "Forgetting",
        "Mindfulness",
        "Revelation",
        "Withdrawing and losing the thread of past lessons, a retreat that remembers and digests, and the deepest \
         secrets laid open.",
    ),
    k(
        34,
        "Force",
        "Strength",
        "Majesty",
        "Pushing by will alone, power that moves from the body's own rhythm, and the quiet majesty of life acting \
         through itself.",
    ),
    k(
        35,
        "Hunger",
        "Adventure",
        "Boundlessness",
        "A restless craving for the next new thing, exploring for the joy of it, and wonder without limit.",
    ),
    k(
        36,
        "Turbulence",
        "Humanity",
        "Compassion",
        "Being thrown about by emotional storms, meeting crisis with warmth and shared experience, and a compassion \
         born of having lived it.",
    ),
    k(
        37,
        "Weakness",
        "Equality",
        "Tenderness",
        "Bargaining for affection, fairness and friendship among equals, and a softness that holds the whole family \
         of life.",
    ),
    k(
        38,
        "Struggle",
        "Perseverance",
        "Honour",
        "Fighting battles that are not one's own, keeping on for what truly matters, and honour that is lived rather \
         than claimed.",
    ),
    k(
        39,
        "Provocation",
        "Dynamism",
        "Liberation",
        "Poking at others to feel alive, energy that stirs people out of stagnation, and freedom from every inner \
         knot.",
    ),
    k(
        40,
        "Exhaustion",
        "Resolve",
        "Divine Will",
        "Working on past the point of rest, the clear will that knows when to stand apart and recover, and a will \
         beyond the personal.",
    ),
    k(
        41,
        "Fantasy",
        "Anticipation",
        "Emanation",
        "Living in the dream of a better later, sensing and seeding new cycles, and the source itself shining \
         outward.",
    ),
    k(
        42,
        "Expectation",
        "Detachment",
        "Celebration",
        "Clinging to how things should turn out, letting cycles end in their own time, and celebrating every ending \
         as a beginning.",
    ),
    k(
        43,
        "Deafness",
        "Insight",
        "Epiphany",
        "Not being heard, or not hearing; a sudden clear knowing that breaks through; the breakthrough of awareness \
         itself.",
    ),
    k(
        44,
        "Interference",
        "Teamwork",
        "Synarchy",
        "Bringing old patterns into every new meeting, sensing who belongs together and how, and the natural order \
         of people in harmony.",
    ),
    k(
        45,
        "Dominance",
        "Synergy",
        "Communion",
        "Ruling over people and resources, sharing them so the whole grows richer, and a communion in which all \
         belong.",
    ),
    k(
        46,
        "Seriousness",
        "Delight",
        "Ecstasy",
        "Carrying the body like a heavy task, enjoying the physical with lightness and good fortune, and rapture in \
         simply being embodied.",
    ),
    k(
        47,
        "Oppression",
        "Transmutation",
        "Transfiguration",
        "A mind weighed down trying to make sense of the past, heaviness left to turn itself into understanding, and \
         a complete change of form.",
    ),
    k(
        48,
        "Inadequacy",
        "Resourcefulness",
        "Wisdom",
        "The fear of not knowing enough, drawing on inner depth at the moment it is needed, and wisdom as the depth \
         of not-knowing.",
    ),
    k(
        49,
        "Reaction",
        "Revolution",
        "Rebirth",
        "Rejecting others before they can reject us, change that serves principle rather than grievance, and a \
         complete renewal of life.",
    ),
    k(
        50,
        "Corruption",
        "Equilibrium",
        "Harmony",
        "Values bending under pressure, keeping one's own needs and others' in balance, and a harmony that holds the \
         whole.",
    ),
    k(
        51,
        "Agitation",
        "Initiative",
        "Awakening",
        "Unsettled competitiveness and shock, the nerve to leap first, and being woken by life's jolts.",
    ),
    k(
        52,
        "Stress",
        "Restraint",
        "Stillness",
        "Pressure to act before the time is right, holding energy back until it is, and a stillness that moves \
         everything around it.",
    ),
    k(
        53,
        "Immaturity",
        "Expansion",
        "Superabundance",
        "Starting much and finishing little, growth that follows its natural stages, and an overflowing abundance.",
    ),
    k(
        54,
        "Greed",
        "Aspiration",
        "Ascension",
        "Ambition for gain alone, a drive that seeks to lift oneself and others, and a rising beyond ambition.",
    ),
    k(
        55,
        "Victimisation",
        "Freedom",
        "Freedom",
        "Blaming circumstances for one's moods, emotional freedom found by accepting each wave, and freedom itself.",
    ),
    k(
        56,
        "Distraction",
        "Enrichment",
        "Intoxication",
        "Chasing stimulation to avoid depth, stories and experiences that enrich others, and being drunk on life \
         itself.",
    ),
    k(
        57,
        "Unease",
        "Intuition",
        "Clarity",
        "A low hum of fear about what may come, a clear inner hearing in the present moment, and clarity that sees \
         straight through.",
    ),
    k(
        58,
        "Dissatisfaction",
        "Vitality",
        "Bliss",
        "A restless urge to fix everything, joyful energy given to making things better, and a bliss that needs no \
         improving.",
    ),
    k(
        59,
        "Dishonesty",
        "Intimacy",
        "Transparency",
        "Hiding oneself to stay safe, the closeness that comes from openness, and a transparency with nothing left to \
         hide.",
    ),
    k(
        60,
        "Limitation",
        "Realism",
        "Justice",
        "Chafing against limits, working creatively inside the given form, and the justice of all things in their \
         place.",
    ),
    k(
        61,
        "Psychosis",
        "Inspiration",
        "Sanctity",
        "The mind straining to know the unknowable, insight that arrives from beyond thinking, and holiness found in \
         the ordinary.",
    ),
    k(
        62,
        "Intellect",
        "Precision",
        "Impeccability",
        "Drowning meaning in detail, the right word and fact precisely placed, and a clarity without a single flaw.",
    ),
    k(
        63,
        "Doubt",
        "Inquiry",
        "Truth",
        "Suspicion turned against oneself, questions asked out of curiosity, and the truth beneath every question.",
    ),
    k(
        64,
        "Confusion",
        "Imagination",
        "Illumination",
        "Trying to solve the mind's pictures, letting images play without grasping them, and a sudden flooding \
         light.",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_in_key_order() {
        for (i, key) in GENE_KEYS.iter().enumerate() {
            assert_eq!(usize::from(key.key), i + 1);
        }
    }
}
