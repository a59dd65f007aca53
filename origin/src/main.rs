//! The `noesis-origin` binary: parse the command line, run the subcommand, turn failure into one
//! line on stderr and an exit code (2 for bad input or configuration, 1 for anything else).

use std::process::ExitCode;

use clap::Parser;
use noesis_origin::cli::{self, Cli};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => return cli::report_parse_error(&err),
    };
    match cli::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            err.exit_code()
        }
    }
}
