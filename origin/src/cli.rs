//! The command line of `noesis-origin`: one binary, one subcommand per task.
//!
//! ```text
//! noesis-origin serve                                  # migrate, then the HTTP API on PORT (default 8080)
//! noesis-origin migrate                                # apply the database migrations and stop
//! noesis-origin ephemeris --at 2026-11-25T07:30:00Z    # one ephemeris snapshot as JSON
//! noesis-origin ephemeris --at now                     # the same, for the system clock's "now"
//! noesis-origin calc numerology < request.json         # one engine request, answered as the API would
//! noesis-origin keys create --name demo --tier free --level 2 --scopes engines,workflows [--json]
//! noesis-origin keys list [--user EMAIL] [--include-revoked] [--json]
//! noesis-origin keys revoke <KEY_ID> [--reason R] [--json]
//! noesis-origin keys rotate <KEY_ID> [--grace-seconds N] [--json]
//! noesis-origin seed-keys --count N [--tier free] [--level 2] [--scopes a,b] [--owner EMAIL] [--test] [--json]
//! ```
//!
//! `keys create` and `seed-keys` also take `--rate-limit N`, `--expires-at INSTANT` and `--test`.
//! Without `--owner`, `keys create` gives the key to `admin@localhost` and `seed-keys` gives each
//! key a new user `test-user-<8 hex>@tryambakam.space`. Keys are issued and rotated by
//! [`key_admin`], exactly as over HTTP.
//!
//! Bad input never produces a wall of text: every refusal is one line on stderr and exit code 2,
//! whether clap or this crate noticed it. (`calc` also prints the refused request's problem
//! document on stdout, exactly as the API would answer it.)

pub mod calc;
pub mod keys;
pub mod seed;

use std::io::{self, Write};
use std::net::SocketAddr;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use jiff::Timestamp;
use noesis_core::ephemeris::{self, EphemerisError};
use noesis_core::time::Moment;

use crate::app::{App, Tuning};
use crate::config::{Config, ConfigError};
use crate::key_admin;
use crate::routes;
use crate::server::{self, Server};
use crate::storage::{Database, StorageError};
use crate::telemetry;

/// The exit code for input the program refuses: a bad flag, instant or setting.
const EXIT_BAD_INPUT: u8 = 2;

/// The Noesis origin: the HTTP API service and its admin tasks, in one binary.
#[derive(Debug, Parser)]
// Without a subcommand, say so in one line rather than print the whole help to stderr.
#[command(name = "noesis-origin", version, propagate_version = true, arg_required_else_help = false)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands of `noesis-origin`.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Apply the database migrations, then serve the HTTP API on PORT (default 8080) until
    /// SIGTERM or Ctrl-C.
    Serve,
    /// Apply the database migrations (DATABASE_URL, or the SQLite file) and stop.
    Migrate,
    /// Print the ephemeris snapshot for one instant as pretty JSON.
    Ephemeris(EphemerisArgs),
    /// Run one engine on a request read from stdin (or one per line with --jsonl) and print the
    /// API's answer.
    Calc(calc::CalcArgs),
    /// Create, list, revoke and rotate API keys on the database `serve` uses (migrated first).
    Keys(keys::KeysArgs),
    /// Create keys for the first test users, each printed once (by default each with a new
    /// owner `test-user-<8 hex>@tryambakam.space`).
    SeedKeys(seed::SeedArgs),
}

/// Arguments of `noesis-origin ephemeris`.
#[derive(Debug, Args)]
pub struct EphemerisArgs {
    /// The instant: RFC 3339 with a UTC offset (2026-11-25T07:30:00Z, 2026-11-25T13:00:00+05:30),
    /// or `now` for the system clock.
    #[arg(long, value_name = "INSTANT", value_parser = At::parse)]
    pub at: At,
}

/// The instant a command is asked about, as given on the command line.
///
/// The core never reads a clock, so `now` is resolved here, at the edge of the program:
///
/// ```
/// use noesis_origin::cli::At;
///
/// let at = At::parse("2026-11-25T13:00:00+05:30").unwrap();
/// assert_eq!(at.resolve(jiff::Timestamp::now).to_string(), "2026-11-25T07:30:00Z");
/// assert_eq!(At::parse("now"), Ok(At::Now));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum At {
    /// The system clock's reading when the command runs.
    Now,
    /// A fixed instant.
    Instant(Timestamp),
}

impl At {
    /// Parses `now` or an RFC 3339 instant that carries its offset (`Z` or `±HH:MM`).
    pub fn parse(input: &str) -> Result<At, String> {
        if input.eq_ignore_ascii_case("now") {
            return Ok(At::Now);
        }
        input.parse::<Timestamp>().map(At::Instant).map_err(|err| {
            format!(
                "expected an RFC 3339 instant with an offset, such as 2026-11-25T07:30:00Z or \
                 2026-11-25T13:00:00+05:30, or `now` ({err})"
            )
        })
    }

    /// The instant itself, asking `now` for the time only when the user wrote `now`.
    pub fn resolve(self, now: impl FnOnce() -> Timestamp) -> Timestamp {
        match self {
            At::Now => now(),
            At::Instant(instant) => instant,
        }
    }
}

/// Why a subcommand failed.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// A setting in the environment is unusable.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The ephemeris refused the instant (for example, outside the range it covers).
    #[error(transparent)]
    Ephemeris(#[from] EphemerisError),
    /// The snapshot could not be encoded as JSON.
    #[error("could not encode the snapshot as JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// Standard output went away (a closed pipe, a full disk).
    #[error("could not write to standard output: {0}")]
    Stdout(#[source] io::Error),
    /// Standard input could not be read.
    #[error("could not read standard input: {0}")]
    Stdin(#[source] io::Error),
    /// `calc` refused requests; their problem documents are on standard output.
    #[error(transparent)]
    Refused(#[from] calc::Refused),
    /// A value the user gave is refused (one the flag parsers could not judge alone).
    #[error("{0}")]
    Invalid(String),
    /// The operating system's random number generator failed.
    #[error("could not read the OS random number generator: {0}")]
    Random(String),
    /// The tokio runtime could not start.
    #[error("could not start the async runtime: {0}")]
    Runtime(#[source] io::Error),
    /// The database could not be migrated (or reached).
    #[error("{target}: {source}")]
    Storage {
        /// Where the data lives, without a password.
        target: String,
        /// What went wrong.
        source: StorageError,
    },
    /// The listening socket could not be opened.
    #[error("could not listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// What the operating system said.
        source: io::Error,
    },
    /// The server stopped on an I/O error.
    #[error("the server stopped: {0}")]
    Serve(#[source] io::Error),
}

impl CliError {
    /// 2 for input or configuration the user can fix, 1 for failures of the machine.
    pub fn exit_code(&self) -> ExitCode {
        match self {
            CliError::Config(_) | CliError::Ephemeris(_) | CliError::Refused(_) | CliError::Invalid(_) => {
                ExitCode::from(EXIT_BAD_INPUT)
            }
            CliError::Json(_)
            | CliError::Stdout(_)
            | CliError::Stdin(_)
            | CliError::Runtime(_)
            | CliError::Random(_)
            | CliError::Storage { .. }
            | CliError::Bind { .. }
            | CliError::Serve(_) => ExitCode::FAILURE,
        }
    }
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        Command::Serve => serve(Config::from_env()?),
        Command::Migrate => migrate(Config::from_env()?),
        Command::Keys(args) => keys::run(&args, &Config::from_env()?),
        Command::SeedKeys(args) => seed::run(&args, &Config::from_env()?),
        Command::Calc(args) => calc::run(&args, io::stdin().lock(), io::stdout().lock(), Timestamp::now),
        Command::Ephemeris(args) => {
            let json = ephemeris_json(args.at.resolve(Timestamp::now))?;
            writeln!(io::stdout().lock(), "{json}").map_err(CliError::Stdout)
        }
    }
}

/// The ephemeris snapshot for `instant`, as the pretty JSON that `ephemeris` prints.
pub fn ephemeris_json(instant: Timestamp) -> Result<String, CliError> {
    let moment = Moment::from_timestamp(instant);
    let snapshot = ephemeris::snapshot(&moment)?;
    Ok(serde_json::to_string_pretty(&snapshot)?)
}

/// Reports a command line clap refused, and returns the exit code to leave with.
///
/// `--help` and `--version` go to stdout in full with exit code 0; a usage error becomes
/// one line on stderr with exit code 2.
pub fn report_parse_error(err: &clap::Error) -> ExitCode {
    if err.use_stderr() {
        eprintln!("{}", usage_error_line(err));
        ExitCode::from(EXIT_BAD_INPUT)
    } else {
        // Writing help to a closed stdout is not worth a second error.
        let _ = err.print();
        ExitCode::SUCCESS
    }
}

/// Clap's message for a usage error, folded into one line: its first paragraph (the error
/// itself, without the usage block that follows), then a pointer to `--help`.
fn usage_error_line(err: &clap::Error) -> String {
    let rendered = err.render().to_string();
    let first_paragraph =
        rendered.lines().map(str::trim).take_while(|line| !line.is_empty()).collect::<Vec<_>>().join(" ");
    format!("{first_paragraph} (see --help)")
}

/// `noesis-origin migrate`: apply the migrations, say where, stop.
fn migrate(config: Config) -> Result<(), CliError> {
    telemetry::init(config.log_format, config.log_filter);
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(CliError::Runtime)?;
    runtime.block_on(async {
        let database = open_migrated(&config.database, config.db_timeout).await?;
        database.close().await;
        writeln!(io::stdout().lock(), "migrations applied: {}", config.database).map_err(CliError::Stdout)
    })
}

/// Opens the database and brings its schema up to date.
async fn open_migrated(
    target: &crate::storage::DatabaseTarget,
    timeout: std::time::Duration,
) -> Result<Database, CliError> {
    let database = Database::open(target, timeout);
    database.migrate().await.map_err(|source| CliError::Storage { target: target.to_string(), source })?;
    Ok(database)
}

/// How long `serve` waits at shutdown for buffered usage rows to be written.
const USAGE_FLUSH_AT_SHUTDOWN: std::time::Duration = std::time::Duration::from_secs(10);

/// `noesis-origin serve`: logs on, runtime up, database migrated, admin key checked, listen until
/// a shutdown signal, then write the buffered usage and stop.
fn serve(config: Config) -> Result<(), CliError> {
    telemetry::init(config.log_format, config.log_filter.clone());
    // Kept for the life of `serve`: dropping it flushes the queued error events.
    let _sentry = crate::error_reporting::init(config.sentry.as_ref());
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(CliError::Runtime)?;
    runtime.block_on(async {
        let database = open_migrated(&config.database, config.db_timeout).await?;
        tracing::info!(database = %config.database, "database migrated");
        let storage = |source| CliError::Storage { target: config.database.to_string(), source };
        first_admin(&database, &config).await.map_err(storage)?;
        let addr = SocketAddr::from(([0, 0, 0, 0], config.port));
        let server = Server::bind(addr).await.map_err(|source| CliError::Bind { addr, source })?;
        let (app, background) = App::start(&config, database.clone(), Tuning::default());
        let router = routes::router(app, config.allowed_origins.clone());
        tracing::info!(%addr, version = env!("CARGO_PKG_VERSION"), redis = config.redis.is_some(), "noesis-origin listening");
        server.serve_until(router, server::shutdown_signal()).await.map_err(CliError::Serve)?;
        background.shutdown(USAGE_FLUSH_AT_SHUTDOWN).await;
        database.close().await;
        tracing::info!("noesis-origin stopped");
        Ok(())
    })
}

/// Makes the `NOESIS_ADMIN_BOOTSTRAP` key an admin key when set; otherwise, on a database with
/// no admin key, says how to make one. There is never a default password.
async fn first_admin(database: &Database, config: &Config) -> Result<(), StorageError> {
    if let Some(hash) = &config.admin_bootstrap
        && key_admin::ensure_bootstrap_admin(database, hash).await?
    {
        tracing::info!("NOESIS_ADMIN_BOOTSTRAP: the bootstrap admin key is now an admin key");
    }
    if database.count_active_admin_keys(jiff::Timestamp::now()).await? == 0 {
        tracing::warn!(
            "no admin key exists yet; create one with: noesis-origin keys create --name admin --tier enterprise \
             --level 5 --scopes engines,workflows,admin (same DATABASE_URL), or set NOESIS_ADMIN_BOOTSTRAP to the \
             SHA-256 of a key you generated"
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("noesis-origin").chain(args.iter().copied()))
    }

    #[test]
    fn at_accepts_utc_and_offset_instants() {
        let utc = At::parse("2026-11-25T07:30:00Z").unwrap();
        let ist = At::parse("2026-11-25T13:00:00+05:30").unwrap();
        assert_eq!(utc, ist);
    }

    #[test]
    fn at_accepts_now_and_reads_the_clock_only_then() {
        let fixed: Timestamp = "2000-01-01T12:00:00Z".parse().unwrap();
        assert_eq!(At::parse("now").unwrap().resolve(|| fixed), fixed);
        let at = At::parse("2026-11-25T07:30:00Z").unwrap();
        assert_ne!(at.resolve(|| fixed), fixed);
    }

    #[test]
    fn at_refuses_an_instant_without_an_offset() {
        let err = At::parse("2026-11-25T07:30:00").unwrap_err();
        assert!(err.contains("RFC 3339"), "{err}");
    }

    #[test]
    fn ephemeris_subcommand_takes_at() {
        let cli = parse(&["ephemeris", "--at", "2026-11-25T07:30:00Z"]).unwrap();
        let Command::Ephemeris(args) = cli.command else {
            panic!("parsed as {cli:?}");
        };
        assert_eq!(args.at, At::parse("2026-11-25T07:30:00Z").unwrap());
    }

    #[test]
    fn usage_errors_fold_into_one_line() {
        for args in [&["ephemeris"][..], &["ephemeris", "--at", "yesterday"], &["frobnicate"], &[]] {
            let err = parse(args).unwrap_err();
            assert!(err.use_stderr(), "{args:?}");
            let line = usage_error_line(&err);
            assert!(line.starts_with("error: "), "{args:?}: {line}");
            assert!(!line.contains('\n'), "{args:?}: {line}");
        }
    }

    #[test]
    fn missing_at_names_the_flag() {
        let line = usage_error_line(&parse(&["ephemeris"]).unwrap_err());
        assert!(line.contains("--at <INSTANT>"), "{line}");
    }

    #[test]
    fn migrate_is_a_subcommand() {
        assert!(matches!(parse(&["migrate"]).unwrap().command, Command::Migrate));
    }

    #[test]
    fn keys_rotate_takes_a_key_id_and_defaults_the_grace_to_a_day() {
        let cli = parse(&["keys", "rotate", "67e55044-10b1-426f-9247-bb680e5fe0c8"]).unwrap();
        let Command::Keys(keys::KeysArgs { command: keys::KeysCommand::Rotate(args) }) = cli.command else {
            panic!("parsed as {cli:?}");
        };
        assert_eq!(args.grace_seconds, 86_400);
        assert!(!args.json);
        let too_long = (key_admin::MAX_ROTATION_GRACE_SECONDS + 1).to_string();
        let err = parse(&["keys", "rotate", "67e55044-10b1-426f-9247-bb680e5fe0c8", "--grace-seconds", &too_long]);
        assert!(usage_error_line(&err.unwrap_err()).contains("--grace-seconds"));
    }

    #[test]
    fn seed_keys_defaults_to_free_level_2_and_bounds_the_count() {
        let cli = parse(&["seed-keys", "--count", "3"]).unwrap();
        let Command::SeedKeys(args) = cli.command else {
            panic!("parsed as {cli:?}");
        };
        assert_eq!((args.count, args.tier, args.level.get()), (3, noesis_core::keys::Tier::Free, 2));
        assert_eq!((args.owner, args.options.scopes, args.options.test, args.json), (None, None, false, false));
        for count in ["0", "1001", "many"] {
            let line = usage_error_line(&parse(&["seed-keys", "--count", count]).unwrap_err());
            assert!(line.contains("--count"), "{count}: {line}");
        }
        assert!(parse(&["seed-keys"]).is_err());
    }

    #[test]
    fn help_and_version_are_not_errors() {
        assert!(!parse(&["--help"]).unwrap_err().use_stderr());
        assert!(!parse(&["--version"]).unwrap_err().use_stderr());
    }
}
