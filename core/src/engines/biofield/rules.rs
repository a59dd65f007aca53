//! The chakras, what in the chart speaks for each, and the points each chart fact is worth.
//! The module docs of [`super`] give the same rules as a table.

use super::chart::{Aspect, Dignity};
use super::measurements::MeasuredValue;
use super::{AspectHit, Placement};
use crate::ephemeris::Body;
use serde::Serialize;

/// The seven chakras, root to crown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ChakraName {
    Muladhara,
    Svadhisthana,
    Manipura,
    Anahata,
    Vishuddha,
    Ajna,
    Sahasrara,
}

/// What ties a chakra to the chart.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChakraRule {
    pub name: ChakraName,
    pub english: &'static str,
    /// The classical planet whose condition the chakra follows.
    pub ruler: Body,
    /// The houses whose occupancy counts for it.
    pub houses: &'static [u8],
}

/// The correspondences, our convention: one classical planet per chakra by theme (Saturn: weight
/// and structure; Jupiter: growth and enjoyment; Mars: will; Venus: love; Mercury: speech; Moon:
/// perception and reflection; Sun: the self's own light), and the twelve houses shared out by
/// theme, each house once (2 resources and 4 home for the root, 5 pleasure and 8 intimacy for the
/// sacral, 1 self and 10 vocation for the solar plexus, 7 partners and 11 friends for the heart,
/// 3 speech and 6 craft for the throat, 9 vision for the brow, 12 surrender for the crown).
pub const CHAKRAS: [ChakraRule; 7] = [
    ChakraRule { name: ChakraName::Muladhara, english: "root", ruler: Body::Saturn, houses: &[2, 4] },
    ChakraRule { name: ChakraName::Svadhisthana, english: "sacral", ruler: Body::Jupiter, houses: &[5, 8] },
    ChakraRule { name: ChakraName::Manipura, english: "solar plexus", ruler: Body::Mars, houses: &[1, 10] },
    ChakraRule { name: ChakraName::Anahata, english: "heart", ruler: Body::Venus, houses: &[7, 11] },
    ChakraRule { name: ChakraName::Vishuddha, english: "throat", ruler: Body::Mercury, houses: &[3, 6] },
    ChakraRule { name: ChakraName::Ajna, english: "third eye", ruler: Body::Moon, houses: &[9] },
    ChakraRule { name: ChakraName::Sahasrara, english: "crown", ruler: Body::Sun, houses: &[12] },
];

/// Every chakra starts here before the chart's factors are added.
pub const BASELINE: f64 = 50.0;
/// The weight of the measured index when measurements touch a chakra.
pub const MEASURED_WEIGHT: f64 = 0.3;
/// Caps on the sum of aspect points: natal ±20, transit ±10.
pub const NATAL_ASPECT_CAP: f64 = 20.0;
pub const TRANSIT_ASPECT_CAP: f64 = 10.0;
/// Cap on the house points, ±15.
pub const HOUSE_CAP: f64 = 15.0;

/// Points for the ruler's dignity at birth.
pub fn natal_dignity_points(dignity: Dignity) -> f64 {
    match dignity {
        Dignity::Domicile => 15.0,
        Dignity::Exaltation => 10.0,
        Dignity::Peregrine => 0.0,
        Dignity::Detriment => -10.0,
        Dignity::Fall => -15.0,
    }
}

/// Points for the ruler's dignity in the sky at `current_time`.
pub fn transit_dignity_points(dignity: Dignity) -> f64 {
    match dignity {
        Dignity::Domicile => 5.0,
        Dignity::Exaltation => 4.0,
        Dignity::Peregrine => 0.0,
        Dignity::Detriment => -4.0,
        Dignity::Fall => -5.0,
    }
}

/// Points for a natal aspect to the ruler.
pub fn natal_aspect_points(aspect: Aspect) -> f64 {
    match aspect {
        Aspect::Conjunction => 2.0,
        Aspect::Sextile => 3.0,
        Aspect::Trine => 5.0,
        Aspect::Square | Aspect::Opposition => -4.0,
    }
}

/// Points for a transiting body's aspect to the natal ruler.
pub fn transit_aspect_points(aspect: Aspect) -> f64 {
    match aspect {
        Aspect::Conjunction | Aspect::Sextile => 2.0,
        Aspect::Trine => 3.0,
        Aspect::Square | Aspect::Opposition => -3.0,
    }
}

/// One chart fact and what it adds to a chakra's score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Factor {
    /// `natal_dignity`, `natal_aspect`, `natal_aspect_cap`, `houses`, `transit_dignity`,
    /// `transit_aspect`, `transit_aspect_cap` or `range`.
    pub rule: &'static str,
    /// The chart fact in words, e.g. "natal Saturn in Capricorn: domicile".
    pub detail: String,
    pub points: f64,
}

/// The chart's part of a chakra's score: 50 plus its factors, kept within 0-100 (a `range`
/// factor records any trimming, so the factors always add up to `chart_score − 50`).
pub fn chart_factors(
    rule: &ChakraRule,
    natal: &[Placement],
    transits: &[Placement],
    natal_aspects: &[AspectHit],
    transit_aspects: &[AspectHit],
    houses_known: bool,
) -> (f64, Vec<Factor>) {
    let mut factors = Vec::new();
    let ruler = name(rule.ruler);

    if let Some(p) = natal.iter().find(|p| p.body == rule.ruler)
        && let Some(dignity) = p.dignity
    {
        factors.push(Factor {
            rule: "natal_dignity",
            detail: format!("natal {ruler} in {}: {}", p.sign, dignity.name()),
            points: natal_dignity_points(dignity),
        });
    }

    let mut sum = 0.0;
    for hit in natal_aspects.iter().filter(|h| h.first == rule.ruler || h.second == rule.ruler) {
        let other = if hit.first == rule.ruler { hit.second } else { hit.first };
        let points = natal_aspect_points(hit.aspect);
        sum += points;
        factors.push(Factor {
            rule: "natal_aspect",
            detail: format!("natal {ruler} {} natal {} (orb {:.1}°)", hit.aspect.verb(), name(other), hit.orb_deg),
            points,
        });
    }
    cap(&mut factors, sum, NATAL_ASPECT_CAP, "natal_aspect_cap", "natal aspect points");

    if houses_known {
        let inside: Vec<&Placement> =
            natal.iter().filter(|p| p.house.is_some_and(|h| rule.houses.contains(&h))).collect();
        let n = inside.len() as f64;
        let k = rule.houses.len() as f64;
        // 6 points per body above the even share of 10 bodies over 12 houses: 6 · (n − 10k/12).
        let points = (6.0 * n - 5.0 * k).clamp(-HOUSE_CAP, HOUSE_CAP);
        let houses = rule.houses.iter().map(u8::to_string).collect::<Vec<_>>().join(" and ");
        let who = if inside.is_empty() {
            "none".to_owned()
        } else {
            inside.iter().map(|p| name(p.body)).collect::<Vec<_>>().join(", ")
        };
        factors.push(Factor {
            rule: "houses",
            detail: format!(
                "{} natal {} in houses {houses} ({who}); {:.2} is an even share",
                inside.len(),
                if inside.len() == 1 { "body" } else { "bodies" },
                10.0 * k / 12.0
            ),
            points,
        });
    }

    if let Some(p) = transits.iter().find(|p| p.body == rule.ruler)
        && let Some(dignity) = p.dignity
    {
        factors.push(Factor {
            rule: "transit_dignity",
            detail: format!("{ruler} now in {}: {}", p.sign, dignity.name()),
            points: transit_dignity_points(dignity),
        });
    }

    let mut sum = 0.0;
    for hit in transit_aspects.iter().filter(|h| h.second == rule.ruler) {
        let points = transit_aspect_points(hit.aspect);
        sum += points;
        factors.push(Factor {
            rule: "transit_aspect",
            detail: format!("{} now {} natal {ruler} (orb {:.1}°)", name(hit.first), hit.aspect.verb(), hit.orb_deg),
            points,
        });
    }
    cap(&mut factors, sum, TRANSIT_ASPECT_CAP, "transit_aspect_cap", "transit aspect points");

    let raw = BASELINE + factors.iter().map(|f| f.points).sum::<f64>();
    let score = raw.clamp(0.0, 100.0);
    if score != raw {
        factors.push(Factor {
            rule: "range",
            detail: format!("{raw} trimmed to the 0-100 scale"),
            points: score - raw,
        });
    }
    (score, factors)
}

fn cap(factors: &mut Vec<Factor>, sum: f64, limit: f64, rule: &'static str, what: &str) {
    let capped = sum.clamp(-limit, limit);
    if capped != sum {
        factors.push(Factor { rule, detail: format!("{what} {sum} capped at {capped}"), points: capped - sum });
    }
}

/// The final score: the chart score alone, or 70 % of it and 30 % of the mean index of the
/// measurements that touch this chakra.
pub fn blend(chart_score: f64, measured: &[&MeasuredValue]) -> f64 {
    if measured.is_empty() {
        return chart_score;
    }
    let index = measured.iter().map(|m| m.index).sum::<f64>() / measured.len() as f64;
    (1.0 - MEASURED_WEIGHT) * chart_score + MEASURED_WEIGHT * index
}

/// `low` below 40, `high` above 60, else `balanced`.
pub fn state(score: f64) -> &'static str {
    if score < 40.0 {
        "low"
    } else if score > 60.0 {
        "high"
    } else {
        "balanced"
    }
}

/// A body's name as written in factor details.
pub fn name(body: Body) -> &'static str {
    match body {
        Body::Sun => "Sun",
        Body::Moon => "Moon",
        Body::Mercury => "Mercury",
        Body::Venus => "Venus",
        Body::Mars => "Mars",
        Body::Jupiter => "Jupiter",
        Body::Saturn => "Saturn",
        Body::Uranus => "Uranus",
        Body::Neptune => "Neptune",
        Body::Pluto => "Pluto",
        Body::TrueNode => "North Node",
        Body::MeanNode => "mean North Node",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_house_belongs_to_exactly_one_chakra() {
        let mut seen = [0; 13];
        for rule in CHAKRAS {
            for &h in rule.houses {
                seen[h as usize] += 1;
            }
        }
        assert!(seen[1..].iter().all(|&n| n == 1), "{seen:?}");
    }

    #[test]
    fn each_classical_planet_rules_one_chakra() {
        let rulers: Vec<Body> = CHAKRAS.iter().map(|c| c.ruler).collect();
        for body in [Body::Sun, Body::Moon, Body::Mercury, Body::Venus, Body::Mars, Body::Jupiter, Body::Saturn] {
            assert_eq!(rulers.iter().filter(|&&r| r == body).count(), 1);
        }
    }

    fn at(body: Body, longitude_deg: f64, house: Option<u8>) -> Placement {
        let sign = crate::engines::biofield::chart::sign_of(longitude_deg);
        Placement {
            body,
            longitude_deg,
            sign: crate::engines::biofield::SIGNS[sign],
            dignity: crate::engines::biofield::dignity(body, sign),
            house,
            retrograde: false,
        }
    }

    fn hit(first: Body, second: Body, aspect: Aspect, orb_deg: f64) -> AspectHit {
        AspectHit { first, second, aspect, orb_deg }
    }

    /// Saturn in Capricorn (+15) trine the Sun (+5) and square the Moon (−4); three bodies in
    /// houses 2 and 4 (6·3 − 5·2 = +8); Saturn now in Pisces (peregrine, 0) with transiting Mars
    /// on it (+2): 50 + 15 + 5 − 4 + 8 + 0 + 2 = 76.
    #[test]
    fn muladhara_adds_up_by_the_documented_rules() {
        let natal = [
            at(Body::Saturn, 280.0, Some(2)),
            at(Body::Sun, 40.0, Some(4)),
            at(Body::Moon, 190.0, Some(11)),
            at(Body::Venus, 50.0, Some(4)),
        ];
        let transits = [at(Body::Saturn, 340.0, None), at(Body::Mars, 282.0, None)];
        let natal_aspects =
            [hit(Body::Sun, Body::Saturn, Aspect::Trine, 0.0), hit(Body::Moon, Body::Saturn, Aspect::Square, 0.0)];
        let transit_aspects = [hit(Body::Mars, Body::Saturn, Aspect::Conjunction, 2.0)];
        let (score, factors) = chart_factors(&CHAKRAS[0], &natal, &transits, &natal_aspects, &transit_aspects, true);
        assert_eq!(score, 76.0);
        let points: Vec<(&str, f64)> = factors.iter().map(|f| (f.rule, f.points)).collect();
        assert_eq!(
            points,
            [
                ("natal_dignity", 15.0),
                ("natal_aspect", 5.0),
                ("natal_aspect", -4.0),
                ("houses", 8.0),
                ("transit_dignity", 0.0),
                ("transit_aspect", 2.0)
            ]
        );
        assert_eq!(factors[0].detail, "natal Saturn in Capricorn: domicile");
        // Without a place there is no house factor.
        let (score, _) = chart_factors(&CHAKRAS[0], &natal, &transits, &natal_aspects, &transit_aspects, false);
        assert_eq!(score, 68.0);
    }

    /// Six natal trines to Venus (+30) are capped at +20; with Venus exalted (+10) and an empty
    /// 7th and 11th (6·0 − 10 = −10) that is 50 + 10 + 20 − 10 = 70.
    #[test]
    fn aspect_points_are_capped() {
        let natal = [at(Body::Venus, 350.0, Some(5))];
        let aspects: Vec<AspectHit> = [Body::Sun, Body::Moon, Body::Mars, Body::Jupiter, Body::Saturn, Body::Pluto]
            .into_iter()
            .map(|other| hit(Body::Venus, other, Aspect::Trine, 1.0))
            .collect();
        let (score, factors) = chart_factors(&CHAKRAS[3], &natal, &[], &aspects, &[], true);
        assert_eq!(score, 70.0);
        assert!(factors.iter().any(|f| f.rule == "natal_aspect_cap" && f.points == -10.0));
        assert_eq!(BASELINE + factors.iter().map(|f| f.points).sum::<f64>(), score);
    }

    #[test]
    fn measurements_take_thirty_percent() {
        let m = |measurement, value| MeasuredValue { measurement, value, index: measurement.index(value) };
        let hrv = m(super::super::Measurement::HrvRmssdMs, 120.0);
        let breath = m(super::super::Measurement::RespirationRateBpm, 18.0);
        assert_eq!(blend(60.0, &[]), 60.0);
        assert!((blend(60.0, &[&hrv]) - (42.0 + 30.0)).abs() < 1e-9);
        assert!((blend(60.0, &[&hrv, &breath]) - (42.0 + 22.5)).abs() < 1e-9);
    }

    #[test]
    fn states() {
        assert_eq!(state(39.9), "low");
        assert_eq!(state(40.0), "balanced");
        assert_eq!(state(60.0), "balanced");
        assert_eq!(state(60.1), "high");
    }
}
