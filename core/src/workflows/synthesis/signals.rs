//! Reading each engine's `result` into signals of the shared vocabulary, each citing the fields it
//! was read from. A field that is absent, null or of an unexpected shape gives no signal: the
//! synthesis never fails on an answer.

use serde_json::Value;

use super::Evidence;
use super::vocabulary::{self as v, Axis};
use crate::workflows::Moment;

/// One engine's result read as one value on one axis.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Signal {
    pub engine: &'static str,
    pub axis: Axis,
    /// A categorical value (`mars`, `fire`, `pitta`, `4`) or a pole (`outward`).
    pub value: &'static str,
    /// What was read, as a phrase for descriptions: `the lord of the current hora`.
    pub note: String,
    /// The fields read, with their values.
    pub evidence: Vec<Evidence>,
    /// Set when another engine may read the very same fact (the Moon's nakshatra at birth is read
    /// by panchanga and vimshottari alike): signals with one basis count as one voice.
    pub basis: Option<Basis>,
}

/// The fact behind a signal, when more than one engine reads it.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Basis {
    pub key: String,
    pub label: &'static str,
}

impl Signal {
    /// What counts as one independent voice: the shared fact, or else the engine.
    pub fn voice(&self) -> &str {
        self.basis.as_ref().map_or(self.engine, |basis| basis.key.as_str())
    }
}

/// Every signal in `result`, the answer of `engine` (an engine id) in a workflow about `moment`.
pub(super) fn read(engine: &'static str, result: &Value, moment: Moment) -> Vec<Signal> {
    let mut reader = Reader { engine, result, signals: Vec::new() };
    match engine {
        "numerology" => reader.numerology(),
        "panchanga" => reader.panchanga(moment),
        "biorhythm" => reader.biorhythm(),
        "human-design" => reader.human_design(),
        "gene-keys" => reader.gene_keys(),
        "vimshottari" => reader.vimshottari(),
        "vedic-clock" => reader.vedic_clock(),
        "biofield" => reader.biofield(),
        "face-reading" => reader.face_reading(),
        _ => {}
    }
    reader.signals
}

struct Reader<'a> {
    engine: &'static str,
    result: &'a Value,
    signals: Vec<Signal>,
}

/// A field read: its JSON pointer and its value as short text.
type Field = (String, String);

impl<'a> Reader<'a> {
    fn str(&self, pointer: &str) -> Option<&'a str> {
        self.result.pointer(pointer).and_then(Value::as_str)
    }

    fn u64(&self, pointer: &str) -> Option<u64> {
        self.result.pointer(pointer).and_then(Value::as_u64)
    }

    fn f64(&self, pointer: &str) -> Option<f64> {
        self.result.pointer(pointer).and_then(Value::as_f64)
    }

    fn text(&self, pointer: &str) -> Option<Field> {
        self.str(pointer).map(|text| (pointer.to_owned(), text.to_owned()))
    }

    fn number(&self, pointer: &str) -> Option<(Field, u64)> {
        self.u64(pointer).map(|n| ((pointer.to_owned(), n.to_string()), n))
    }

    fn push(
        &mut self,
        axis: Axis,
        value: Option<&'static str>,
        note: String,
        fields: Vec<Field>,
        basis: Option<Basis>,
    ) {
        let Some(value) = value else { return };
        let pole = axis.poles().map(|_| value.to_owned());
        let evidence = fields
            .into_iter()
            .map(|(field, shown)| Evidence {
                engine_id: self.engine.to_owned(),
                field,
                value: shown,
                pole: pole.clone(),
            })
            .collect();
        self.signals.push(Signal { engine: self.engine, axis, value, note, evidence, basis });
    }

    /// A planet named at `pointer`.
    fn planet(&mut self, pointer: &str, note: String, basis: Option<Basis>) {
        if let Some(field) = self.text(pointer) {
            let planet = v::planet(&field.1);
            self.push(Axis::Planet, planet, note, vec![field], basis);
        }
    }

    /// The root of the number at `pointer`, on the number axis.
    fn root(&mut self, pointer: &str, what: &str, basis: Option<Basis>) -> Option<(u64, u8)> {
        let (field, n) = self.number(pointer)?;
        let root = v::root(n)?;
        let note = if u64::from(root) == n { format!("{what} {n}") } else { format!("{what} {n} (root {root})") };
        self.push(Axis::Number, v::root_value(root), note, vec![field], basis);
        Some((n, root))
    }

    fn numerology(&mut self) {
        let Some((life_path, root)) = self.root("/life_path/value", "the life path", None) else { return };
        let field = || vec![("/life_path/value".to_owned(), life_path.to_string())];
        let note = format!("the planet of life path {life_path} in Vedic numerology");
        self.push(Axis::Planet, v::number_planet(root), note, field(), None);
        let parity = if root % 2 == 1 { "odd" } else { "even" };
        let note = format!("the life path {life_path}, an {parity} root");
        self.push(Axis::Direction, Some(v::number_direction(root)), note, field(), None);
        let note = format!("the life path {life_path}");
        self.push(Axis::Momentum, v::number_momentum(root), note, field(), None);
        if let Some((expression, root)) = self.root("/expression/value", "the expression number", None) {
            let note = format!("the expression number {expression}");
            let field = vec![("/expression/value".to_owned(), expression.to_string())];
            self.push(Axis::Momentum, v::number_momentum(root), note, field, None);
        }
        self.root("/birthday/value", "the birthday number", None);
    }

    fn panchanga(&mut self, moment: Moment) {
        let instant = self.str("/instant").unwrap_or_default();
        let (when, nakshatra_label) = match moment {
            Moment::Birth => ("at birth", "the Moon's nakshatra at birth"),
            Moment::Present => ("now", "the Moon's nakshatra now"),
        };
        let nakshatra = self.str("/nakshatra/name").unwrap_or("its nakshatra");
        let basis = Basis { key: format!("moon-nakshatra@{instant}"), label: nakshatra_label };
        self.planet("/nakshatra/lord", format!("the lord of the Moon's nakshatra {when}, {nakshatra}"), Some(basis));
        let vara = self.str("/vara/name").unwrap_or("the weekday");
        let basis = Basis { key: format!("vara@{instant}"), label: "the weekday" };
        self.planet("/vara/lord", format!("the lord of the weekday {when}, {vara}"), Some(basis));
        let tithi = self.str("/tithi/name").unwrap_or("the tithi");
        self.root("/tithi/number", &format!("the tithi {when}, {tithi}, number"), None);
        if moment == Moment::Birth {
            // The quality of the birth moment says nothing about the timing of today.
            return;
        }
        if let Some(field) = self.text("/tithi/paksha") {
            let note = format!("the {} paksha of the Moon", field.1);
            self.push(Axis::Momentum, v::paksha_momentum(&field.1), note, vec![field], None);
        }
        if let Some(field) = self.text("/yoga/name") {
            let note = format!("the yoga {} now", field.1);
            self.push(Axis::Pace, Some(v::yoga_pace(&field.1)), note, vec![field], None);
        }
        if let Some(field) = self.text("/karana/name") {
            let note = format!("the karana {} now", field.1);
            self.push(Axis::Pace, v::karana_pace(&field.1), note, vec![field], None);
        }
    }

    fn biorhythm(&mut self) {
        for cycle in ["physical", "emotional", "intellectual"] {
            if let Some(field) = self.text(&format!("/cycles/{cycle}/phase")) {
                let note = format!("the {cycle} cycle {}", field.1);
                self.push(Axis::Momentum, v::biorhythm_momentum(&field.1), note, vec![field], None);
            }
            let pointer = format!("/cycles/{cycle}/percent");
            if let Some(percent) = self.f64(&pointer) {
                let shown = format!("{percent:+.1}%");
                let note = format!("the {cycle} cycle at {shown}");
                self.push(Axis::Direction, v::biorhythm_direction(percent / 100.0), note, vec![(pointer, shown)], None);
            }
        }
        if self.result.pointer("/critical").and_then(Value::as_bool) == Some(true) {
            let field = ("/critical".to_owned(), "true".to_owned());
            self.push(Axis::Pace, Some(v::WAIT), "a critical day in the cycles".to_owned(), vec![field], None);
        }
    }

    fn human_design(&mut self) {
        if let Some(field) = self.text("/type") {
            let note = format!("the type {}", spaced(&field.1));
            self.push(Axis::Direction, v::hd_type_direction(&field.1), note, vec![field], None);
        }
        if let Some(field) = self.text("/authority") {
            let note = format!("{} authority", spaced(&field.1));
            self.push(Axis::Pace, v::hd_authority_pace(&field.1), note, vec![field], None);
        }
        self.root("/personality/sun/gate", "the Personality Sun gate", Some(personality_sun()));
    }

    fn gene_keys(&mut self) {
        let Some(index) = self.position("/activation_sequence", "/sphere", "Life's Work") else { return };
        let from_birth = self.str("/source") == Some("birth_data");
        let key = format!("/activation_sequence/{index}/key");
        self.root(&key, "the Life's Work key", from_birth.then(personality_sun));
        let pointer = format!("/activation_sequence/{index}/line");
        if let Some((field, line)) = self.number(&pointer) {
            let note = format!("the Life's Work line {line}");
            self.push(Axis::Direction, v::line_direction(line), note, vec![field], None);
        }
    }

    fn vimshottari(&mut self) {
        let birth = self.str("/birth_instant").unwrap_or_default();
        let nakshatra = self.str("/birth_nakshatra/name").unwrap_or("its nakshatra");
        let basis = Basis { key: format!("moon-nakshatra@{birth}"), label: "the Moon's nakshatra at birth" };
        self.planet(
            "/birth_nakshatra/lord",
            format!("the lord of the Moon's nakshatra at birth, {nakshatra}"),
            Some(basis),
        );
        self.planet("/current/mahadasha/lord", "the lord of the running mahadasha".to_owned(), None);
        self.planet("/current/antardasha/lord", "the lord of the running antardasha".to_owned(), None);
        let Some(lord) = self.text("/current/mahadasha/lord") else { return };
        let direction = v::planet(&lord.1).and_then(v::planet_direction);
        self.push(Axis::Direction, direction, format!("the {} mahadasha", lord.1), vec![lord.clone()], None);
        let fields = ["/current/mahadasha/start", "/current/mahadasha/end", "/current/pratyantardasha/start"];
        let instants: Vec<_> =
            fields.iter().filter_map(|p| Some((self.text(p)?, self.str(p)?.parse().ok()?))).collect();
        let [(start, t0), (end, t1), (now, t)]: [(Field, jiff::Timestamp); 3] = match instants.try_into() {
            Ok(found) => found,
            Err(_) => return,
        };
        let span = (t1.as_second() - t0.as_second()) as f64;
        if span <= 0.0 {
            return;
        }
        let fraction = (t.as_second() - t0.as_second()) as f64 / span;
        let momentum = v::period_momentum(fraction);
        let third = if momentum == Some(v::BUILDING) { "first" } else { "last" };
        let note = format!("the {} mahadasha of {} to {}, in its {third} third", lord.1, date(&start.1), date(&end.1));
        self.push(Axis::Momentum, momentum, note, vec![start, end, now], None);
    }

    fn vedic_clock(&mut self) {
        let instant = self.str("/instant").unwrap_or_default();
        self.planet("/hora/lord", "the lord of the current hora".to_owned(), None);
        let choghadiya = self.str("/choghadiya/name").unwrap_or("current");
        self.planet("/choghadiya/lord", format!("the lord of the {choghadiya} choghadiya"), None);
        let vara = self.str("/vara/name").unwrap_or("the weekday");
        let basis = Basis { key: format!("vara@{instant}"), label: "the weekday" };
        self.planet("/vara/lord", format!("the lord of the weekday now, {vara}"), Some(basis));
        if let Some(field) = self.text("/organ/element") {
            let organ = self.str("/organ/name").unwrap_or("organ");
            let note = format!("the {organ} hours of the organ clock, a {} organ", field.1);
            self.push(Axis::Element, v::organ_element(&field.1), note, vec![field], None);
        }
        if let Some(field) = self.text("/dosha/name") {
            let note = format!("the {} hours of the dosha clock", field.1);
            self.push(Axis::Dosha, v::dosha(&field.1), note, vec![field], None);
        }
        if let Some(field) = self.text("/choghadiya/quality") {
            let note = format!("the {} {choghadiya} choghadiya", field.1);
            self.push(Axis::Pace, v::choghadiya_pace(&field.1), note, vec![field], None);
        }
        if self.result.pointer("/rahu_kalam/active").and_then(Value::as_bool) == Some(true) {
            let field = ("/rahu_kalam/active".to_owned(), "true".to_owned());
            self.push(Axis::Pace, Some(v::WAIT), "Rahu Kalam running now".to_owned(), vec![field], None);
        }
        if let Some(lord) = self.text("/hora/lord") {
            let direction = v::planet(&lord.1).and_then(v::planet_direction);
            self.push(Axis::Direction, direction, format!("the hora of {}", lord.1), vec![lord], None);
        }
    }

    fn biofield(&mut self) {
        let Some(strongest) = self.text("/strongest") else { return };
        let chakra = strongest.1.clone();
        let note = format!("{chakra}, the strongest chakra");
        self.push(Axis::Element, v::chakra_element(&chakra), note, vec![strongest], None);
        if let Some(index) = self.position("/chakras", "/name", &chakra) {
            self.planet(
                &format!("/chakras/{index}/ruler"),
                format!("the ruler of {chakra}, the strongest chakra"),
                None,
            );
        }
    }

    fn face_reading(&mut self) {
        if let Some(field) = self.text("/dosha/dominant") {
            let note = format!("a {} constitution in the face's proportions", field.1);
            self.push(Axis::Dosha, v::dosha(&field.1), note, vec![field], None);
        }
        let shares: Vec<(&'static str, f64)> = v::ELEMENTS
            .iter()
            .filter_map(|element| Some((*element, self.f64(&format!("/elements/{element}"))?)))
            .collect();
        let top = shares.iter().map(|(_, share)| *share).fold(f64::NEG_INFINITY, f64::max);
        for (element, share) in shares.into_iter().filter(|(_, share)| *share == top && *share > 0.0) {
            let shown = format!("{share:.1}%");
            let note = format!("{element}, the largest share of the face's elements at {shown}");
            self.push(Axis::Element, Some(element), note, vec![(format!("/elements/{element}"), shown)], None);
        }
    }

    /// The index of the entry of the array at `array` whose `key` is `value`.
    fn position(&self, array: &str, key: &str, value: &str) -> Option<usize> {
        let items = self.result.pointer(array)?.as_array()?;
        items.iter().position(|item| item.pointer(key).and_then(Value::as_str) == Some(value))
    }
}

/// Human Design's Personality Sun gate and Gene Keys' Life's Work key are one fact.
fn personality_sun() -> Basis {
    Basis { key: "personality-sun-gate".to_owned(), label: "the gate of the Personality Sun" }
}

/// The date of an RFC 3339 instant: `2026-09-14T00:20:01Z` → `2026-09-14`.
fn date(instant: &str) -> &str {
    instant.split('T').next().unwrap_or(instant)
}

/// `ManifestingGenerator` → `Manifesting Generator`.
fn spaced(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for (i, c) in name.chars().enumerate() {
        if i > 0 && c.is_uppercase() {
            out.push(' ');
        }
        out.push(c);
    }
    out
}
