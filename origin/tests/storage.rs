//! The storage layer, against both databases: every case runs on a fresh SQLite file and on a
//! fresh schema of the Postgres at `TEST_DATABASE_URL` (`scripts/test` starts one and sets it;
//! without it the Postgres runs are skipped with a note on stderr).

use std::collections::BTreeSet;
use std::future::Future;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::{Duration, Instant};

use jiff::{Timestamp, ToSpan};
use noesis_origin::storage::{
    Database, DatabaseTarget, KeyCursor, KeyFilter, NewKey, NewUser, Revocation, Revoked, StorageError, UsageRecord,
};
use sqlx::Connection;
use sqlx::postgres::{PgConnectOptions, PgConnection};
use sqlx::sqlite::SqliteConnection;
use uuid::Uuid;

const TIMEOUT: Duration = Duration::from_secs(5);

// ---------------------------------------------------------------------------------------------
// Running one case on each backend

/// A fresh SQLite file in the temp directory, migrated; removed afterwards.
struct SqliteFile(PathBuf);

impl SqliteFile {
    fn new() -> SqliteFile {
        SqliteFile(std::env::temp_dir().join(format!("noesis-storage-test-{}.sqlite", Uuid::new_v4().simple())))
    }
}

impl Drop for SqliteFile {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let mut path = self.0.clone().into_os_string();
            path.push(suffix);
            let _ = std::fs::remove_file(path);
        }
    }
}

async fn on_sqlite<F, Fut>(case: F)
where
    F: FnOnce(Database) -> Fut,
    Fut: Future<Output = ()>,
{
    let file = SqliteFile::new();
    let db = Database::open(&DatabaseTarget::Sqlite(file.0.clone()), TIMEOUT);
    db.migrate().await.expect("migrate the SQLite file");
    case(db.clone()).await;
    db.close().await;
}

fn test_database_url() -> Option<String> {
    let url = std::env::var("TEST_DATABASE_URL").ok().filter(|url| !url.is_empty());
    if url.is_none() {
        eprintln!("TEST_DATABASE_URL is unset: skipping the Postgres run (scripts/test sets it)");
    }
    url
}

/// Runs `case` on a schema of its own in the test Postgres, migrated, and drops the schema
/// afterwards, whether the case passed or panicked.
async fn on_postgres<F, Fut>(case: F)
where
    F: FnOnce(Database, String) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let Some(url) = test_database_url() else { return };
    let schema = format!("noesis_test_{}", Uuid::new_v4().simple());
    let mut admin = PgConnection::connect(&url).await.expect("connect to TEST_DATABASE_URL");
    sqlx::query(&format!("CREATE SCHEMA {schema}")).execute(&mut admin).await.expect("create the test schema");

    let options =
        PgConnectOptions::from_str(&url).expect("TEST_DATABASE_URL parses").options([("search_path", &schema)]);
    let db = Database::open_postgres(options, TIMEOUT);
    let outcome = match db.migrate().await {
        Ok(()) => tokio::spawn(case(db.clone(), schema.clone())).await.map_err(|err| err.into_panic()),
        Err(err) => Err(Box::new(format!("migrate the Postgres schema: {err}")) as Box<dyn std::any::Any + Send>),
    };
    db.close().await;

    sqlx::query(&format!("DROP SCHEMA {schema} CASCADE")).execute(&mut admin).await.expect("drop the test schema");
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}

/// One `#[tokio::test]` per case and backend: `sqlite::name` and `postgres::name`.
macro_rules! on_both_databases {
    ($($case:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test]
            async fn $case() {
                super::on_sqlite(super::$case).await;
            })*
        }
        mod postgres {
            $(#[tokio::test]
            async fn $case() {
                super::on_postgres(|db, _schema| super::$case(db)).await;
            })*
        }
    };
}

on_both_databases!(
    migrations_apply_and_a_second_run_changes_nothing,
    a_user_is_found_by_email_in_any_case,
    an_email_is_unique_whatever_its_case,
    a_key_is_created_found_listed_and_revoked,
    a_key_whose_audit_event_fails_is_not_created,
    a_key_for_an_unknown_user_is_refused,
    a_key_hash_is_unique,
    keys_are_listed_newest_first_a_page_at_a_time,
    listings_filter_by_user_tier_and_revocation,
    usage_is_written_in_batches,
);

// ---------------------------------------------------------------------------------------------
// The cases

fn new_user(email: &str) -> NewUser {
    NewUser { email: email.to_string(), name: "Asha Rao".to_string(), tier: "premium".to_string() }
}

/// A key for `user_id` whose hash is derived from `n`, so that each is unique.
fn new_key(user_id: Uuid, n: u32) -> NewKey {
    NewKey {
        user_id,
        name: format!("key {n}"),
        key_hash: format!("{n:064x}"),
        prefix: "nk_test_abcd".to_string(),
        tier: "premium".to_string(),
        consciousness_level: 2,
        scopes: vec!["workflows".to_string(), "engines".to_string()],
        rate_limit_per_minute: 600,
        expires_at: None,
        rotated_from: None,
        actor: "test".to_string(),
    }
}

async fn migrations_apply_and_a_second_run_changes_nothing(db: Database) {
    db.migrate().await.expect("a second migration run is a no-op");
    db.ping().await.expect("the database answers");
}

async fn a_user_is_found_by_email_in_any_case(db: Database) {
    let user = db.create_user(&new_user("Asha@Example.com")).await.unwrap();
    assert_eq!(user.email, "Asha@Example.com");
    assert_eq!(db.find_user_by_email("asha@example.COM").await.unwrap(), Some(user));
    assert_eq!(db.find_user_by_email("someone@example.com").await.unwrap(), None);
}

async fn an_email_is_unique_whatever_its_case(db: Database) {
    db.create_user(&new_user("asha@example.com")).await.unwrap();
    let err = db.create_user(&new_user("ASHA@example.com")).await.unwrap_err();
    assert!(matches!(err, StorageError::Duplicate(_)), "{err:?}");
    assert_eq!(err.to_string(), "a user with this email already exists");
}

async fn a_key_is_created_found_listed_and_revoked(db: Database) {
    let user = db.create_user(&new_user("asha@example.com")).await.unwrap();
    let expires_at = Timestamp::now().checked_add(720.hours()).unwrap();
    let key = db.create_key(&NewKey { expires_at: Some(expires_at), ..new_key(user.id, 1) }).await.unwrap();
    assert_eq!(key.scopes, ["engines", "workflows"]);
    assert_eq!(key.revoked_at, None);

    let found = db.key_by_hash(&key.key_hash).await.unwrap().expect("the key is found by its hash");
    assert_eq!(found, key);
    assert_eq!(found.expires_at.map(|at| at.as_microsecond()), Some(expires_at.as_microsecond()));

    let page = db.list_keys(&KeyFilter::default(), None, 10).await.unwrap();
    assert_eq!((page.items, page.next_cursor), (vec![key.clone()], None));

    let revocation = Revocation { key_id: key.id, reason: Some("leaked".to_string()), actor: "admin".to_string() };
    let Some(Revoked::Now(revoked_at)) = db.revoke_key(&revocation).await.unwrap() else {
        panic!("the key was active");
    };
    let found = db.key_by_hash(&key.key_hash).await.unwrap().unwrap();
    assert_eq!((found.revoked_at, found.revoked_reason.as_deref()), (Some(revoked_at), Some("leaked")));

    let again = db.revoke_key(&revocation).await.unwrap();
    assert_eq!(again, Some(Revoked::Already(revoked_at)), "revoking twice keeps the first instant");
    let unknown = Revocation { key_id: Uuid::new_v4(), ..revocation };
    assert_eq!(db.revoke_key(&unknown).await.unwrap(), None);
}

async fn a_key_whose_audit_event_fails_is_not_created(db: Database) {
    let user = db.create_user(&new_user("asha@example.com")).await.unwrap();
    // The events table refuses an empty actor; the key's own insert has already succeeded.
    let key = NewKey { actor: String::new(), ..new_key(user.id, 1) };
    let err = db.create_key(&key).await.unwrap_err();
    assert!(matches!(err, StorageError::Rejected(_)), "{err:?}");
    assert_eq!(db.key_by_hash(&key.key_hash).await.unwrap(), None);
    assert!(db.list_keys(&KeyFilter::default(), None, 10).await.unwrap().items.is_empty());
}

async fn a_key_for_an_unknown_user_is_refused(db: Database) {
    let err = db.create_key(&new_key(Uuid::new_v4(), 1)).await.unwrap_err();
    assert!(matches!(err, StorageError::MissingReference(_)), "{err:?}");
    assert_eq!(err.to_string(), "the user does not exist");
}

async fn a_key_hash_is_unique(db: Database) {
    let user = db.create_user(&new_user("asha@example.com")).await.unwrap();
    db.create_key(&new_key(user.id, 7)).await.unwrap();
    let err = db.create_key(&new_key(user.id, 7)).await.unwrap_err();
    assert!(matches!(err, StorageError::Duplicate("a key with this hash")), "{err:?}");
}

async fn keys_are_listed_newest_first_a_page_at_a_time(db: Database) {
    let user = db.create_user(&new_user("asha@example.com")).await.unwrap();
    let mut created = Vec::new();
    for n in 0..7 {
        created.push(db.create_key(&new_key(user.id, n)).await.unwrap());
    }
    // Newest first; keys created within the same microsecond are ordered by id.
    created.sort_by_key(|key| std::cmp::Reverse((key.created_at, key.id)));

    let mut listed = Vec::new();
    let mut pages = Vec::new();
    let mut cursor: Option<KeyCursor> = None;
    loop {
        let page = db.list_keys(&KeyFilter::default(), cursor, 3).await.unwrap();
        pages.push(page.items.len());
        listed.extend(page.items);
        // The cursor goes out as text and comes back.
        match page.next_cursor {
            Some(next) => cursor = Some(next.to_string().parse().unwrap()),
            None => break,
        }
    }
    assert_eq!(pages, [3, 3, 1]);
    assert_eq!(listed, created);
}

async fn listings_filter_by_user_tier_and_revocation(db: Database) {
    let asha = db.create_user(&new_user("asha@example.com")).await.unwrap();
    let ravi = db.create_user(&new_user("ravi@example.com")).await.unwrap();
    let asha_free = db.create_key(&NewKey { tier: "free".to_string(), ..new_key(asha.id, 1) }).await.unwrap();
    let asha_premium = db.create_key(&new_key(asha.id, 2)).await.unwrap();
    let ravi_premium = db.create_key(&new_key(ravi.id, 3)).await.unwrap();
    let revocation = Revocation { key_id: asha_premium.id, reason: None, actor: "admin".to_string() };
    db.revoke_key(&revocation).await.unwrap();

    let ids = |filter: KeyFilter| {
        let db = db.clone();
        async move {
            let page = db.list_keys(&filter, None, 10).await.unwrap();
            page.items.into_iter().map(|key| key.id).collect::<BTreeSet<_>>()
        }
    };
    let set = |keys: &[Uuid]| keys.iter().copied().collect::<BTreeSet<_>>();
    assert_eq!(
        ids(KeyFilter { user_id: Some(asha.id), ..KeyFilter::default() }).await,
        set(&[asha_free.id, asha_premium.id])
    );
    assert_eq!(ids(KeyFilter { tier: Some("premium".to_string()), ..KeyFilter::default() }).await, {
        set(&[asha_premium.id, ravi_premium.id])
    });
    assert_eq!(ids(KeyFilter { revoked: Some(true), ..KeyFilter::default() }).await, set(&[asha_premium.id]));
    assert_eq!(
        ids(KeyFilter { revoked: Some(false), ..KeyFilter::default() }).await,
        set(&[asha_free.id, ravi_premium.id])
    );
    let filter = KeyFilter { user_id: Some(asha.id), tier: Some("premium".to_string()), revoked: Some(false) };
    assert_eq!(ids(filter).await, set(&[]));
}

async fn usage_is_written_in_batches(db: Database) {
    let start = Timestamp::now();
    let records: Vec<UsageRecord> = (0..2500)
        .map(|n| UsageRecord {
            at: start.checked_add((n as i64).milliseconds()).unwrap(),
            key_id: Some(Uuid::new_v4()),
            user_id: (n % 2 == 0).then(Uuid::new_v4),
            route: "/api/v1/engines/{id}/calculate".to_string(),
            engine_id: Some("numerology".to_string()),
            workflow_id: None,
            status: 200,
            latency_ms: n,
            cache_hit: n % 3 == 0,
            served_by: "origin".to_string(),
            request_id: format!("req-{n}"),
        })
        .collect();
    assert_eq!(db.insert_usage(&records).await.unwrap(), 2500);
    assert_eq!(db.insert_usage(&[]).await.unwrap(), 0);
}

// ---------------------------------------------------------------------------------------------
// The two schemas stay in step

fn migration_files(backend: &str) -> Vec<String> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../migrations").join(backend);
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|err| panic!("read {}: {err}", dir.display()))
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn both_backends_have_the_same_migration_files() {
    let postgres = migration_files("postgres");
    assert!(!postgres.is_empty());
    assert_eq!(postgres, migration_files("sqlite"));
}

type Schema = (BTreeSet<(String, String)>, BTreeSet<String>);

async fn sqlite_schema() -> Schema {
    let file = SqliteFile::new();
    let db = Database::open(&DatabaseTarget::Sqlite(file.0.clone()), TIMEOUT);
    db.migrate().await.unwrap();
    db.close().await;
    let mut conn = SqliteConnection::connect(&format!("sqlite://{}", file.0.display())).await.unwrap();
    let columns: Vec<(String, String)> = sqlx::query_as(
        "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p \
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_sqlx_%'",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    let indexes: Vec<(String,)> =
        sqlx::query_as("SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex_%'")
            .fetch_all(&mut conn)
            .await
            .unwrap();
    conn.close().await.unwrap();
    (columns.into_iter().collect(), indexes.into_iter().map(|(name,)| name).collect())
}

#[tokio::test]
async fn both_backends_have_the_same_tables_columns_and_indexes() {
    let sqlite = sqlite_schema().await;
    let tables: BTreeSet<&str> = sqlite.0.iter().map(|(table, _)| table.as_str()).collect();
    let expected = ["api_key_events", "api_keys", "idempotency_keys", "usage_logs", "users"];
    assert_eq!(tables, expected.into_iter().collect());

    on_postgres(|_db, schema| async move {
        let url = std::env::var("TEST_DATABASE_URL").unwrap();
        let mut conn = PgConnection::connect(&url).await.unwrap();
        let columns: Vec<(String, String)> = sqlx::query_as(
            "SELECT table_name::text, column_name::text FROM information_schema.columns \
             WHERE table_schema = $1 AND table_name NOT LIKE '\\_sqlx\\_%'",
        )
        .bind(&schema)
        .fetch_all(&mut conn)
        .await
        .unwrap();
        // The indexes behind PRIMARY KEY and UNIQUE are named by each database its own way
        // (_pkey and _key; sqlite_autoindex_): only the indexes the migrations create are compared.
        let indexes: Vec<(String,)> = sqlx::query_as(
            "SELECT indexname::text FROM pg_indexes WHERE schemaname = $1 \
             AND indexname NOT LIKE '%\\_pkey' AND indexname NOT LIKE '%\\_key'",
        )
        .bind(&schema)
        .fetch_all(&mut conn)
        .await
        .unwrap();
        conn.close().await.unwrap();
        let postgres: Schema = (columns.into_iter().collect(), indexes.into_iter().map(|(name,)| name).collect());
        assert_eq!(postgres.0, sqlite.0, "columns differ");
        assert_eq!(postgres.1, sqlite.1, "indexes differ");
    })
    .await;
}

// ---------------------------------------------------------------------------------------------
// A database that is away fails fast, as unavailable

/// Asserts that `call` fails as unavailable, within `limit` plus a margin, never hanging.
async fn assert_unavailable_within<T: std::fmt::Debug>(
    limit: Duration,
    call: impl Future<Output = Result<T, StorageError>>,
) {
    let started = Instant::now();
    let outcome = tokio::time::timeout(limit * 4, call).await.expect("the call returned, it did not hang");
    let err = outcome.expect_err("an unreachable database cannot answer");
    assert!(err.is_unavailable(), "{err:?}");
    assert!(started.elapsed() < limit * 4, "took {:?}", started.elapsed());
}

#[tokio::test]
async fn a_postgres_that_refuses_connections_is_unavailable() {
    let limit = Duration::from_millis(500);
    // Port 1 on the loopback: nothing listens, the connection is refused at once.
    let db = Database::open(&DatabaseTarget::Postgres("postgres://postgres@127.0.0.1:1/test".parse().unwrap()), limit);
    assert_unavailable_within(limit, db.ping()).await;
    assert_unavailable_within(limit, db.find_user_by_email("asha@example.com")).await;
}

#[tokio::test]
async fn a_postgres_that_never_answers_is_unavailable_after_the_timeout() {
    let limit = Duration::from_millis(500);
    // A socket that accepts connections (the kernel does, into the backlog) but never speaks:
    // a database that hangs.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = silent.local_addr().unwrap().port();
    let url = format!("postgres://postgres@127.0.0.1:{port}/test").parse().unwrap();
    let db = Database::open(&DatabaseTarget::Postgres(url), limit);
    let started = Instant::now();
    assert_unavailable_within(limit, db.create_user(&new_user("asha@example.com"))).await;
    assert!(started.elapsed() >= limit, "it waited for the timeout");
    assert_unavailable_within(limit, db.migrate()).await;
}
