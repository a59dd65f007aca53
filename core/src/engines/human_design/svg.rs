//! The bodygraph drawn as an SVG document: the nine centres in their usual shapes and places
//! (defined ones filled), every channel as a pale tube with the activated half of each gate
//! coloured (Personality black, Design red, both striped), and every gate's number.

use super::bodygraph::{CHANNELS, Center};
use super::chart::HumanDesignResult;
use std::fmt::Write;

const WIDTH: f64 = 400.0;
const HEIGHT: f64 = 700.0;
const PERSONALITY: &str = "#1f1f1f";
const DESIGN: &str = "#c0392b";
const TUBE: &str = "#dedede";
const OUTLINE: &str = "#5b5b5b";

/// A point of the drawing, in the 400 × 700 view box.
type Point = (f64, f64);

/// Outline of each centre.
fn shape(center: Center) -> &'static [Point] {
    match center {
        Center::Head => &[(200.0, 30.0), (240.0, 95.0), (160.0, 95.0)],
        Center::Ajna => &[(160.0, 120.0), (240.0, 120.0), (200.0, 185.0)],
        Center::Throat => &[(165.0, 215.0), (235.0, 215.0), (235.0, 285.0), (165.0, 285.0)],
        Center::G => &[(200.0, 312.0), (248.0, 360.0), (200.0, 408.0), (152.0, 360.0)],
        Center::Heart => &[(288.0, 376.0), (314.0, 420.0), (256.0, 420.0)],
        Center::Spleen => &[(40.0, 415.0), (115.0, 465.0), (40.0, 515.0)],
        Center::SolarPlexus => &[(360.0, 415.0), (360.0, 515.0), (285.0, 465.0)],
        Center::Sacral => &[(160.0, 465.0), (240.0, 465.0), (240.0, 545.0), (160.0, 545.0)],
        Center::Root => &[(160.0, 585.0), (240.0, 585.0), (240.0, 655.0), (160.0, 655.0)],
    }
}

fn fill(center: Center) -> &'static str {
    match center {
        Center::Head | Center::G => "#f2cf4a",
        Center::Ajna => "#7cb564",
        Center::Heart | Center::Sacral => "#dd5145",
        Center::Throat | Center::Spleen | Center::SolarPlexus | Center::Root => "#b58d5a",
    }
}

/// Where each gate sits on the outline of its centre (index = gate number; 0 unused).
const GATE_AT: [Point; 65] = {
    let mut at = [(0.0, 0.0); 65];
    // Head and Ajna.
    at[64] = (175.0, 95.0);
    at[61] = (200.0, 95.0);
    at[63] = (225.0, 95.0);
    at[47] = (175.0, 120.0);
    at[24] = (200.0, 120.0);
    at[4] = (225.0, 120.0);
    at[17] = (182.0, 155.0);
    at[43] = (200.0, 176.0);
    at[11] = (218.0, 155.0);
    // Throat.
    at[62] = (180.0, 215.0);
    at[23] = (200.0, 215.0);
    at[56] = (220.0, 215.0);
    at[16] = (165.0, 232.0);
    at[20] = (165.0, 262.0);
    at[35] = (235.0, 230.0);
    at[12] = (235.0, 250.0);
    at[45] = (235.0, 270.0);
    at[31] = (180.0, 285.0);
    at[8] = (200.0, 285.0);
    at[33] = (220.0, 285.0);
    // G.
    at[7] = (186.0, 326.0);
    at[1] = (200.0, 312.0);
    at[13] = (214.0, 326.0);
    at[10] = (152.0, 360.0);
    at[25] = (248.0, 360.0);
    at[15] = (186.0, 394.0);
    at[2] = (200.0, 408.0);
    at[46] = (214.0, 394.0);
    // Heart.
    at[21] = (293.0, 385.0);
    at[40] = (309.0, 411.0);
    at[51] = (272.0, 398.0);
    at[26] = (268.0, 420.0);
    // Spleen: upper edge, then lower edge, from the top corner round to the bottom one.
    at[48] = (55.0, 425.0);
    at[57] = (74.0, 437.5);
    at[44] = (96.0, 452.5);
    at[50] = (100.0, 475.0);
    at[32] = (81.0, 487.5);
    at[28] = (66.0, 497.5);
    at[18] = (51.0, 507.5);
    // Solar Plexus, the Spleen's mirror image.
    at[36] = (345.0, 425.0);
    at[22] = (326.0, 437.5);
    at[37] = (304.0, 452.5);
    at[6] = (300.0, 475.0);
    at[49] = (319.0, 487.5);
    at[55] = (334.0, 497.5);
    at[30] = (349.0, 507.5);
    // Sacral.
    at[5] = (180.0, 465.0);
    at[14] = (200.0, 465.0);
    at[29] = (220.0, 465.0);
    at[34] = (160.0, 480.0);
    at[27] = (160.0, 520.0);
    at[59] = (240.0, 505.0);
    at[42] = (180.0, 545.0);
    at[3] = (200.0, 545.0);
    at[9] = (220.0, 545.0);
    // Root.
    at[53] = (180.0, 585.0);
    at[60] = (200.0, 585.0);
    at[52] = (220.0, 585.0);
    at[54] = (160.0, 600.0);
    at[38] = (160.0, 620.0);
    at[58] = (160.0, 640.0);
    at[19] = (240.0, 600.0);
    at[39] = (240.0, 620.0);
    at[41] = (240.0, 640.0);
    at
};

/// A point some channels bend through, to pass around a centre instead of across it.
fn bend(gates: [u8; 2]) -> Option<Point> {
    match gates {
        // Down the left of the G.
        [20, 34] => Some((136.0, 360.0)),
        // Round the right of the Heart to the Solar Plexus.
        [35, 36] => Some((338.0, 318.0)),
        [12, 22] => Some((318.0, 336.0)),
        _ => None,
    }
}

/// The bodygraph of `chart` as a standalone SVG document.
pub fn bodygraph(chart: &HumanDesignResult) -> String {
    let sources = chart.gate_sources();
    let defined = |c: Center| chart.defined_centers.contains(&c);
    let mut svg = String::with_capacity(24_000);
    let caption = format!(
        "{} · {} authority · {} · {}",
        chart.kind.label(),
        chart.authority.label(),
        chart.profile,
        definition_label(chart)
    );
    let _ = write!(svg, r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" "#);
    let _ = write!(svg, r#"height="{HEIGHT}" role="img" font-family="Helvetica, Arial, sans-serif">"#);
    let _ = write!(svg, "<title>Human Design bodygraph: {caption}</title>");
    let _ = write!(svg, r#"<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>"#);

    // Channels: the empty tube, then each gate's half in the colour of what activates it.
    svg.push_str(r#"<g fill="none" stroke-linejoin="round">"#);
    for channel in &CHANNELS {
        let [a, b] = channel.gates;
        let path = channel_path(a, b);
        polyline(&mut svg, &path, TUBE, 7.0, false);
        let (first, second) = halves(&path);
        for (gate, half) in [(a, first), (b, second)] {
            match sources[gate as usize] {
                (true, false) => polyline(&mut svg, &half, PERSONALITY, 5.0, false),
                (false, true) => polyline(&mut svg, &half, DESIGN, 5.0, false),
                (true, true) => {
                    polyline(&mut svg, &half, DESIGN, 5.0, false);
                    polyline(&mut svg, &half, PERSONALITY, 5.0, true);
                }
                (false, false) => {}
            }
        }
    }
    svg.push_str("</g>");

    // Centres.
    svg.push_str(r#"<g stroke-linejoin="round">"#);
    for center in Center::ALL {
        let (colour, state) = if defined(center) { (fill(center), "defined") } else { ("white", "open") };
        let outline = points(shape(center));
        let _ = write!(svg, r#"<polygon points="{outline}" fill="{colour}" stroke="{OUTLINE}" stroke-width="1.5">"#);
        let _ = write!(svg, "<title>{} ({state})</title></polygon>", center.label());
    }
    svg.push_str("</g>");

    // Gate numbers.
    svg.push_str(r#"<g font-size="7" font-weight="bold" text-anchor="middle">"#);
    for gate in 1..=64u8 {
        let (x, y) = GATE_AT[gate as usize];
        let (circle, ring, text) = match sources[gate as usize] {
            (true, false) => (PERSONALITY, PERSONALITY, "white"),
            (false, true) => (DESIGN, DESIGN, "white"),
            (true, true) => (PERSONALITY, DESIGN, "white"),
            (false, false) => ("white", "#9a9a9a", "#4a4a4a"),
        };
        let _ =
            write!(svg, r#"<circle cx="{x}" cy="{y}" r="6.5" fill="{circle}" stroke="{ring}" stroke-width="1.5"/>"#);
        let _ = write!(svg, r#"<text x="{x}" y="{}" fill="{text}">{gate}</text>"#, y + 2.5);
    }
    svg.push_str("</g>");

    // Caption and legend.
    svg.push_str(r##"<g font-size="10.5" fill="#333333">"##);
    let _ = write!(svg, r#"<text x="200" y="20" text-anchor="middle" font-weight="bold">{caption}</text>"#);
    let _ =
        write!(svg, r#"<circle cx="90" cy="680" r="5" fill="{PERSONALITY}"/><text x="99" y="684">Personality</text>"#);
    let _ = write!(svg, r#"<circle cx="190" cy="680" r="5" fill="{DESIGN}"/><text x="199" y="684">Design</text>"#);
    let both = [(254.0, 680.0), (272.0, 680.0)];
    polyline(&mut svg, &both, DESIGN, 5.0, false);
    polyline(&mut svg, &both, PERSONALITY, 5.0, true);
    svg.push_str(r#"<text x="278" y="684">Both</text></g></svg>"#);
    svg
}

/// A line through `path`; `dashed` gives the stripes of a gate activated on both sides.
fn polyline(svg: &mut String, path: &[Point], colour: &str, width: f64, dashed: bool) {
    let dash = if dashed { r#" stroke-dasharray="3 3""# } else { "" };
    let _ = write!(
        svg,
        r#"<polyline points="{}" fill="none" stroke="{colour}" stroke-width="{width}"{dash}/>"#,
        points(path)
    );
}

fn definition_label(chart: &HumanDesignResult) -> &'static str {
    use super::bodygraph::Definition;
    match chart.definition {
        Definition::None => "No definition",
        Definition::Single => "Single definition",
        Definition::Split => "Split definition",
        Definition::TripleSplit => "Triple split",
        Definition::QuadrupleSplit => "Quadruple split",
    }
}

/// The channel's line from gate `a` to gate `b`, through its bend if it has one.
fn channel_path(a: u8, b: u8) -> Vec<Point> {
    let mut path = vec![GATE_AT[a as usize]];
    path.extend(bend([a, b]));
    path.push(GATE_AT[b as usize]);
    path
}

/// A polyline cut at half its length: the part from its start, and the part to its end.
fn halves(path: &[Point]) -> (Vec<Point>, Vec<Point>) {
    let length = |p: Point, q: Point| (q.0 - p.0).hypot(q.1 - p.1);
    let total: f64 = path.windows(2).map(|w| length(w[0], w[1])).sum();
    let mut first = Vec::with_capacity(path.len() + 1);
    let mut walked = 0.0;
    for (i, w) in path.windows(2).enumerate() {
        first.push(w[0]);
        let segment = length(w[0], w[1]);
        if walked + segment >= total / 2.0 {
            let t = if segment > 0.0 { (total / 2.0 - walked) / segment } else { 0.0 };
            let middle = (w[0].0 + t * (w[1].0 - w[0].0), w[0].1 + t * (w[1].1 - w[0].1));
            first.push(middle);
            let mut second = vec![middle];
            second.extend_from_slice(&path[i + 1..]);
            return (first, second);
        }
        walked += segment;
    }
    (path.to_vec(), Vec::new())
}

fn points(path: &[Point]) -> String {
    let mut s = String::with_capacity(path.len() * 12);
    for (i, (x, y)) in path.iter().enumerate() {
        let _ = write!(s, "{}{},{}", if i == 0 { "" } else { " " }, round1(*x), round1(*y));
    }
    s
}

/// One decimal is plenty at this scale and keeps the document small.
fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_gate_has_a_place_inside_the_view() {
        for (gate, &(x, y)) in GATE_AT.iter().enumerate().skip(1) {
            assert!(x > 0.0 && x < WIDTH && y > 0.0 && y < HEIGHT, "gate {gate} at {x},{y}");
        }
    }

    #[test]
    fn a_channel_splits_into_two_halves_of_equal_length() {
        let path = channel_path(20, 34);
        let (a, b) = halves(&path);
        let len = |p: &[Point]| p.windows(2).map(|w| (w[1].0 - w[0].0).hypot(w[1].1 - w[0].1)).sum::<f64>();
        assert!((len(&a) - len(&b)).abs() < 1e-9);
        assert_eq!(a.last(), b.first());
    }
}
