//! The storage layer, against both databases: every case runs on a fresh SQLite file and on a
//! fresh schema of the Postgres at `TEST_DATABASE_URL` (`scripts/test` starts one and sets it;
//! without it the Postgres runs are skipped with a note on stderr).

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::future::Future;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::{Duration, Instant};

use jiff::{Timestamp, ToSpan};
use noesis_origin::storage::{
    Claim, Database, DatabaseTarget, IdempotencyRecord, KeyEvent, KeyFilter, NewKey, NewUser, Page, PageCursor,
    RequestCounts, Revocation, Revoked, Rotated, Rotation, StorageError, StoredKey, UsageGroupBy, UsageQuery,
    UsageRecord,
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
    F: FnOnce(Database, String) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    on_postgres_schema(|options, schema| async move {
        let db = Database::open_postgres(options, TIMEOUT);
        db.migrate().await.expect("migrate the Postgres schema");
        case(db.clone(), schema).await;
        db.close().await;
    })
    .await;
}

/// Runs `case` with the connection options of a new, empty schema in the test Postgres, and
/// drops the schema afterwards, whether the case passed or panicked.
async fn on_postgres_schema<F, Fut>(case: F)
where
    F: FnOnce(PgConnectOptions, String) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let Some(url) = test_database_url() else { return };
    let schema = format!("noesis_test_{}", Uuid::new_v4().simple());
    let mut admin = PgConnection::connect(&url).await.expect("connect to TEST_DATABASE_URL");
    sqlx::query(&format!("CREATE SCHEMA {schema}")).execute(&mut admin).await.expect("create the test schema");

    let options =
        PgConnectOptions::from_str(&url).expect("TEST_DATABASE_URL parses").options([("search_path", &schema)]);
    let outcome = tokio::spawn(case(options, schema.clone())).await.map_err(|err| err.into_panic());

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
    a_key_is_found_by_id,
    users_are_found_by_id_and_listed_newest_first,
    a_rotation_schedules_the_old_keys_revocation,
    a_rotation_ends_at_the_old_keys_expiry_if_sooner,
    a_rotation_with_no_grace_revokes_at_once,
    a_rotation_that_fails_changes_nothing,
    a_key_in_its_grace_period_is_revoked_now_on_request,
    active_keys_are_those_neither_revoked_nor_expired_by_id,
    active_admin_keys_are_counted,
    last_use_only_moves_forward,
    request_counts_are_per_key_in_all_and_since,
    the_usage_summary_groups_counts_and_ranks_latencies,
    the_usage_summary_of_an_empty_window_is_empty,
    an_idempotency_key_holds_its_first_response_until_it_expires,
    expired_idempotency_records_are_purged,
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

    let (pages, listed) = all_pages(|cursor| {
        let db = db.clone();
        async move { db.list_keys(&KeyFilter::default(), cursor, 3).await.unwrap() }
    })
    .await;
    assert_eq!(pages, [3, 3, 1]);
    assert_eq!(listed, created);
}

/// Every page of a listing, each cursor sent back in its text form: the page sizes and the rows.
async fn all_pages<T, Fut>(mut page_after: impl FnMut(Option<PageCursor>) -> Fut) -> (Vec<usize>, Vec<T>)
where
    Fut: Future<Output = Page<T>>,
{
    let (mut sizes, mut rows, mut cursor) = (Vec::new(), Vec::new(), None);
    loop {
        let page = page_after(cursor).await;
        sizes.push(page.items.len());
        rows.extend(page.items);
        match page.next_cursor {
            Some(next) => cursor = Some(next.to_string().parse::<PageCursor>().unwrap()),
            None => return (sizes, rows),
        }
    }
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
    let records: Vec<UsageRecord> = (0..2500u32)
        .map(|n| UsageRecord {
            at: start.checked_add((n as i64).milliseconds()).unwrap(),
            key_id: Some(Uuid::new_v4()),
            user_id: (n % 2 == 0).then(Uuid::new_v4),
            route: "/api/v1/engines/{id}/calculate".to_string(),
            engine_id: Some("numerology".to_string()),
            workflow_id: None,
            status: 200,
            latency_us: u64::from(n) * 100,
            cache_hit: n % 3 == 0,
            served_by: "origin".to_string(),
            request_id: format!("req-{n}"),
        })
        .collect();
    assert_eq!(db.insert_usage(&records).await.unwrap(), 2500);
    assert_eq!(db.insert_usage(&[]).await.unwrap(), 0);
}

/// `instant` at the precision both databases keep, so that what is read back compares equal.
fn micros(instant: Timestamp) -> Timestamp {
    Timestamp::from_microsecond(instant.as_microsecond()).unwrap()
}

/// A user and one key of theirs.
async fn user_with_key(db: &Database) -> StoredKey {
    let user = db.create_user(&new_user("asha@example.com")).await.unwrap();
    db.create_key(&new_key(user.id, 1)).await.unwrap()
}

/// A rotation of `old` to a new key derived from `n`, the old one valid until `grace_until`.
fn rotation(old: &StoredKey, n: u32, grace_until: Timestamp) -> Rotation {
    Rotation { old_key_id: old.id, new_key: new_key(old.user_id, n), grace_until, actor: "admin".to_string() }
}

fn revocation(key_id: Uuid, reason: Option<&str>) -> Revocation {
    Revocation { key_id, reason: reason.map(str::to_string), actor: "admin".to_string() }
}

/// The ids of `keys`, in their order.
fn ids_of(keys: &[StoredKey]) -> Vec<Uuid> {
    keys.iter().map(|key| key.id).collect()
}

async fn listed_ids(db: &Database, revoked: bool) -> BTreeSet<Uuid> {
    let filter = KeyFilter { revoked: Some(revoked), ..KeyFilter::default() };
    db.list_keys(&filter, None, 100).await.unwrap().items.iter().map(|key| key.id).collect()
}

async fn a_key_is_found_by_id(db: Database) {
    let key = user_with_key(&db).await;
    assert_eq!(db.key_by_id(key.id).await.unwrap(), Some(key));
    assert_eq!(db.key_by_id(Uuid::new_v4()).await.unwrap(), None);
}

async fn users_are_found_by_id_and_listed_newest_first(db: Database) {
    let mut created = Vec::new();
    for n in 0..5 {
        created.push(db.create_user(&new_user(&format!("user{n}@example.com"))).await.unwrap());
    }
    assert_eq!(db.user_by_id(created[2].id).await.unwrap().as_ref(), Some(&created[2]));
    assert_eq!(db.user_by_id(Uuid::new_v4()).await.unwrap(), None);

    created.sort_by_key(|user| std::cmp::Reverse((user.created_at, user.id)));
    let (pages, listed) = all_pages(|cursor| {
        let db = db.clone();
        async move { db.list_users(cursor, 2).await.unwrap() }
    })
    .await;
    assert_eq!(pages, [2, 2, 1]);
    assert_eq!(listed, created);
}

async fn a_rotation_schedules_the_old_keys_revocation(db: Database) {
    let old = user_with_key(&db).await;
    let grace_until = micros(Timestamp::now().checked_add(1.hour()).unwrap());
    let Rotated::Done { new_key, previous_valid_until } = db.rotate_key(&rotation(&old, 2, grace_until)).await.unwrap()
    else {
        panic!("the key was active");
    };
    assert_eq!(previous_valid_until, grace_until);
    assert_eq!(new_key.rotated_from, Some(old.id));
    assert_eq!(db.key_by_id(new_key.id).await.unwrap().as_ref(), Some(&new_key));
    let stored_old = db.key_by_id(old.id).await.unwrap().unwrap();
    assert_eq!((stored_old.revoked_at, stored_old.revoked_reason.as_deref()), (Some(grace_until), Some("rotated")));

    // The old key works until the end of its grace period, and is revoked from then on.
    let now = Timestamp::now();
    assert_eq!(db.active_keys(now).await.unwrap().len(), 2);
    assert_eq!(listed_ids(&db, false).await, [old.id, new_key.id].into_iter().collect());
    assert!(listed_ids(&db, true).await.is_empty());
    assert_eq!(ids_of(&db.active_keys(now.checked_add(2.hours()).unwrap()).await.unwrap()), [new_key.id]);

    let kinds = |events: Vec<KeyEvent>| {
        events.into_iter().map(|event| (event.kind, event.actor, event.reason)).collect::<Vec<_>>()
    };
    let replaced = Some(format!("replaced by {}", new_key.id));
    assert_eq!(
        kinds(db.key_events(old.id).await.unwrap()),
        [("create".to_string(), "test".to_string(), None), ("rotate".to_string(), "admin".to_string(), replaced)]
    );
    assert_eq!(kinds(db.key_events(new_key.id).await.unwrap()), [("create".to_string(), "test".to_string(), None)]);

    // A key whose revocation is scheduled cannot be rotated again; an unknown key is not found.
    let again = db.rotate_key(&rotation(&old, 3, grace_until)).await.unwrap();
    assert_eq!(again, Rotated::AlreadyRevoked(grace_until));
    let unknown = Rotation { old_key_id: Uuid::new_v4(), ..rotation(&old, 4, grace_until) };
    assert_eq!(db.rotate_key(&unknown).await.unwrap(), Rotated::NotFound);
    assert_eq!(db.key_by_hash(&new_key_hash(3)).await.unwrap(), None, "a refused rotation creates no key");
}

fn new_key_hash(n: u32) -> String {
    new_key(Uuid::nil(), n).key_hash
}

async fn a_rotation_ends_at_the_old_keys_expiry_if_sooner(db: Database) {
    let user = db.create_user(&new_user("asha@example.com")).await.unwrap();
    let expires_at = micros(Timestamp::now().checked_add(10.minutes()).unwrap());
    let old = db.create_key(&NewKey { expires_at: Some(expires_at), ..new_key(user.id, 1) }).await.unwrap();
    let grace_until = Timestamp::now().checked_add(1.hour()).unwrap();
    let Rotated::Done { previous_valid_until, .. } = db.rotate_key(&rotation(&old, 2, grace_until)).await.unwrap()
    else {
        panic!("the key was active");
    };
    assert_eq!(previous_valid_until, expires_at);
}

async fn a_rotation_with_no_grace_revokes_at_once(db: Database) {
    let old = user_with_key(&db).await;
    let before = micros(Timestamp::now());
    // A grace period already over counts as none: the revocation is never back-dated.
    let past = before.checked_sub(1.hour()).unwrap();
    let Rotated::Done { new_key, previous_valid_until } = db.rotate_key(&rotation(&old, 2, past)).await.unwrap() else {
        panic!("the key was active");
    };
    assert!(previous_valid_until >= before && previous_valid_until <= Timestamp::now(), "{previous_valid_until}");
    assert_eq!(db.key_by_id(old.id).await.unwrap().unwrap().revoked_at, Some(previous_valid_until));
    assert_eq!(listed_ids(&db, true).await, [old.id].into_iter().collect());
    assert_eq!(ids_of(&db.active_keys(Timestamp::now()).await.unwrap()), [new_key.id]);
    let revoked = db.revoke_key(&revocation(old.id, Some("again"))).await.unwrap();
    assert_eq!(revoked, Some(Revoked::Already(previous_valid_until)));
}

async fn a_rotation_that_fails_changes_nothing(db: Database) {
    let old = user_with_key(&db).await;
    let grace_until = Timestamp::now().checked_add(1.hour()).unwrap();
    // The replacement's hash is taken (by the old key itself): the whole rotation is undone.
    let err = db.rotate_key(&rotation(&old, 1, grace_until)).await.unwrap_err();
    assert!(matches!(err, StorageError::Duplicate("a key with this hash")), "{err:?}");
    assert_eq!(db.key_by_id(old.id).await.unwrap(), Some(old.clone()));
    assert_eq!(db.key_events(old.id).await.unwrap().len(), 1, "only the create event");
}

async fn a_key_in_its_grace_period_is_revoked_now_on_request(db: Database) {
    let old = user_with_key(&db).await;
    let grace_until = Timestamp::now().checked_add(1.hour()).unwrap();
    let Rotated::Done { .. } = db.rotate_key(&rotation(&old, 2, grace_until)).await.unwrap() else {
        panic!("the key was active");
    };
    let before = micros(Timestamp::now());
    let Some(Revoked::Now(revoked_at)) = db.revoke_key(&revocation(old.id, Some("leaked"))).await.unwrap() else {
        panic!("a scheduled revocation is brought forward");
    };
    assert!(revoked_at >= before && revoked_at <= Timestamp::now(), "{revoked_at}");
    let stored = db.key_by_id(old.id).await.unwrap().unwrap();
    assert_eq!((stored.revoked_at, stored.revoked_reason.as_deref()), (Some(revoked_at), Some("leaked")));
    let kinds: Vec<String> = db.key_events(old.id).await.unwrap().into_iter().map(|event| event.kind).collect();
    assert_eq!(kinds, ["create", "rotate", "revoke"]);
    assert_eq!(listed_ids(&db, true).await, [old.id].into_iter().collect());
    assert_eq!(db.revoke_key(&revocation(old.id, None)).await.unwrap(), Some(Revoked::Already(revoked_at)));
}

async fn active_keys_are_those_neither_revoked_nor_expired_by_id(db: Database) {
    let user = db.create_user(&new_user("asha@example.com")).await.unwrap();
    let now = Timestamp::now();
    let key = |n: u32, expires_at: Option<Timestamp>| NewKey { expires_at, ..new_key(user.id, n) };
    let mut active = Vec::new();
    for n in 0..5 {
        active.push(db.create_key(&key(n, None)).await.unwrap());
    }
    let later = db.create_key(&key(5, Some(now.checked_add(1.hour()).unwrap()))).await.unwrap();
    active.push(later.clone());
    db.create_key(&key(6, Some(now.checked_sub(1.second()).unwrap()))).await.unwrap();
    let revoked = db.create_key(&key(7, None)).await.unwrap();
    db.revoke_key(&revocation(revoked.id, None)).await.unwrap();

    let mut expected = ids_of(&active);
    expected.sort();
    assert_eq!(ids_of(&db.active_keys(Timestamp::now()).await.unwrap()), expected);
    expected.retain(|id| *id != later.id);
    assert_eq!(ids_of(&db.active_keys(now.checked_add(2.hours()).unwrap()).await.unwrap()), expected);
}

async fn active_admin_keys_are_counted(db: Database) {
    let user = db.create_user(&new_user("asha@example.com")).await.unwrap();
    let now = Timestamp::now();
    assert_eq!(db.count_active_admin_keys(now).await.unwrap(), 0);
    let scoped = |n: u32, scopes: &[&str]| NewKey {
        scopes: scopes.iter().map(|scope| scope.to_string()).collect(),
        ..new_key(user.id, n)
    };
    db.create_key(&scoped(1, &["engines"])).await.unwrap();
    db.create_key(&scoped(2, &["engines", "admin", "workflows"])).await.unwrap();
    db.create_key(&scoped(3, &["administrator"])).await.unwrap();
    let revoked = db.create_key(&scoped(4, &["admin"])).await.unwrap();
    db.revoke_key(&revocation(revoked.id, None)).await.unwrap();
    let expired = NewKey { expires_at: Some(now.checked_sub(1.second()).unwrap()), ..scoped(5, &["admin"]) };
    db.create_key(&expired).await.unwrap();
    assert_eq!(db.count_active_admin_keys(Timestamp::now()).await.unwrap(), 1);
}

async fn last_use_only_moves_forward(db: Database) {
    let key = user_with_key(&db).await;
    let first = micros(Timestamp::now());
    let second = first.checked_add(5.seconds()).unwrap();
    db.touch_last_used(&[(key.id, first), (Uuid::new_v4(), second), (key.id, second)]).await.unwrap();
    assert_eq!(db.key_by_id(key.id).await.unwrap().unwrap().last_used_at, Some(second));
    // A batch that arrives late does not move it back.
    db.touch_last_used(&[(key.id, first)]).await.unwrap();
    assert_eq!(db.key_by_id(key.id).await.unwrap().unwrap().last_used_at, Some(second));
    db.touch_last_used(&[]).await.unwrap();
}

/// The instant all usage cases measure from.
fn usage_start() -> Timestamp {
    "2026-01-01T00:00:00Z".parse().unwrap()
}

fn usage(at: Timestamp, key_id: Option<Uuid>, user_id: Option<Uuid>, engine_id: Option<&str>) -> UsageRecord {
    UsageRecord {
        at,
        key_id,
        user_id,
        route: "/api/v1/engines/{id}/calculate".to_string(),
        engine_id: engine_id.map(str::to_string),
        workflow_id: None,
        status: 200,
        latency_us: 1000,
        cache_hit: false,
        served_by: "edge".to_string(),
        request_id: "req".to_string(),
    }
}

/// Three sets of requests in the hour after `usage_start()`:
/// - key 1 of user 1 on numerology: 20, latencies 1 to 20 ms, two 404, one 500, five cache hits;
/// - key 2 of user 1 on biorhythm: 3, latencies 500, 100 and 300 µs;
/// - one with no key, user or engine: a 401 in 250 µs;
///
/// and two more of key 1 just outside it: one microsecond before, and at its end.
fn usage_sample(key1: Uuid, key2: Uuid, user1: Uuid) -> Vec<UsageRecord> {
    let start = usage_start();
    let mut records = Vec::new();
    for n in 1..=20u16 {
        records.push(UsageRecord {
            status: match n {
                3 | 7 => 404,
                11 => 500,
                _ => 200,
            },
            latency_us: u64::from(n) * 1000,
            cache_hit: n % 4 == 0,
            ..usage(start.checked_add(i64::from(n).minutes()).unwrap(), Some(key1), Some(user1), Some("numerology"))
        });
    }
    for latency_us in [500, 100, 300] {
        records.push(UsageRecord { latency_us, ..usage(start, Some(key2), Some(user1), Some("biorhythm")) });
    }
    records.push(UsageRecord { status: 401, latency_us: 250, ..usage(start, None, None, None) });
    records.push(usage(start.checked_sub(1.microsecond()).unwrap(), Some(key1), Some(user1), Some("numerology")));
    records.push(usage(start.checked_add(1.hour()).unwrap(), Some(key1), Some(user1), Some("numerology")));
    records
}

/// The usage summary of all requests in `span` from `usage_start()`, as one group.
fn total_in(span: jiff::Span) -> UsageQuery {
    UsageQuery {
        from: usage_start(),
        to: usage_start().checked_add(span).unwrap(),
        group_by: UsageGroupBy::Total,
        key_id: None,
        user_id: None,
        limit: 10,
    }
}

async fn request_counts_are_per_key_in_all_and_since(db: Database) {
    let (key1, key2, user1) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
    db.insert_usage(&usage_sample(key1, key2, user1)).await.unwrap();
    let unknown = Uuid::new_v4();
    let counts = db.key_request_counts(&[key1, key2, unknown], usage_start()).await.unwrap();
    assert_eq!(counts.len(), 2, "a key with no request is absent");
    assert_eq!(counts[&key1], RequestCounts { total: 22, since: 21 });
    assert_eq!(counts[&key2], RequestCounts { total: 3, since: 3 });
    assert_eq!(counts.get(&unknown).copied().unwrap_or_default(), RequestCounts::default());
    assert!(db.key_request_counts(&[], usage_start()).await.unwrap().is_empty());

    assert_eq!(db.usage_for_key_since(key1, usage_start()).await.unwrap(), 21);
    assert_eq!(db.usage_for_key_since(key1, usage_start().checked_add(1.hour()).unwrap()).await.unwrap(), 1);
    assert_eq!(db.usage_for_key_since(unknown, usage_start()).await.unwrap(), 0);
}

async fn the_usage_summary_groups_counts_and_ranks_latencies(db: Database) {
    let (key1, key2, user1) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
    db.insert_usage(&usage_sample(key1, key2, user1)).await.unwrap();
    let hour = total_in(1.hour());
    // (group, requests, client errors, server errors, cache hits, p50 ms, p95 ms)
    let summary = |query: UsageQuery| {
        let db = db.clone();
        async move {
            let groups = db.usage_summary(&query).await.unwrap();
            groups
                .into_iter()
                .map(|g| {
                    let counts = (g.requests, g.client_errors, g.server_errors, g.cache_hits);
                    (g.group, counts, g.p50_latency_ms, g.p95_latency_ms)
                })
                .collect::<Vec<_>>()
        }
    };
    let (key1_text, key2_text, user1_text) = (Some(key1.to_string()), Some(key2.to_string()), Some(user1.to_string()));
    // Nearest rank: of 20 values the median is the 10th, p95 the 19th; of 3, the 2nd and the 3rd.
    let key1_group = (key1_text.clone(), (20, 2, 1, 5), 10.0, 19.0);
    let key2_group = (key2_text, (3, 0, 0, 0), 0.3, 0.5);
    let no_key = (None, (1, 1, 0, 0), 0.25, 0.25);
    let by_key = UsageQuery { group_by: UsageGroupBy::Key, ..hour.clone() };
    assert_eq!(summary(by_key.clone()).await, [key1_group.clone(), key2_group.clone(), no_key.clone()]);
    // Of user 1's 23 values (100, 300, 500 µs, then 1 to 20 ms) the 12th is 9 ms and the 22nd 19 ms.
    let by_user = UsageQuery { group_by: UsageGroupBy::User, ..hour.clone() };
    assert_eq!(summary(by_user).await, [(user1_text, (23, 2, 1, 5), 9.0, 19.0), no_key.clone()]);
    let by_engine = UsageQuery { group_by: UsageGroupBy::Engine, ..hour.clone() };
    let engine = |name: &str, group: &(Option<String>, (u64, u64, u64, u64), f64, f64)| {
        (Some(name.to_string()), group.1, group.2, group.3)
    };
    assert_eq!(
        summary(by_engine).await,
        [engine("numerology", &key1_group), engine("biorhythm", &key2_group), no_key.clone()]
    );
    // Of all 24, the 12th is 8 ms and the 23rd 19 ms.
    assert_eq!(summary(hour.clone()).await, [(None, (24, 3, 1, 5), 8.0, 19.0)]);

    // Filters and the limit.
    let of_key2 = UsageQuery { key_id: Some(key2), ..hour.clone() };
    assert_eq!(summary(of_key2).await, [(None, (3, 0, 0, 0), 0.3, 0.5)]);
    let of_user1 = UsageQuery { user_id: Some(user1), ..by_key.clone() };
    assert_eq!(summary(of_user1).await, [key1_group.clone(), key2_group]);
    let top = UsageQuery { limit: 1, ..by_key };
    assert_eq!(summary(top).await, [key1_group]);
    // The window is [from, to): the request one microsecond before is in a window that starts then.
    let earlier = UsageQuery { from: usage_start().checked_sub(1.microsecond()).unwrap(), key_id: Some(key1), ..hour };
    assert_eq!(summary(earlier).await[0].1.0, 21);
}

async fn the_usage_summary_of_an_empty_window_is_empty(db: Database) {
    assert_eq!(db.usage_summary(&total_in(1.hour())).await.unwrap(), []);
}

fn idempotency_record(key: &str, body: &str, expires_in: jiff::Span) -> IdempotencyRecord {
    let now = micros(Timestamp::now());
    IdempotencyRecord {
        key: key.to_string(),
        request_hash: "a".repeat(64),
        response_status: 201,
        response_body: body.to_string(),
        created_at: now,
        expires_at: now.checked_add(expires_in).unwrap(),
    }
}

async fn an_idempotency_key_holds_its_first_response_until_it_expires(db: Database) {
    let key = format!("{}:order-1", Uuid::new_v4());
    let first = idempotency_record(&key, r#"{"n":1}"#, 1.hour());
    assert_eq!(db.idempotency_claim(&first).await.unwrap(), Claim::Stored);
    let retry = idempotency_record(&key, r#"{"n":2}"#, 1.hour());
    assert_eq!(db.idempotency_claim(&retry).await.unwrap(), Claim::Existing(first.clone()));
    assert_eq!(db.idempotency_get(&key, Timestamp::now()).await.unwrap(), Some(first.clone()));
    assert_eq!(db.idempotency_get(&key, first.expires_at).await.unwrap(), None, "expired at expires_at");
    assert_eq!(db.idempotency_get("nobody:order-1", Timestamp::now()).await.unwrap(), None);

    // An expired record neither answers nor holds its key.
    let stale_key = format!("{}:order-2", Uuid::new_v4());
    let stale = idempotency_record(&stale_key, "{}", (-1).seconds());
    assert_eq!(db.idempotency_claim(&stale).await.unwrap(), Claim::Stored);
    assert_eq!(db.idempotency_get(&stale_key, Timestamp::now()).await.unwrap(), None);
    let fresh = idempotency_record(&stale_key, r#"{"n":3}"#, 1.hour());
    assert_eq!(db.idempotency_claim(&fresh).await.unwrap(), Claim::Stored);
    assert_eq!(db.idempotency_get(&stale_key, Timestamp::now()).await.unwrap(), Some(fresh));

    let too_long = idempotency_record(&"k".repeat(256), "{}", 1.hour());
    let err = db.idempotency_claim(&too_long).await.unwrap_err();
    assert!(matches!(err, StorageError::Rejected(_)), "{err:?}");
}

async fn expired_idempotency_records_are_purged(db: Database) {
    for (n, expires_in) in [(1, (-1).seconds()), (2, (-1).hours()), (3, 1.hour())] {
        db.idempotency_claim(&idempotency_record(&format!("k:{n}"), "{}", expires_in)).await.unwrap();
    }
    assert_eq!(db.purge_expired_idempotency(Timestamp::now()).await.unwrap(), 2);
    assert_eq!(db.purge_expired_idempotency(Timestamp::now()).await.unwrap(), 0);
    assert!(db.idempotency_get("k:3", Timestamp::now()).await.unwrap().is_some());
}

/// A request logged in milliseconds, before 0002. The same text on both databases: SQLite
/// reads `false` as 0 and keeps the instant as written.
const USAGE_IN_MILLISECONDS: &str = "INSERT INTO usage_logs (at, route, status, latency_ms, cache_hit, served_by, \
     request_id) VALUES ('2026-01-01T00:00:00.000000Z', '/api/v1/me', 200, 7, false, 'origin', 'req')";

/// The first migration of `backend` only.
async fn first_migration(backend: &str) -> sqlx::migrate::Migrator {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../migrations").join(backend);
    let mut migrator = sqlx::migrate::Migrator::new(dir).await.unwrap();
    migrator.migrations = Cow::Owned(migrator.migrations[..1].to_vec());
    migrator
}

/// Applies the other migrations to `db`, which holds `USAGE_IN_MILLISECONDS`, and reads that
/// request's latency back in microseconds.
async fn latency_is_carried_over(db: Database) {
    db.migrate().await.expect("apply the rest");
    let groups = db.usage_summary(&total_in(1.second())).await.unwrap();
    assert_eq!((groups[0].requests, groups[0].p50_latency_ms), (1, 7.0));
    db.close().await;
}

#[tokio::test]
async fn sqlite_latency_in_milliseconds_becomes_microseconds() {
    let file = SqliteFile::new();
    let mut conn = SqliteConnection::connect(&format!("sqlite://{}?mode=rwc", file.0.display())).await.unwrap();
    first_migration("sqlite").await.run(&mut conn).await.unwrap();
    sqlx::query(USAGE_IN_MILLISECONDS).execute(&mut conn).await.unwrap();
    conn.close().await.unwrap();
    latency_is_carried_over(Database::open(&DatabaseTarget::Sqlite(file.0.clone()), TIMEOUT)).await;
}

#[tokio::test]
async fn postgres_latency_in_milliseconds_becomes_microseconds() {
    on_postgres_schema(|options, _schema| async move {
        let pool = sqlx::PgPool::connect_with(options.clone()).await.unwrap();
        first_migration("postgres").await.run(&pool).await.unwrap();
        sqlx::query(USAGE_IN_MILLISECONDS).execute(&pool).await.unwrap();
        pool.close().await;
        latency_is_carried_over(Database::open_postgres(options, TIMEOUT)).await;
    })
    .await;
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
