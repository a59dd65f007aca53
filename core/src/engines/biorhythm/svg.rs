//! The biorhythm chart: the four curves around the target date, as a self-contained SVG document.
//!
//! No scripts, no external fonts or images: the text uses the reader's system sans-serif. The
//! chart spans a week before the target date to the end of the forecast (at least four weeks
//! ahead), shades the forecast window, marks today, and marks each zero crossing of a primary
//! cycle with a small diamond on the zero line, since the days within one day of it are critical.

use std::fmt::Write;

use jiff::Span;
use jiff::civil::Date;

use super::text::{signed_percent, thousands};
use super::{BiorhythmResult, Cycle};

const WIDTH: f64 = 960.0;
const HEIGHT: f64 = 540.0;
const LEFT: f64 = 76.0;
const RIGHT: f64 = 930.0;
const TOP: f64 = 104.0;
const BOTTOM: f64 = 404.0;
const DAYS_BEFORE: u32 = 7;
const MIN_DAYS_AFTER: u32 = 28;
/// The most points drawn per curve, which bounds the document's size for long forecasts.
const MAX_SAMPLES: f64 = 600.0;

const FORECAST_FILL: &str = "#eef0f3";
const FONT: &str = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";
const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// Colours from the Okabe-Ito palette, told apart with the common forms of colour blindness.
const fn colour(cycle: Cycle) -> &'static str {
    match cycle {
        Cycle::Physical => "#D55E00",
        Cycle::Emotional => "#0072B2",
        Cycle::Intellectual => "#009E73",
        Cycle::Intuitive => "#CC79A7",
    }
}

const fn label(cycle: Cycle) -> &'static str {
    match cycle {
        Cycle::Physical => "Physical",
        Cycle::Emotional => "Emotional",
        Cycle::Intellectual => "Intellectual",
        Cycle::Intuitive => "Intuitive",
    }
}

/// The window of the chart in days relative to the target date.
struct Window {
    first: i64,
    last: i64,
    days_alive: u32,
}

impl Window {
    /// Over four months the curves crowd together: they are drawn thinner and without diamonds.
    fn is_long(&self) -> bool {
        self.last - self.first > 120
    }

    fn x(&self, offset: f64) -> f64 {
        LEFT + (offset - self.first as f64) / (self.last - self.first) as f64 * (RIGHT - LEFT)
    }
}

fn y(value: f64) -> f64 {
    (TOP + BOTTOM) / 2.0 - value * (BOTTOM - TOP) / 2.0
}

/// The chart of `result`'s curves as an SVG document.
pub(super) fn chart(result: &BiorhythmResult) -> String {
    let window = Window {
        first: -i64::from(result.days_alive.min(DAYS_BEFORE)),
        last: i64::from(u32::from(result.forecast_days).max(MIN_DAYS_AFTER)),
        days_alive: result.days_alive,
    };
    let mut svg = String::with_capacity(24_000);
    let _ = write!(
        svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" aria-labelledby="title desc" font-family="{FONT}">
<title id="title">Biorhythm on {target}</title>
<desc id="desc">Physical, emotional, intellectual and intuitive cycles for someone born {birth}, from {days} days before {target} to {after} days after it.</desc>
<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>
<text x="{LEFT}" y="40" font-size="22" font-weight="600" fill="#111827">Biorhythm</text>
<text x="{LEFT}" y="66" font-size="14" fill="#4b5563">Born {birth} · day {alive} of life on {target} ({zone}) · {critical}</text>
"##,
        target = result.target_date,
        birth = result.birth_date,
        days = -window.first,
        after = window.last,
        alive = thousands(result.days_alive),
        zone = escape(&result.zone),
        critical = critical_note(result),
    );
    forecast_band(&mut svg, &window, result.forecast_days);
    grid(&mut svg, &window, result.target_date);
    if !window.is_long() {
        crossings(&mut svg, &window);
    }
    for cycle in Cycle::ALL {
        curve(&mut svg, &window, cycle);
    }
    today(&mut svg, &window, result);
    legend(&mut svg, &window, result);
    svg.push_str("</svg>\n");
    svg
}

fn forecast_band(svg: &mut String, window: &Window, forecast_days: u16) {
    let start = window.x(-0.5_f64.max(window.first as f64));
    let end = window.x((f64::from(forecast_days) - 0.5).min(window.last as f64));
    let _ = writeln!(
        svg,
        r##"<rect x="{start:.1}" y="{TOP}" width="{w:.1}" height="{h}" fill="{FORECAST_FILL}"/>"##,
        w = end - start,
        h = BOTTOM - TOP,
    );
}

fn grid(svg: &mut String, window: &Window, target: Date) {
    for (value, text) in [(1.0, "+100%"), (0.5, "+50%"), (0.0, "0"), (-0.5, "−50%"), (-1.0, "−100%")] {
        let (stroke, width) = if value == 0.0 { ("#6b7280", 1.2) } else { ("#e5e7eb", 1.0) };
        let _ = write!(
            svg,
            r##"<line x1="{LEFT}" x2="{RIGHT}" y1="{y:.1}" y2="{y:.1}" stroke="{stroke}" stroke-width="{width}"/>
<text x="{tx}" y="{ty:.1}" font-size="12" fill="#4b5563" text-anchor="end">{text}</text>
"##,
            y = y(value),
            tx = LEFT - 10.0,
            ty = y(value) + 4.0,
        );
    }
    let span = window.last - window.first;
    let step = match span {
        ..=45 => 7,
        46..=120 => 14,
        _ => 28,
    };
    for offset in window.first..=window.last {
        let x = window.x(offset as f64);
        if span <= 120 {
            let _ = writeln!(
                svg,
                r##"<line x1="{x:.1}" x2="{x:.1}" y1="{BOTTOM}" y2="{y2}" stroke="#9ca3af" stroke-width="1"/>"##,
                y2 = BOTTOM + 5.0
            );
        }
        if offset.rem_euclid(step) != 0 {
            continue;
        }
        let Some(date) = offset_date(target, offset) else { continue };
        let _ = write!(
            svg,
            r##"<line x1="{x:.1}" x2="{x:.1}" y1="{TOP}" y2="{BOTTOM}" stroke="#e5e7eb" stroke-width="1"/>
<line x1="{x:.1}" x2="{x:.1}" y1="{BOTTOM}" y2="{y2}" stroke="#4b5563" stroke-width="1.2"/>
<text x="{x:.1}" y="{ty}" font-size="12" fill="#374151" text-anchor="middle">{month} {day}</text>
"##,
            y2 = BOTTOM + 8.0,
            ty = BOTTOM + 24.0,
            month = MONTHS[usize::try_from(date.month() - 1).unwrap_or(0)],
            day = date.day(),
        );
    }
}

/// A diamond on the zero line at each zero crossing, d = k·P/2, of a primary cycle.
fn crossings(svg: &mut String, window: &Window) {
    for cycle in Cycle::PRIMARY {
        let half = f64::from(cycle.period_days()) / 2.0;
        let first_alive = f64::from(window.days_alive) + window.first as f64;
        let mut k = (first_alive / half).ceil();
        loop {
            let offset = k * half - f64::from(window.days_alive);
            if offset > window.last as f64 {
                break;
            }
            let (x, y0) = (window.x(offset), y(0.0));
            let _ = writeln!(
                svg,
                r##"<path d="M{x:.1} {a:.1}L{r:.1} {y0:.1}L{x:.1} {b:.1}L{l:.1} {y0:.1}Z" fill="{c}" stroke="#ffffff" stroke-width="1"/>"##,
                a = y0 - 6.0,
                b = y0 + 6.0,
                l = x - 5.0,
                r = x + 5.0,
                c = colour(cycle),
            );
            k += 1.0;
        }
    }
}

fn curve(svg: &mut String, window: &Window, cycle: Cycle) {
    let span = (window.last - window.first) as f64;
    let step = (span / MAX_SAMPLES).max(0.25);
    let samples = (span / step).ceil() as u32;
    let period = f64::from(cycle.period_days());
    let base = f64::from(window.days_alive);
    let mut path = String::with_capacity(samples as usize * 14);
    for i in 0..=samples {
        let offset = (window.first as f64 + f64::from(i) * step).min(window.last as f64);
        let phase = (base + offset).rem_euclid(period) / period;
        let value = (std::f64::consts::TAU * phase).sin();
        let _ = write!(path, "{}{:.1} {:.1}", if i == 0 { "M" } else { "L" }, window.x(offset), y(value));
    }
    let (width, dash) = match cycle {
        Cycle::Intuitive => (if window.is_long() { 1.4 } else { 2.0 }, r#" stroke-dasharray="7 5""#),
        _ => (if window.is_long() { 1.6 } else { 2.6 }, ""),
    };
    let _ = writeln!(
        svg,
        r#"<path d="{path}" fill="none" stroke="{c}" stroke-width="{width}" stroke-linejoin="round"{dash}/>"#,
        c = colour(cycle)
    );
}

fn today(svg: &mut String, window: &Window, result: &BiorhythmResult) {
    let x = window.x(0.0);
    let _ = write!(
        svg,
        r##"<line x1="{x:.1}" x2="{x:.1}" y1="{y1}" y2="{BOTTOM}" stroke="#111827" stroke-width="1.5" stroke-dasharray="4 3"/>
<text x="{x:.1}" y="{ty}" font-size="12" font-weight="600" fill="#111827" text-anchor="middle">Today · {date}</text>
"##,
        y1 = TOP - 10.0,
        ty = TOP - 16.0,
        date = result.target_date,
    );
    for (cycle, reading) in result.cycles.iter() {
        let _ = writeln!(
            svg,
            r##"<circle cx="{x:.1}" cy="{cy:.1}" r="5" fill="{c}" stroke="#ffffff" stroke-width="2"/>"##,
            cy = y(reading.value),
            c = colour(cycle),
        );
    }
}

/// Two rows of two cycles with today's percentages, then what the diamonds and the band mean.
fn legend(svg: &mut String, window: &Window, result: &BiorhythmResult) {
    let column = (RIGHT - LEFT) / 2.0;
    for (i, (cycle, reading)) in result.cycles.iter().enumerate() {
        let x = LEFT + column * (i % 2) as f64;
        let row_y = BOTTOM + 58.0 + 24.0 * (i / 2) as f64;
        let dash = if cycle == Cycle::Intuitive { r#" stroke-dasharray="7 5""# } else { "" };
        let _ = write!(
            svg,
            r##"<line x1="{x:.1}" x2="{x2:.1}" y1="{ly}" y2="{ly}" stroke="{c}" stroke-width="3"{dash}/>
<text x="{tx:.1}" y="{row_y}" font-size="13" fill="#111827"><tspan font-weight="600">{name}</tspan> · {p}-day cycle{kind} · {pct}% today</text>
"##,
            x2 = x + 26.0,
            ly = row_y - 4.5,
            c = colour(cycle),
            tx = x + 34.0,
            name = label(cycle),
            p = cycle.period_days(),
            kind = if cycle == Cycle::Intuitive { " (secondary)" } else { "" },
            pct = signed_percent(reading.percent),
        );
    }
    let notes_y = BOTTOM + 114.0;
    if window.is_long() {
        let _ = writeln!(
            svg,
            r##"<text x="{LEFT}" y="{notes_y}" font-size="12" fill="#4b5563">Critical: within one day of a zero crossing of a primary cycle</text>"##
        );
    } else {
        let _ = write!(
            svg,
            r##"<path d="M{x:.1} {a:.1}L{r:.1} {m:.1}L{x:.1} {b:.1}L{l:.1} {m:.1}Z" fill="#6b7280"/>
<text x="{tx:.1}" y="{notes_y}" font-size="12" fill="#4b5563">Zero crossing: the days within one day of it are critical</text>
"##,
            x = LEFT + 13.0,
            a = notes_y - 10.5,
            m = notes_y - 4.5,
            b = notes_y + 1.5,
            l = LEFT + 8.0,
            r = LEFT + 18.0,
            tx = LEFT + 34.0,
        );
    }
    let band_x = LEFT + column;
    let _ = write!(
        svg,
        r##"<rect x="{band_x:.1}" y="{ry:.1}" width="26" height="14" fill="{FORECAST_FILL}" stroke="#d1d5db"/>
<text x="{tx:.1}" y="{notes_y}" font-size="12" fill="#4b5563">Forecast window: {n} day{s} from today</text>
"##,
        ry = notes_y - 11.5,
        tx = band_x + 34.0,
        n = result.forecast_days,
        s = if result.forecast_days == 1 { "" } else { "s" },
    );
}

/// Today's critical status, or the next critical day within the forecast.
fn critical_note(result: &BiorhythmResult) -> String {
    match result.critical_days.first() {
        Some(day) if day.days_from_target == 0 => "today is a critical day".to_owned(),
        Some(day) => format!("next critical day {}", day.date),
        None => format!("no critical day in the next {} days", result.forecast_days),
    }
}

fn offset_date(target: Date, offset: i64) -> Option<Date> {
    target.checked_add(Span::new().try_days(offset).ok()?).ok()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
