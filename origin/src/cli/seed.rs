//! `noesis-origin seed-keys`: keys for the first test users, made in one go.
//!
//! Each key is issued as `keys create` issues one ([`key_admin::issue`]) and named `test user <i>`.
//! Without `--owner`, each key gets an owner of its own, a new user
//! `test-user-<8 hex digits>@tryambakam.space` (on the keys' tier), so that every tester's usage
//! stays apart; with `--owner EMAIL`, every key belongs to that user (created if missing).
//!
//! Each key is printed once: in text, one line per key, `key_id  api_key  owner`, as it is made;
//! with `--json`, an array of `{key_id, api_key, key}` (the HTTP create answer's shape). The
//! reminder that keys are not stored goes to stderr, so that stdout is the keys alone. The run is
//! not all or nothing: when it fails midway, the keys already made (they exist) are printed
//! before the error.
//!
//! [`key_admin::issue`]: crate::key_admin::issue

use clap::Args;
use jiff::Timestamp;
use noesis_core::engines::Level;
use noesis_core::keys::Tier;

use super::CliError;
use super::keys::{self, KeyOptions, Session};
use crate::config::Config;
use crate::key_admin;
use crate::routes::admin::keys::CreatedKey;
use crate::storage::{NewUser, StorageError, User};

/// The domain of the users `seed-keys` makes.
pub const TEST_USER_DOMAIN: &str = "tryambakam.space";

/// Said once the keys are printed (on stderr).
const REMINDER: &str = "Store the api keys now: they are not stored and will not be shown again.";

/// How many fresh test-user emails are tried before giving up (each is 32 random bits, so a
/// second try is already rare).
const USER_ATTEMPTS: usize = 3;

/// Arguments of `noesis-origin seed-keys`.
#[derive(Debug, Args)]
pub struct SeedArgs {
    /// How many keys to make, 1-1000.
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=1000))]
    pub count: u16,
    /// The plan of every key (and of the users made for them): free, premium or enterprise.
    #[arg(long, default_value = "free", value_parser = keys::parse_tier)]
    pub tier: Tier,
    /// The consciousness level of every key, 0-5.
    #[arg(long, default_value = "2", value_parser = keys::parse_level)]
    pub level: Level,
    #[command(flatten)]
    pub options: KeyOptions,
    /// One owner for every key (created if missing), instead of a new test user per key.
    #[arg(long, value_name = "EMAIL", value_parser = key_admin::check_email)]
    pub owner: Option<String>,
    /// Print a JSON array of `{key_id, api_key, key}` instead of one text line per key.
    #[arg(long)]
    pub json: bool,
}

/// Runs `seed-keys`.
pub fn run(args: &SeedArgs, config: &Config) -> Result<(), CliError> {
    args.options.check(Timestamp::now())?;
    keys::on_database(config, async |session| {
        let mut made = Vec::new();
        let mut failure = None;
        for index in 1..=args.count {
            match seed_one(session, args, index).await {
                Ok((created, owner)) => {
                    if !args.json {
                        keys::print(format_args!("{}  {}  {owner}", created.key_id, created.api_key))?;
                    }
                    made.push(created);
                }
                Err(err) => {
                    failure = Some(err);
                    break;
                }
            }
        }
        if args.json {
            keys::print_json(&made)?;
        }
        let Some(err) = failure else {
            eprintln!("{} keys made. {REMINDER}", made.len());
            return Ok(());
        };
        if !made.is_empty() {
            eprintln!("seed-keys stopped after {} of {} keys; those printed exist. {REMINDER}", made.len(), args.count);
        }
        Err(err)
    })
}

/// Makes key number `index`, and says whose it is.
async fn seed_one(session: &Session<'_>, args: &SeedArgs, index: u16) -> Result<(CreatedKey, String), CliError> {
    let owner = match &args.owner {
        Some(email) => session.owner(email, args.tier).await?,
        None => new_test_user(session, args.tier).await?,
    };
    let spec = args.options.spec(&owner, format!("test user {index}"), args.tier, args.level);
    let (key, stored) = session.issue(&spec).await?;
    Ok((keys::created(&key, &stored), owner.email))
}

/// A new user `test-user-<8 hex>@tryambakam.space`, never one that exists already.
async fn new_test_user(session: &Session<'_>, tier: Tier) -> Result<User, CliError> {
    let mut taken = StorageError::Duplicate("users.email");
    for _ in 0..USER_ATTEMPTS {
        let local = format!("test-user-{}", random_hex()?);
        let user =
            NewUser { email: format!("{local}@{TEST_USER_DOMAIN}"), name: local, tier: tier.as_str().to_string() };
        match session.database.create_user(&user).await {
            Ok(user) => return Ok(user),
            Err(err @ StorageError::Duplicate(_)) => taken = err,
            Err(err) => return Err(session.storage(err)),
        }
    }
    Err(session.storage(taken))
}

/// Eight lowercase hex digits from the OS CSPRNG.
fn random_hex() -> Result<String, CliError> {
    let mut random = [0u8; 4];
    getrandom::fill(&mut random).map_err(|err| CliError::Random(err.to_string()))?;
    Ok(random.iter().map(|byte| format!("{byte:02x}")).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_hex_is_eight_lowercase_hex_digits() {
        let hex = random_hex().unwrap();
        assert_eq!(hex.len(), 8);
        assert!(hex.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()), "{hex}");
    }
}
