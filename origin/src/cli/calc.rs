//! `noesis-origin calc <engine-id>`: the engines API's pipeline on the command line.
//!
//! One request (the JSON body of `POST /api/v1/engines/{id}/calculate`) is read from standard
//! input and answered on standard output with exactly the envelope the API returns
//! (`served_by: "origin"`), or its problem document. With `--jsonl` each line of standard input
//! is one request and each line of standard output answers the line of the same number, as it
//! goes, so thousands of charts can be checked in one process:
//!
//! ```text
//! echo '{"birth_data": {"name": "John Doe", "date": "1985-11-22"}}' | noesis-origin calc numerology
//! noesis-origin calc human-design --jsonl --now 2026-11-25T07:30:00Z < charts.jsonl > answers.jsonl
//! ```
//!
//! A refused request is a problem document on stdout (in `--jsonl`, that request's line, with
//! `request_id` `line-N`), and the run ends with one line on stderr and exit code 2; in `--jsonl`
//! every line is answered first. An unknown engine, or a level below the engine's, is refused
//! before standard input is read.

use std::fmt;
use std::io::{BufRead, Write};
use std::time::Instant;

use clap::Args;
use jiff::Timestamp;
use noesis_core::engines::{ApiError, Engine, Level, ServedBy, registry};
use serde::Serialize;

use super::{At, CliError};

/// Arguments of `noesis-origin calc`.
#[derive(Debug, Args)]
pub struct CalcArgs {
    /// The engine, by its id in the routes: numerology, human-design, vimshottari, …
    #[arg(value_name = "ENGINE_ID")]
    pub engine_id: String,
    /// The consciousness level of the caller, 0-5: gates the engine and words the witness prompt.
    #[arg(long, value_name = "N", default_value_t = 5, value_parser = clap::value_parser!(u8).range(0..=5))]
    pub level: u8,
    /// The moment of the request, which `current_time` defaults to: RFC 3339 with an offset, or
    /// `now` for the system clock, read for each request (the default).
    #[arg(long, value_name = "INSTANT", value_parser = At::parse, default_value = "now")]
    pub now: At,
    /// Read one request per line and write one answer per line, in order.
    #[arg(long)]
    pub jsonl: bool,
}

/// Requests the pipeline refused; their problems are already on standard output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub struct Refused {
    /// How many requests were refused.
    pub refused: usize,
    /// How many were read.
    pub total: usize,
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.total <= 1 {
            write!(f, "the request was refused; its problem is on standard output")
        } else {
            write!(f, "{} of {} requests were refused; their problems are on standard output", self.refused, self.total)
        }
    }
}

/// Runs `calc`: requests from `input`, answers to `output`, `clock` read for each request only
/// when `--now` was not given.
pub fn run(
    args: &CalcArgs,
    input: impl BufRead,
    mut output: impl Write,
    clock: impl Fn() -> Timestamp,
) -> Result<(), CliError> {
    // clap keeps the level within 0-5; the fallback only satisfies the type.
    let level = Level::new(args.level).unwrap_or(Level::MAX);
    if let Err(err) = check_engine(&args.engine_id, level) {
        write_answer(&mut output, &Err(err), None, args.jsonl)?;
        return Err(Refused { refused: 1, total: 1 }.into());
    }
    let answer = |body: &[u8]| calculate(&args.engine_id, body, level, args.now.resolve(&clock));
    let (refused, total) = if args.jsonl {
        run_lines(input, &mut output, answer)?
    } else {
        let body = read_all(input)?;
        let result = answer(&body);
        write_answer(&mut output, &result, None, false)?;
        (usize::from(result.is_err()), 1)
    };
    output.flush().map_err(CliError::Stdout)?;
    if refused > 0 { Err(Refused { refused, total }.into()) } else { Ok(()) }
}

/// The engine must exist and the level reach it, whatever the requests say.
fn check_engine(engine_id: &str, level: Level) -> Result<&'static dyn Engine, ApiError> {
    let engine = registry::find(engine_id).ok_or_else(|| ApiError::engine_not_found(engine_id))?;
    let meta = engine.meta();
    if level < meta.required_level {
        return Err(ApiError::level_required(meta.id, meta.required_level, level));
    }
    Ok(engine)
}

/// One request through the pipeline, timed as the HTTP API times it: the calculation alone.
fn calculate(engine_id: &str, body: &[u8], level: Level, now: Timestamp) -> Result<serde_json::Value, ApiError> {
    let prepared = registry::prepare(engine_id, body, level, now)?;
    let started = Instant::now();
    let response = prepared.run(ServedBy::Origin)?;
    let response = response.with_calculation_time_ms(started.elapsed().as_secs_f64() * 1000.0);
    serde_json::to_value(response).map_err(|err| {
        ApiError::new(noesis_core::engines::ProblemCode::Internal, format!("could not encode the answer: {err}"))
    })
}

/// `--jsonl`: every line of `input` answered on a line of `output`. Returns (refused, total).
fn run_lines(
    mut input: impl BufRead,
    output: &mut impl Write,
    answer: impl Fn(&[u8]) -> Result<serde_json::Value, ApiError>,
) -> Result<(usize, usize), CliError> {
    let (mut refused, mut total) = (0, 0);
    let mut line = Vec::new();
    loop {
        line.clear();
        if input.read_until(b'\n', &mut line).map_err(CliError::Stdin)? == 0 {
            break;
        }
        total += 1;
        let body = line.strip_suffix(b"\n").unwrap_or(&line);
        let result = answer(body);
        refused += usize::from(result.is_err());
        write_answer(output, &result, Some(&format!("line-{total}")), true)?;
    }
    Ok((refused, total))
}

fn read_all(mut input: impl BufRead) -> Result<Vec<u8>, CliError> {
    let mut body = Vec::new();
    input.read_to_end(&mut body).map_err(CliError::Stdin)?;
    Ok(body)
}

/// Writes the envelope or the problem: one line with `--jsonl`, pretty otherwise.
fn write_answer(
    output: &mut impl Write,
    result: &Result<serde_json::Value, ApiError>,
    request_id: Option<&str>,
    one_line: bool,
) -> Result<(), CliError> {
    fn encode(value: &impl Serialize, one_line: bool) -> Result<String, serde_json::Error> {
        if one_line { serde_json::to_string(value) } else { serde_json::to_string_pretty(value) }
    }
    let text = match result {
        Ok(envelope) => encode(envelope, one_line)?,
        Err(err) => encode(&err.to_problem(request_id), one_line)?,
    };
    writeln!(output, "{text}").map_err(CliError::Stdout)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(engine_id: &str, jsonl: bool) -> CalcArgs {
        CalcArgs { engine_id: engine_id.to_owned(), level: 5, now: At::Now, jsonl }
    }

    fn never() -> Timestamp {
        panic!("the clock must not be read")
    }

    #[test]
    fn an_unknown_engine_is_refused_without_reading_input_or_the_clock() {
        let mut out = Vec::new();
        let err = run(&args("astrology", true), &b"{}\n{}\n"[..], &mut out, never).unwrap_err();
        assert!(matches!(err, CliError::Refused(Refused { refused: 1, total: 1 })), "{err:?}");
        let problem: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(problem["code"], "ENGINE_NOT_FOUND");
        assert_eq!(problem["request_id"], serde_json::Value::Null);
    }

    #[test]
    fn refusals_are_counted_in_one_sentence() {
        assert_eq!(
            Refused { refused: 2, total: 1000 }.to_string(),
            "2 of 1000 requests were refused; their problems are on standard output"
        );
    }
}
