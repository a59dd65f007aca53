//! `noesis-origin keys create|list|revoke|rotate`: API keys managed from the command line, on the
//! same database as `serve` (`DATABASE_URL`, else the SQLite file), migrated first.
//!
//! Keys are issued and rotated by [`key_admin`], the code behind the admin routes, so a key made
//! here is made exactly as one made over HTTP, and `--json` prints the HTTP answer's shape. The
//! key itself is printed once, by `create` and `rotate`: only its SHA-256 and display prefix are
//! stored. `list` prints the listing fields of DESIGN §2 ([`KeyView`]), never a secret or a hash.

use std::fmt::Display;
use std::io::{self, Write};

use clap::{Args, Subcommand};
use jiff::{SignedDuration, Timestamp};
use noesis_core::engines::Level;
use noesis_core::keys::{ApiKey, Environment, KeyId, Scopes, Tier};
use serde::Serialize;
use uuid::Uuid;

use super::{CliError, open_migrated};
use crate::config::Config;
use crate::key_admin::{self, IssueError, KeySpec, KeyView, RotationOutcome};
use crate::routes::admin::keys::{CreatedKey, RotatedKey};
use crate::storage::{Database, DatabaseTarget, KeyFilter, Revocation, Revoked, StorageError, StoredKey, User};

/// Who the audit events name as the actor of what this command does.
const ACTOR: &str = "cli";

/// How many keys `list` reads per query.
const PAGE: u32 = 100;

/// The grace period of `rotate` without `--grace-seconds`: [`key_admin::DEFAULT_ROTATION_GRACE`].
const DEFAULT_GRACE_SECONDS: u64 = key_admin::DEFAULT_ROTATION_GRACE.as_secs().unsigned_abs();
const _: () = assert!(DEFAULT_GRACE_SECONDS <= key_admin::MAX_ROTATION_GRACE_SECONDS);

/// Said wherever a key is printed.
const NOT_STORED: &str = "Store the api key now: it is not stored and will not be shown again.";

/// Arguments of `noesis-origin keys`.
#[derive(Debug, Args)]
pub struct KeysArgs {
    /// What to do with keys.
    #[command(subcommand)]
    pub command: KeysCommand,
}

/// The subcommands of `noesis-origin keys`.
#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Create a key and print it once: only its hash and prefix are stored.
    Create(CreateArgs),
    /// List keys (newest first), never a secret or a hash.
    List(ListArgs),
    /// Revoke a key, effective at the origin at once.
    Revoke(RevokeArgs),
    /// Replace a key with a new one (printed once); the old one keeps working for a grace period.
    Rotate(RotateArgs),
}

/// What a new key may be given beyond its name, tier and level: shared by `keys create` and
/// `seed-keys`.
#[derive(Debug, Args)]
pub struct KeyOptions {
    /// Scopes, comma-separated: engines, workflows, admin (default: engines,workflows).
    #[arg(long, value_parser = parse_scopes)]
    pub scopes: Option<Scopes>,
    /// Requests per minute (default: the tier's).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub rate_limit: Option<u32>,
    /// When the key stops working: RFC 3339 with an offset, in the future.
    #[arg(long, value_name = "INSTANT", value_parser = parse_instant)]
    pub expires_at: Option<Timestamp>,
    /// Make an `nk_test_` key instead of an `nk_live_` one.
    #[arg(long)]
    pub test: bool,
}

impl KeyOptions {
    /// Refuses what the flag parsers cannot judge alone (an expiry already past), so that bad
    /// input never touches the database.
    pub(super) fn check(&self, now: Timestamp) -> Result<(), CliError> {
        match self.expires_at {
            Some(expires_at) if expires_at <= now => {
                Err(CliError::Invalid(format!("--expires-at {expires_at} is not in the future")))
            }
            _ => Ok(()),
        }
    }

    /// The key these options describe, for `owner`.
    pub(super) fn spec(&self, owner: &User, name: String, tier: Tier, level: Level) -> KeySpec {
        KeySpec {
            user_id: owner.id,
            name,
            tier,
            level,
            scopes: self.scopes.unwrap_or(Scopes::STANDARD),
            rate_limit_per_minute: self.rate_limit,
            expires_at: self.expires_at,
            environment: if self.test { Environment::Test } else { Environment::Live },
        }
    }
}

/// Arguments of `keys create`.
#[derive(Debug, Args)]
pub struct CreateArgs {
    /// A label for the key.
    #[arg(long, value_parser = non_empty)]
    pub name: String,
    /// The plan: free, premium or enterprise (sets the default rate limit: 60, 600, 6000 a minute).
    #[arg(long, value_parser = parse_tier)]
    pub tier: Tier,
    /// The consciousness level, 0-5.
    #[arg(long, value_parser = parse_level)]
    pub level: Level,
    #[command(flatten)]
    pub options: KeyOptions,
    /// The owner's email; the user is created (on the key's tier) if missing.
    #[arg(long, value_name = "EMAIL", default_value = key_admin::DEFAULT_OWNER, value_parser = key_admin::check_email)]
    pub owner: String,
    /// Print `{key_id, api_key, key}` as JSON (the HTTP answer's shape) instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `keys list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only the keys of the user with this email.
    #[arg(long, value_name = "EMAIL", value_parser = key_admin::check_email)]
    pub user: Option<String>,
    /// Include revoked keys.
    #[arg(long)]
    pub include_revoked: bool,
    /// Print `{items: [...]}` as JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `keys revoke`.
#[derive(Debug, Args)]
pub struct RevokeArgs {
    /// The key's id (a UUID, as `keys list` shows it).
    #[arg(value_parser = parse_key_id)]
    pub key_id: KeyId,
    /// Why, for the audit log.
    #[arg(long)]
    pub reason: Option<String>,
    /// Print `{key_id, revoked_at}` as JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `keys rotate`.
#[derive(Debug, Args)]
pub struct RotateArgs {
    /// The id of the key to replace (a UUID, as `keys list` shows it).
    #[arg(value_parser = parse_key_id)]
    pub key_id: KeyId,
    /// How long the old key keeps working, in seconds (at most 30 days).
    #[arg(
        long,
        value_name = "SECONDS",
        default_value_t = DEFAULT_GRACE_SECONDS,
        value_parser = clap::value_parser!(u64).range(0..=key_admin::MAX_ROTATION_GRACE_SECONDS)
    )]
    pub grace_seconds: u64,
    /// Print `{key_id, api_key, previous_key_id, previous_valid_until}` as JSON (the HTTP
    /// answer's shape) instead of text.
    #[arg(long)]
    pub json: bool,
}

fn non_empty(text: &str) -> Result<String, String> {
    let text = text.trim();
    if text.is_empty() { Err("it must not be empty".to_string()) } else { Ok(text.to_string()) }
}

pub(super) fn parse_tier(text: &str) -> Result<Tier, String> {
    text.parse::<Tier>().map_err(|err| err.to_string())
}

pub(super) fn parse_level(text: &str) -> Result<Level, String> {
    text.parse::<u8>().ok().and_then(Level::new).ok_or_else(|| format!("`{text}` is not a level from 0 to 5"))
}

fn parse_scopes(text: &str) -> Result<Scopes, String> {
    let scopes = text.parse::<Scopes>().map_err(|err| err.to_string())?;
    if scopes.is_empty() {
        return Err("a key needs at least one scope: engines, workflows or admin".to_string());
    }
    Ok(scopes)
}

fn parse_instant(text: &str) -> Result<Timestamp, String> {
    text.parse::<Timestamp>()
        .map_err(|err| format!("expected an RFC 3339 instant with an offset, such as 2027-01-01T00:00:00Z ({err})"))
}

fn parse_key_id(text: &str) -> Result<KeyId, String> {
    KeyId::parse(text).map_err(|err| err.to_string())
}

/// Runs `keys …`.
pub fn run(args: &KeysArgs, config: &Config) -> Result<(), CliError> {
    if let KeysCommand::Create(create) = &args.command {
        create.options.check(Timestamp::now())?;
    }
    on_database(config, async |session| match &args.command {
        KeysCommand::Create(create) => session.create(create).await,
        KeysCommand::List(list) => session.list(list).await,
        KeysCommand::Revoke(revoke) => session.revoke(revoke).await,
        KeysCommand::Rotate(rotate) => session.rotate(rotate).await,
    })
}

/// Runs `work` on the migrated database of `config`, and closes it afterwards.
pub(super) fn on_database<T>(
    config: &Config,
    work: impl AsyncFnOnce(&Session<'_>) -> Result<T, CliError>,
) -> Result<T, CliError> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(CliError::Runtime)?;
    runtime.block_on(async {
        let database = open_migrated(&config.database, config.db_timeout).await?;
        let result = work(&Session { database: &database, target: &config.database }).await;
        database.close().await;
        result
    })
}

/// Prints `text` and a line end on stdout.
pub(super) fn print(text: impl Display) -> Result<(), CliError> {
    writeln!(io::stdout().lock(), "{text}").map_err(CliError::Stdout)
}

/// Prints `value` as pretty JSON on stdout.
pub(super) fn print_json(value: &impl Serialize) -> Result<(), CliError> {
    print(serde_json::to_string_pretty(value)?)
}

/// A new key's `--json` answer, as `POST /api/v1/admin/keys` gives it.
pub(super) fn created(key: &ApiKey, stored: &StoredKey) -> CreatedKey {
    CreatedKey { key_id: stored.id, api_key: key.expose_secret().to_owned(), key: KeyView::of(stored, None) }
}

/// The database and where it is, for error messages.
pub(super) struct Session<'a> {
    pub(super) database: &'a Database,
    target: &'a DatabaseTarget,
}

impl Session<'_> {
    pub(super) fn storage(&self, source: StorageError) -> CliError {
        CliError::Storage { target: self.target.to_string(), source }
    }

    fn issue_error(&self, err: IssueError) -> CliError {
        match err {
            IssueError::Storage(source) => self.storage(source),
            IssueError::Random(reason) => CliError::Random(reason),
        }
    }

    /// The user with `email`, created on `tier` when there is none.
    pub(super) async fn owner(&self, email: &str, tier: Tier) -> Result<User, CliError> {
        key_admin::owner_by_email(self.database, email, tier).await.map_err(|err| self.storage(err))
    }

    /// Issues the key `spec` describes, through [`key_admin::issue`].
    pub(super) async fn issue(&self, spec: &KeySpec) -> Result<(ApiKey, StoredKey), CliError> {
        key_admin::issue(self.database, spec, ACTOR).await.map_err(|err| self.issue_error(err))
    }

    async fn create(&self, args: &CreateArgs) -> Result<(), CliError> {
        let owner = self.owner(&args.owner, args.tier).await?;
        let (key, stored) = self.issue(&args.options.spec(&owner, args.name.clone(), args.tier, args.level)).await?;
        if args.json {
            return print_json(&created(&key, &stored));
        }
        let expires = stored.expires_at.map_or_else(|| "never".to_string(), |at| at.to_string());
        let rate = format!("{}/minute", stored.rate_limit_per_minute);
        print(
            labelled(&[
                ("key id", &stored.id),
                ("api key", &key.expose_secret()),
                ("prefix", &stored.prefix),
                ("owner", &owner.email),
                ("tier", &stored.tier),
                ("level", &stored.consciousness_level),
                ("scopes", &stored.scopes.join(",")),
                ("rate limit", &rate),
                ("expires at", &expires),
            ]) + "\n\n"
                + NOT_STORED,
        )
    }

    async fn list(&self, args: &ListArgs) -> Result<(), CliError> {
        let user_id = match &args.user {
            None => None,
            Some(email) => match self.database.find_user_by_email(email).await.map_err(|err| self.storage(err))? {
                Some(user) => Some(user.id),
                None => return Err(CliError::Invalid(format!("no user has the email {email}"))),
            },
        };
        let filter = KeyFilter { user_id, tier: None, revoked: if args.include_revoked { None } else { Some(false) } };
        let mut keys = Vec::new();
        let mut after = None;
        loop {
            let page = self.database.list_keys(&filter, after, PAGE).await.map_err(|err| self.storage(err))?;
            keys.extend(page.items);
            match page.next_cursor {
                Some(cursor) => after = Some(cursor),
                None => break,
            }
        }
        if args.json {
            let items: Vec<KeyView> = keys.iter().map(|key| KeyView::of(key, None)).collect();
            return print_json(&serde_json::json!({ "items": items }));
        }
        if keys.is_empty() {
            return print("no keys");
        }
        let now = Timestamp::now();
        let mut out = io::stdout().lock();
        for key in &keys {
            let status = match key.revoked_at {
                // A rotated key works until its scheduled revocation.
                Some(at) if at > now => format!("revokes {at}"),
                Some(at) => format!("revoked {at}"),
                None => "active".to_string(),
            };
            writeln!(
                out,
                "{id}  {prefix}…  {tier:<10}  level {level}  {scopes:<24}  {rate}/min  {status}  {name}",
                id = key.id,
                prefix = key.prefix,
                tier = key.tier,
                level = key.consciousness_level,
                scopes = key.scopes.join(","),
                rate = key.rate_limit_per_minute,
                name = key.name,
            )
            .map_err(CliError::Stdout)?;
        }
        Ok(())
    }

    async fn revoke(&self, args: &RevokeArgs) -> Result<(), CliError> {
        let key_id = Uuid::from(args.key_id);
        let revocation = Revocation { key_id, reason: args.reason.clone(), actor: ACTOR.to_string() };
        let revoked = self.database.revoke_key(&revocation).await.map_err(|err| self.storage(err))?;
        let Some(revoked) = revoked else {
            return Err(no_such_key(key_id));
        };
        let at = revoked.revoked_at();
        if args.json {
            return print(serde_json::json!({"key_id": key_id.to_string(), "revoked_at": at.to_string()}));
        }
        match revoked {
            Revoked::Now(_) => print(format_args!("revoked {key_id} at {at}")),
            Revoked::Already(_) => print(format_args!("{key_id} was already revoked at {at}")),
        }
    }

    async fn rotate(&self, args: &RotateArgs) -> Result<(), CliError> {
        let previous_key_id = Uuid::from(args.key_id);
        let grace = SignedDuration::from_secs(i64::try_from(args.grace_seconds).unwrap_or(i64::MAX));
        let outcome = key_admin::rotate(self.database, previous_key_id, grace, Timestamp::now(), ACTOR)
            .await
            .map_err(|err| self.issue_error(err))?;
        let (key, stored, previous_valid_until) = match outcome {
            RotationOutcome::Rotated { key, stored, previous_valid_until } => (key, stored, previous_valid_until),
            RotationOutcome::NotFound => return Err(no_such_key(previous_key_id)),
            RotationOutcome::AlreadyRevoked(at) => {
                return Err(CliError::Invalid(format!(
                    "{previous_key_id} is revoked or already rotated (its revocation is at {at}); rotate its \
                     replacement instead"
                )));
            }
        };
        if args.json {
            return print_json(&RotatedKey {
                key_id: stored.id,
                api_key: key.expose_secret().to_owned(),
                previous_key_id,
                previous_valid_until,
            });
        }
        let rows = labelled(&[
            ("key id", &stored.id),
            ("api key", &key.expose_secret()),
            ("previous key id", &previous_key_id),
            ("previous valid until", &previous_valid_until),
        ]);
        print(format_args!("{rows}\n\n{NOT_STORED} The previous key keeps working until {previous_valid_until}."))
    }
}

/// `label: value` lines, the values aligned.
fn labelled(rows: &[(&str, &dyn Display)]) -> String {
    let width = rows.iter().map(|(label, _)| label.len()).max().unwrap_or(0) + 1;
    let lines: Vec<String> =
        rows.iter().map(|(label, value)| format!("{:<width$} {value}", format!("{label}:"))).collect();
    lines.join("\n")
}

fn no_such_key(key_id: Uuid) -> CliError {
    CliError::Invalid(format!("no key has the id {key_id}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_grace_is_key_admins() {
        assert_eq!(
            SignedDuration::from_secs(i64::try_from(DEFAULT_GRACE_SECONDS).unwrap()),
            key_admin::DEFAULT_ROTATION_GRACE
        );
    }

    #[test]
    fn labelled_lines_align_their_values() {
        assert_eq!(labelled(&[("key id", &1), ("rate limit", &"60/minute")]), "key id:     1\nrate limit: 60/minute");
    }

    #[test]
    fn levels_are_0_to_5() {
        assert_eq!(parse_level("5").map(Level::get), Ok(5));
        assert!(parse_level("6").unwrap_err().contains("0 to 5"));
        assert!(parse_level("-1").is_err());
    }
}
