//! `noesis-origin keys create|list|revoke`: API keys managed from the command line, on the same
//! database as `serve` (`DATABASE_URL`, else the SQLite file), migrated first.
//!
//! A new key is made from 64 bytes of the OS CSPRNG ([`ApiKey::generate`]); only its SHA-256 and
//! its display prefix are stored, and the key itself is printed once, by `create`. `list` prints
//! the listing fields of DESIGN §2, never a secret or a hash.

use std::io::{self, Write};

use clap::{Args, Subcommand};
use jiff::Timestamp;
use noesis_core::keys::{ApiKey, Environment, KeyId, Scopes, Tier};
use serde_json::{Value, json};
use uuid::Uuid;

use super::{CliError, open_migrated};
use crate::config::Config;
use crate::storage::{
    Database, DatabaseTarget, KeyFilter, NewKey, NewUser, Revocation, Revoked, StorageError, StoredKey, User,
};

/// The owner of a key created without `--owner`: created on first use.
pub const DEFAULT_OWNER: &str = "admin@localhost";

/// Who the audit events name as the actor of what this command does.
const ACTOR: &str = "cli";

/// How many keys `list` reads per query.
const PAGE: u32 = 100;

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
}

/// Arguments of `keys create`.
#[derive(Debug, Args)]
pub struct CreateArgs {
    /// A label for the key.
    #[arg(long, value_parser = non_empty)]
    pub name: String,
    /// The plan: free, premium or enterprise (sets the default rate limit: 60, 600, 6000 a minute).
    #[arg(long, value_parser = |text: &str| text.parse::<Tier>().map_err(|err| err.to_string()))]
    pub tier: Tier,
    /// The consciousness level, 0-5.
    #[arg(long, value_parser = clap::value_parser!(u8).range(0..=5))]
    pub level: u8,
    /// Scopes, comma-separated: engines, workflows, admin (default: engines,workflows).
    #[arg(long, value_parser = parse_scopes)]
    pub scopes: Option<Scopes>,
    /// The owner's email; the user is created if missing.
    #[arg(long, value_name = "EMAIL", default_value = DEFAULT_OWNER, value_parser = parse_email)]
    pub owner: String,
    /// Requests per minute (default: the tier's).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub rate_limit: Option<u32>,
    /// When the key stops working: RFC 3339 with an offset, in the future.
    #[arg(long, value_name = "INSTANT", value_parser = parse_instant)]
    pub expires_at: Option<Timestamp>,
    /// Make an `nk_test_` key instead of an `nk_live_` one.
    #[arg(long)]
    pub test: bool,
    /// Print `{key_id, api_key, key}` as JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `keys list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only the keys of the user with this email.
    #[arg(long, value_name = "EMAIL", value_parser = parse_email)]
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
    #[arg(value_parser = |text: &str| KeyId::parse(text).map_err(|err| err.to_string()))]
    pub key_id: KeyId,
    /// Why, for the audit log.
    #[arg(long)]
    pub reason: Option<String>,
    /// Print `{key_id, revoked_at}` as JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

fn non_empty(text: &str) -> Result<String, String> {
    let text = text.trim();
    if text.is_empty() { Err("it must not be empty".to_string()) } else { Ok(text.to_string()) }
}

fn parse_scopes(text: &str) -> Result<Scopes, String> {
    let scopes = text.parse::<Scopes>().map_err(|err| err.to_string())?;
    if scopes.is_empty() {
        return Err("a key needs at least one scope: engines, workflows or admin".to_string());
    }
    Ok(scopes)
}

fn parse_email(text: &str) -> Result<String, String> {
    let text = text.trim();
    match text.split_once('@') {
        Some((local, domain)) if !local.is_empty() && !domain.is_empty() && !text.contains(char::is_whitespace) => {
            Ok(text.to_string())
        }
        _ => Err(format!("`{text}` is not an email address")),
    }
}

fn parse_instant(text: &str) -> Result<Timestamp, String> {
    text.parse::<Timestamp>()
        .map_err(|err| format!("expected an RFC 3339 instant with an offset, such as 2027-01-01T00:00:00Z ({err})"))
}

/// Runs `keys …`.
pub fn run(args: &KeysArgs, config: &Config) -> Result<(), CliError> {
    // Checks that need no database come first, so bad input never touches it.
    if let KeysCommand::Create(create) = &args.command
        && let Some(expires_at) = create.expires_at
        && expires_at <= Timestamp::now()
    {
        return Err(CliError::Invalid(format!("--expires-at {expires_at} is not in the future")));
    }
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(CliError::Runtime)?;
    runtime.block_on(async {
        let database = open_migrated(&config.database, config.db_timeout).await?;
        let session = Session { database: &database, target: &config.database };
        let result = match &args.command {
            KeysCommand::Create(create) => session.create(create).await,
            KeysCommand::List(list) => session.list(list).await,
            KeysCommand::Revoke(revoke) => session.revoke(revoke).await,
        };
        database.close().await;
        result
    })
}

/// The database and where it is, for error messages.
struct Session<'a> {
    database: &'a Database,
    target: &'a DatabaseTarget,
}

impl Session<'_> {
    fn storage(&self, source: StorageError) -> CliError {
        CliError::Storage { target: self.target.to_string(), source }
    }

    /// The user with `email`, created (on `tier`) when there is none.
    async fn owner(&self, email: &str, tier: Tier) -> Result<User, CliError> {
        if let Some(user) = self.database.find_user_by_email(email).await.map_err(|err| self.storage(err))? {
            return Ok(user);
        }
        let name = email.split('@').next().unwrap_or(email).to_string();
        let new = NewUser { email: email.to_string(), name, tier: tier.as_str().to_string() };
        match self.database.create_user(&new).await {
            Ok(user) => Ok(user),
            // Created by someone else in between: use theirs.
            Err(StorageError::Duplicate(_)) => self
                .database
                .find_user_by_email(email)
                .await
                .map_err(|err| self.storage(err))?
                .ok_or_else(|| CliError::Invalid(format!("could not create or find the user {email}"))),
            Err(err) => Err(self.storage(err)),
        }
    }

    async fn create(&self, args: &CreateArgs) -> Result<(), CliError> {
        let owner = self.owner(&args.owner, args.tier).await?;
        let mut random = [0u8; ApiKey::RANDOM_BYTES];
        getrandom::fill(&mut random).map_err(|err| CliError::Random(err.to_string()))?;
        let environment = if args.test { Environment::Test } else { Environment::Live };
        let key = ApiKey::generate(environment, random);
        let scopes = args.scopes.unwrap_or(Scopes::STANDARD);
        let new = NewKey {
            user_id: owner.id,
            name: args.name.clone(),
            key_hash: key.hash().to_string(),
            prefix: key.display_prefix().to_string(),
            tier: args.tier.as_str().to_string(),
            consciousness_level: args.level,
            scopes: scopes.iter().map(|scope| scope.as_str().to_string()).collect(),
            rate_limit_per_minute: args.rate_limit.unwrap_or(args.tier.default_rate_limit_per_minute()),
            expires_at: args.expires_at,
            rotated_from: None,
            actor: ACTOR.to_string(),
        };
        let stored = self.database.create_key(&new).await.map_err(|err| self.storage(err))?;
        let mut out = io::stdout().lock();
        let text = if args.json {
            let body =
                json!({"key_id": stored.id.to_string(), "api_key": key.expose_secret(), "key": listing(&stored)});
            format!("{body:#}")
        } else {
            format!(
                "key id:     {id}\napi key:    {secret}\nprefix:     {prefix}\nowner:      {email}\ntier:       {tier}\n\
                 level:      {level}\nscopes:     {scopes}\nrate limit: {rate}/minute\nexpires at: {expires}\n\n\
                 Store the api key now: it is not stored and will not be shown again.",
                id = stored.id,
                secret = key.expose_secret(),
                prefix = stored.prefix,
                email = owner.email,
                tier = stored.tier,
                level = stored.consciousness_level,
                scopes = stored.scopes.join(","),
                rate = stored.rate_limit_per_minute,
                expires = stored.expires_at.map_or_else(|| "never".to_string(), |at| at.to_string()),
            )
        };
        writeln!(out, "{text}").map_err(CliError::Stdout)
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
        let mut out = io::stdout().lock();
        if args.json {
            let body = json!({"items": keys.iter().map(listing).collect::<Vec<_>>()});
            return writeln!(out, "{body:#}").map_err(CliError::Stdout);
        }
        if keys.is_empty() {
            return writeln!(out, "no keys").map_err(CliError::Stdout);
        }
        for key in &keys {
            let status = match key.revoked_at {
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
            return Err(CliError::Invalid(format!("no key has the id {key_id}")));
        };
        let mut out = io::stdout().lock();
        let at = revoked.revoked_at();
        let text = if args.json {
            json!({"key_id": key_id.to_string(), "revoked_at": at.to_string()}).to_string()
        } else {
            match revoked {
                Revoked::Now(_) => format!("revoked {key_id} at {at}"),
                Revoked::Already(_) => format!("{key_id} was already revoked at {at}"),
            }
        };
        writeln!(out, "{text}").map_err(CliError::Stdout)
    }
}

/// A key's listing fields (DESIGN §2), never its secret or hash.
pub fn listing(key: &StoredKey) -> Value {
    let instant = |at: Option<Timestamp>| at.map(|at| at.to_string());
    json!({
        "key_id": key.id.to_string(),
        "prefix": key.prefix,
        "name": key.name,
        "user_id": key.user_id.to_string(),
        "tier": key.tier,
        "consciousness_level": key.consciousness_level,
        "scopes": key.scopes,
        "rate_limit_per_minute": key.rate_limit_per_minute,
        "created_at": key.created_at.to_string(),
        "expires_at": instant(key.expires_at),
        "revoked_at": instant(key.revoked_at),
        "last_used_at": instant(key.last_used_at),
    })
}
