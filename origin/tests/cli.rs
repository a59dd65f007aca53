//! The `noesis-origin` command line, run as a user runs it: the built binary, its exit code,
//! its stdout and its stderr.

use std::process::{Command, Output};

use serde_json::Value;

const BODIES: [&str; 12] = [
    "sun",
    "moon",
    "mercury",
    "venus",
    "mars",
    "jupiter",
    "saturn",
    "uranus",
    "neptune",
    "pluto",
    "true_node",
    "mean_node",
];

fn noesis_origin(args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_noesis-origin"))
        .args(args)
        .envs(env.iter().copied())
        .output()
        .expect("run noesis-origin")
}

fn stderr_lines(output: &Output) -> Vec<String> {
    String::from_utf8_lossy(&output.stderr).lines().map(str::to_owned).collect()
}

/// Asserts the refusal a user should see: exit code 2, nothing on stdout, one line on stderr.
fn assert_refused(output: &Output) -> String {
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert!(output.stdout.is_empty(), "{output:?}");
    let lines = stderr_lines(output);
    assert_eq!(lines.len(), 1, "stderr: {lines:#?}");
    lines.into_iter().next().unwrap_or_default()
}

fn snapshot(at: &str) -> Value {
    let output = noesis_origin(&["ephemeris", "--at", at], &[]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    serde_json::from_slice(&output.stdout).expect("stdout is JSON")
}

#[test]
fn ephemeris_prints_a_snapshot_with_all_twelve_bodies() {
    let snapshot = snapshot("2026-11-25T07:30:00Z");

    for key in ["jd_ut", "delta_t_seconds", "ayanamsa_mean_deg", "ayanamsa_true_deg"] {
        assert!(snapshot[key].is_f64(), "{key}: {}", snapshot[key]);
    }
    assert!(snapshot["warnings"].is_array());
    let bodies = snapshot["bodies"].as_object().expect("bodies is an object");
    let mut names: Vec<&str> = bodies.keys().map(String::as_str).collect();
    names.sort_unstable();
    let mut expected = BODIES.to_vec();
    expected.sort_unstable();
    assert_eq!(names, expected);
    for (name, body) in bodies {
        for key in ["longitude_deg", "latitude_deg", "speed_deg_per_day"] {
            assert!(body[key].is_f64(), "{name}.{key}: {}", body[key]);
        }
        let longitude = body["longitude_deg"].as_f64().unwrap_or(f64::NAN);
        assert!((0.0..360.0).contains(&longitude), "{name}: {longitude}");
    }
}

#[test]
fn ephemeris_reads_the_offset_of_the_instant() {
    assert_eq!(snapshot("2026-11-25T13:00:00+05:30"), snapshot("2026-11-25T07:30:00Z"));
}

#[test]
fn ephemeris_at_now_uses_the_system_clock() {
    let unix_days =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("clock after 1970").as_secs_f64()
            / 86_400.0;
    let jd_now = 2_440_587.5 + unix_days;

    let jd_ut = snapshot("now")["jd_ut"].as_f64().expect("jd_ut");

    assert!((jd_ut - jd_now).abs() < 0.01, "jd_ut {jd_ut}, now {jd_now}");
}

#[test]
fn ephemeris_refuses_an_unparseable_instant_with_one_line_and_exit_2() {
    let line = assert_refused(&noesis_origin(&["ephemeris", "--at", "yesterday"], &[]));
    assert!(line.contains("--at"), "{line}");
    assert!(line.contains("RFC 3339"), "{line}");
}

#[test]
fn ephemeris_refuses_an_instant_without_an_offset() {
    let line = assert_refused(&noesis_origin(&["ephemeris", "--at", "2026-11-25T07:30:00"], &[]));
    assert!(line.contains("RFC 3339"), "{line}");
}

#[test]
fn ephemeris_refuses_an_instant_outside_its_range_with_one_line_and_exit_2() {
    let line = assert_refused(&noesis_origin(&["ephemeris", "--at", "9000-01-01T00:00:00Z"], &[]));
    assert!(line.contains("9000"), "{line}");
}

#[test]
fn ephemeris_without_at_is_refused_with_one_line_and_exit_2() {
    let line = assert_refused(&noesis_origin(&["ephemeris"], &[]));
    assert!(line.contains("--at"), "{line}");
}

#[test]
fn unknown_subcommand_is_refused_with_one_line_and_exit_2() {
    assert_refused(&noesis_origin(&["frobnicate"], &[]));
}

#[test]
fn help_goes_to_stdout_with_exit_0() {
    let output = noesis_origin(&["--help"], &[]);
    assert_eq!(output.status.code(), Some(0));
    let help = String::from_utf8_lossy(&output.stdout);
    assert!(help.contains("serve") && help.contains("ephemeris"), "{help}");
}

#[test]
fn serve_with_a_bad_port_stops_at_start_naming_the_setting() {
    let line = assert_refused(&noesis_origin(&["serve"], &[("PORT", "eighty")]));
    assert!(line.contains("PORT"), "{line}");
    assert!(line.contains("eighty"), "{line}");
}

/// A path for a SQLite file of this test alone, in the temp directory.
fn temp_sqlite_path(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("noesis-cli-{name}-{}.sqlite", std::process::id()))
}

fn remove_sqlite(path: &std::path::Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut file = path.as_os_str().to_owned();
        file.push(suffix);
        let _ = std::fs::remove_file(file);
    }
}

#[test]
fn migrate_creates_the_sqlite_file_and_says_where() {
    let path = temp_sqlite_path("migrate");
    remove_sqlite(&path);
    let path_text = path.to_string_lossy().into_owned();
    let output = noesis_origin(&["migrate"], &[("DATABASE_URL", ""), ("NOESIS_SQLITE_PATH", &path_text)]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(stdout.lines().last(), Some(format!("migrations applied: sqlite {path_text}").as_str()), "{stdout}");
    assert!(path.is_file());
    // A second run finds nothing to do.
    let again = noesis_origin(&["migrate"], &[("DATABASE_URL", ""), ("NOESIS_SQLITE_PATH", &path_text)]);
    assert_eq!(again.status.code(), Some(0), "{again:?}");
    remove_sqlite(&path);
}

#[test]
fn migrate_against_an_unreachable_database_fails_in_one_line_within_the_timeout() {
    let started = std::time::Instant::now();
    let output = noesis_origin(
        &["migrate"],
        &[("DATABASE_URL", "postgres://noesis:hunter2@127.0.0.1:1/noesis"), ("DB_TIMEOUT_MS", "300")],
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(10), "took {:?}", started.elapsed());
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let lines = stderr_lines(&output);
    assert_eq!(lines.len(), 1, "stderr: {lines:#?}");
    assert!(lines[0].starts_with("error: postgres 127.0.0.1:1/noesis: the database is unavailable"), "{}", lines[0]);
    assert!(!lines[0].contains("hunter2"), "{}", lines[0]);
}

#[test]
fn a_bad_database_url_stops_at_start_naming_the_setting() {
    let line = assert_refused(&noesis_origin(&["migrate"], &[("DATABASE_URL", "mysql://localhost/noesis")]));
    assert!(line.starts_with("error: DATABASE_URL "), "{line}");
}

#[cfg(unix)]
#[test]
fn serve_stops_cleanly_on_sigterm() {
    use std::io::{Read, Write};
    use std::net::{TcpListener, TcpStream};
    use std::process::Stdio;
    use std::time::{Duration, Instant};

    let port = TcpListener::bind("127.0.0.1:0").and_then(|listener| listener.local_addr()).expect("a free port").port();
    let database = temp_sqlite_path("serve");
    let mut child = Command::new(env!("CARGO_BIN_EXE_noesis-origin"))
        .arg("serve")
        .env("PORT", port.to_string())
        .env_remove("DATABASE_URL")
        .env("NOESIS_SQLITE_PATH", &database)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start noesis-origin serve");

    let deadline = Instant::now() + Duration::from_secs(20);
    let status_line = loop {
        if let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) {
            let request = "GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
            let mut reply = String::new();
            if stream.write_all(request.as_bytes()).is_ok() && stream.read_to_string(&mut reply).is_ok() {
                break reply.lines().next().unwrap_or_default().to_owned();
            }
        }
        assert!(Instant::now() < deadline, "server never answered");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status_line, "HTTP/1.1 200 OK");

    let killed = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().expect("run kill");
    assert!(killed.success());

    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for noesis-origin") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("still running 10 s after SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    remove_sqlite(&database);
    assert!(status.success(), "{status:?}");
}

// ---------------------------------------------------------------------------------------------
// `calc`: one engine request on stdin, the API's answer on stdout

/// Runs `noesis-origin calc` with `stdin` as its standard input.
fn calc(args: &[&str], stdin: &str) -> Output {
    use std::io::Write;
    use std::process::Stdio;

    let mut child = Command::new(env!("CARGO_BIN_EXE_noesis-origin"))
        .arg("calc")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start noesis-origin calc");
    // A refusal before stdin is read closes the pipe early; that is not this test's failure.
    let _ = child.stdin.take().expect("stdin is piped").write_all(stdin.as_bytes());
    child.wait_with_output().expect("wait for noesis-origin calc")
}

fn stdout_json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|err| panic!("stdout is not one JSON value ({err}): {output:?}"))
}

fn stdout_json_lines(output: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|err| panic!("{err}: {line}")))
        .collect()
}

const NUMEROLOGY_REQUEST: &str = r#"{"birth_data": {"name": "John Doe", "date": "1985-11-22"}}"#;
const NOW: &str = "2026-11-25T07:30:00Z";

#[test]
fn calc_prints_the_envelope_the_api_returns() {
    let output = calc(&["numerology", "--now", NOW], NUMEROLOGY_REQUEST);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let envelope = stdout_json(&output);
    assert_eq!(envelope["engine_id"], "numerology");
    assert_eq!(envelope["consciousness_level"], 5);
    assert_eq!(envelope["result"]["life_path"]["value"], 11);
    assert_eq!(envelope["result"]["expression"]["value"], 8);
    assert!(envelope["witness_prompt"].as_str().is_some_and(|prompt| !prompt.is_empty()));
    let metadata = &envelope["metadata"];
    assert_eq!(metadata["served_by"], "origin");
    assert_eq!(metadata["cached"], false);
    assert_eq!(metadata["ayanamsa"], "lahiri");
    assert!(metadata["calculation_time_ms"].as_f64().is_some_and(|ms| ms >= 0.0), "{metadata}");

    // The same envelope as the core's pipeline, timing aside.
    let now: jiff::Timestamp = NOW.parse().unwrap();
    let level = noesis_core::engines::Level::MAX;
    let origin = noesis_core::engines::ServedBy::Origin;
    let expected =
        noesis_core::engines::calculate("numerology", NUMEROLOGY_REQUEST.as_bytes(), level, now, origin).unwrap();
    let mut expected = serde_json::to_value(expected).unwrap();
    expected["metadata"]["calculation_time_ms"] = metadata["calculation_time_ms"].clone();
    assert_eq!(envelope, expected);
}

#[test]
fn calc_words_the_witness_prompt_for_the_level() {
    let prompt = |level: &str| {
        let output = calc(&["numerology", "--now", NOW, "--level", level], NUMEROLOGY_REQUEST);
        assert_eq!(output.status.code(), Some(0), "{output:?}");
        let envelope = stdout_json(&output);
        assert_eq!(envelope["consciousness_level"], level.parse::<u8>().unwrap());
        envelope["witness_prompt"].as_str().unwrap_or_default().to_owned()
    };
    assert_ne!(prompt("0"), prompt("5"));
}

#[test]
fn calc_refuses_bad_input_with_the_problem_on_stdout_and_exit_2() {
    let output = calc(&["numerology", "--now", NOW], r#"{"birth_data": {"date": "1985-13-22"}, "colour": 1}"#);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let problem = stdout_json(&output);
    assert_eq!(problem["status"], 422);
    assert_eq!(problem["code"], "VALIDATION_ERROR");
    assert_eq!(problem["type"], "https://tryambakam.space/problems/validation-error");
    let fields: Vec<&str> = problem["errors"].as_array().unwrap().iter().filter_map(|e| e["field"].as_str()).collect();
    assert_eq!(fields, ["colour", "birth_data.date"]);
    assert_eq!(stderr_lines(&output).len(), 1, "{output:?}");
}

#[test]
fn calc_refuses_malformed_json_as_the_api_does() {
    let output = calc(&["numerology"], "{\"birth_data\": ");
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let problem = stdout_json(&output);
    assert_eq!((problem["status"].as_u64(), problem["code"].as_str()), (Some(400), Some("MALFORMED_JSON")));
}

#[test]
fn calc_refuses_an_unknown_engine_without_reading_stdin() {
    let output = calc(&["astrology"], "");
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let problem = stdout_json(&output);
    assert_eq!((problem["status"].as_u64(), problem["code"].as_str()), (Some(404), Some("ENGINE_NOT_FOUND")));
}

#[test]
fn calc_below_the_engines_level_is_level_required() {
    let output = calc(&["vimshottari", "--level", "1"], "{}");
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let problem = stdout_json(&output);
    assert_eq!(problem["code"], "LEVEL_REQUIRED");
    assert_eq!(problem["required_level"], 2);
}

#[test]
fn calc_refuses_a_level_beyond_5_as_a_usage_error() {
    let line = assert_refused(&calc(&["numerology", "--level", "6"], NUMEROLOGY_REQUEST));
    assert!(line.contains("--level"), "{line}");
}

#[test]
fn calc_jsonl_answers_every_line_in_order_and_exits_2_if_any_was_refused() {
    let requests = [NUMEROLOGY_REQUEST, r#"{"birth_data": {"date": "1985-11-22"}}"#, "", "{oops", NUMEROLOGY_REQUEST];
    let output = calc(&["numerology", "--jsonl", "--now", NOW], &(requests.join("\n") + "\n"));
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let lines = stdout_json_lines(&output);
    assert_eq!(lines.len(), 5, "{lines:#?}");
    assert_eq!(lines[0]["result"]["life_path"]["value"], 11);
    assert_eq!(lines[1]["code"], "VALIDATION_ERROR");
    assert_eq!(lines[1]["request_id"], "line-2");
    assert_eq!(lines[1]["errors"][0]["field"], "birth_data.name");
    assert_eq!(lines[2]["code"], "MALFORMED_JSON");
    assert_eq!(lines[3]["code"], "MALFORMED_JSON");
    assert_eq!(lines[3]["request_id"], "line-4");
    assert_eq!(lines[4]["metadata"]["input_hash"], lines[0]["metadata"]["input_hash"]);
    let stderr = stderr_lines(&output);
    assert_eq!(stderr.len(), 1, "{stderr:#?}");
    assert!(stderr[0].contains("3 of 5"), "{stderr:#?}");
}

#[test]
fn calc_jsonl_of_good_requests_exits_0_with_one_line_each() {
    let output = calc(&["numerology", "--jsonl"], &format!("{NUMEROLOGY_REQUEST}\n{NUMEROLOGY_REQUEST}"));
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_eq!(stdout_json_lines(&output).len(), 2);
    assert!(output.stderr.is_empty(), "{output:?}");
}

// ---------------------------------------------------------------------------------------------
// `keys` and `seed-keys`: on a temp SQLite file and, when `TEST_DATABASE_URL` is set, on a fresh
// schema of that Postgres

/// A database of one test alone, removed (file or schema) when the test ends, passed or not.
enum Store {
    Sqlite(std::path::PathBuf),
    Postgres { url: String, schema: String },
}

impl Store {
    fn sqlite(name: &str) -> Store {
        let path = temp_sqlite_path(name);
        remove_sqlite(&path);
        Store::Sqlite(path)
    }

    /// A new, empty schema in the Postgres at `TEST_DATABASE_URL`, or `None` when it is unset.
    fn postgres() -> Option<Store> {
        let Some(url) = std::env::var("TEST_DATABASE_URL").ok().filter(|url| !url.is_empty()) else {
            eprintln!("TEST_DATABASE_URL is unset: skipping the Postgres run (scripts/test sets it)");
            return None;
        };
        let schema = format!("noesis_cli_test_{}", uuid::Uuid::new_v4().simple());
        postgres_admin(&url, &format!("CREATE SCHEMA {schema}")).expect("create the test schema");
        Some(Store::Postgres { url, schema })
    }

    /// The settings that point `noesis-origin` at this database.
    fn env(&self) -> Vec<(&'static str, String)> {
        match self {
            Store::Sqlite(path) => {
                vec![("DATABASE_URL", String::new()), ("NOESIS_SQLITE_PATH", path.to_string_lossy().into_owned())]
            }
            Store::Postgres { url, schema } => {
                let separator = if url.contains('?') { '&' } else { '?' };
                vec![("DATABASE_URL", format!("{url}{separator}options[search_path]={schema}"))]
            }
        }
    }

    /// Runs `noesis-origin <args>` on this database.
    fn run(&self, args: &[&str]) -> Output {
        let env = self.env();
        let env: Vec<(&str, &str)> = env.iter().map(|(name, value)| (*name, value.as_str())).collect();
        noesis_origin(args, &env)
    }

    /// The stored key whose SHA-256 is `hash`, read directly.
    fn key_by_hash(&self, hash: &str) -> Option<noesis_origin::storage::StoredKey> {
        use noesis_origin::storage::{Database, DatabaseTarget};
        let target = match self {
            Store::Sqlite(path) => DatabaseTarget::Sqlite(path.clone()),
            Store::Postgres { .. } => DatabaseTarget::Postgres(self.env()[0].1.parse().expect("the URL parses")),
        };
        block_on(async {
            let database = Database::open(&target, noesis_origin::storage::DEFAULT_TIMEOUT);
            let key = database.key_by_hash(hash).await.expect("lookup");
            database.close().await;
            key
        })
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        match self {
            Store::Sqlite(path) => remove_sqlite(path),
            Store::Postgres { url, schema } => {
                if let Err(err) = postgres_admin(url, &format!("DROP SCHEMA {schema} CASCADE")) {
                    eprintln!("could not drop the test schema {schema}: {err}");
                }
            }
        }
    }
}

fn block_on<T>(work: impl Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime").block_on(work)
}

/// Runs one statement on the Postgres at `url`.
fn postgres_admin(url: &str, statement: &str) -> Result<(), sqlx::Error> {
    use sqlx::Connection;
    block_on(async {
        let mut connection = sqlx::PgConnection::connect(url).await?;
        sqlx::query(statement).execute(&mut connection).await?;
        connection.close().await
    })
}

/// Runs `case` on a temp SQLite file, then on a fresh Postgres schema when `TEST_DATABASE_URL`
/// is set.
fn on_each_database(name: &str, case: impl Fn(&Store)) {
    case(&Store::sqlite(name));
    if let Some(store) = Store::postgres() {
        case(&store);
    }
}

/// Runs `noesis-origin keys <args>` on `store`.
fn keys(store: &Store, args: &[&str]) -> Output {
    store.run(&std::iter::once("keys").chain(args.iter().copied()).collect::<Vec<_>>())
}

/// Runs `noesis-origin seed-keys <args>` on `store`.
fn seed_keys(store: &Store, args: &[&str]) -> Output {
    store.run(&std::iter::once("seed-keys").chain(args.iter().copied()).collect::<Vec<_>>())
}

/// The names of an object's fields, sorted.
fn fields(value: &Value) -> Vec<&str> {
    let mut names: Vec<&str> = value.as_object().expect("an object").keys().map(String::as_str).collect();
    names.sort_unstable();
    names
}

fn instant(value: &Value) -> jiff::Timestamp {
    value.as_str().and_then(|text| text.parse().ok()).unwrap_or_else(|| panic!("not an instant: {value}"))
}

/// The items of `keys list --json` (with `extra` flags).
fn listed_keys(store: &Store, extra: &[&str]) -> Vec<Value> {
    let args: Vec<&str> = ["list", "--json"].into_iter().chain(extra.iter().copied()).collect();
    let listed = keys(store, &args);
    assert_eq!(listed.status.code(), Some(0), "{listed:?}");
    stdout_json(&listed)["items"].as_array().expect("items").clone()
}

/// The listing fields of a key (DESIGN §2, as `KeyView` has them), sorted.
const KEY_VIEW_FIELDS: [&str; 14] = [
    "consciousness_level",
    "created_at",
    "expires_at",
    "key_id",
    "last_used_at",
    "name",
    "prefix",
    "rate_limit_per_minute",
    "revoked_at",
    "revoked_reason",
    "rotated_from",
    "scopes",
    "tier",
    "user_id",
];

#[test]
fn keys_create_list_revoke_round_trip() {
    use noesis_core::keys::ApiKey;
    use noesis_origin::key_admin::KeyView;

    on_each_database("keys", |store| {
        let created = keys(
            store,
            &[
                "create",
                "--name",
                "ci",
                "--tier",
                "premium",
                "--level",
                "2",
                "--scopes",
                "engines",
                "--owner",
                "ci@example.com",
                "--json",
            ],
        );
        assert_eq!(created.status.code(), Some(0), "{created:?}");
        let body = stdout_json(&created);
        assert_eq!(fields(&body), ["api_key", "key", "key_id"]);
        assert_eq!(fields(&body["key"]), KEY_VIEW_FIELDS);
        let secret = body["api_key"].as_str().expect("api_key");
        let key_id = body["key_id"].as_str().expect("key_id").to_owned();
        let api_key = ApiKey::parse(secret).expect("the printed key parses");
        assert!(secret.starts_with("nk_live_"));
        assert_eq!(body["key"]["key_id"], key_id.as_str());
        assert_eq!(body["key"]["prefix"], api_key.display_prefix());
        assert_eq!(body["key"]["tier"], "premium");
        assert_eq!(body["key"]["consciousness_level"], 2);
        assert_eq!(body["key"]["scopes"], serde_json::json!(["engines"]));
        assert_eq!(body["key"]["rate_limit_per_minute"], 600, "the tier's default");

        // Storage holds the hash of the printed key, and never the key; `key` is its listing.
        let stored = store.key_by_hash(&api_key.hash().to_string()).expect("stored under the key's hash");
        assert_eq!(stored.id.to_string(), key_id);
        assert_eq!(stored.prefix, api_key.display_prefix());
        assert_eq!(body["key"], serde_json::to_value(KeyView::of(&stored, None)).unwrap());
        let stdout = String::from_utf8_lossy(&created.stdout);
        assert!(!stdout.contains("key_hash") && !stdout.contains(&stored.key_hash), "{stdout}");

        // The listing shows it, without the secret or the hash, in JSON and in text.
        let listed = keys(store, &["list", "--json"]);
        assert_eq!(listed.status.code(), Some(0), "{listed:?}");
        let items = stdout_json(&listed)["items"].as_array().expect("items").clone();
        assert_eq!(items.len(), 1, "{items:?}");
        assert_eq!(items[0], body["key"]);
        assert!(items[0]["revoked_at"].is_null());
        let text = keys(store, &["list", "--user", "ci@example.com"]);
        assert_eq!(text.status.code(), Some(0), "{text:?}");
        for output in [&listed, &text] {
            let stdout = String::from_utf8_lossy(&output.stdout);
            assert!(stdout.contains(&key_id), "{stdout}");
            assert!(!stdout.contains(secret), "the secret leaked: {stdout}");
            assert!(!stdout.contains(&stored.key_hash), "the hash leaked: {stdout}");
            assert!(!stdout.contains("key_hash") && !stdout.contains("api_key"), "{stdout}");
        }

        // Revoked: the storage says so, and the default listing leaves it out.
        let revoked = keys(store, &["revoke", &key_id, "--reason", "test over"]);
        assert_eq!(revoked.status.code(), Some(0), "{revoked:?}");
        let stored = store.key_by_hash(&api_key.hash().to_string()).expect("still stored");
        assert!(stored.revoked_at.is_some());
        assert_eq!(stored.revoked_reason.as_deref(), Some("test over"));
        assert_eq!(listed_keys(store, &[]).len(), 0);
        let all = listed_keys(store, &["--include-revoked"]);
        assert!(all[0]["revoked_at"].is_string(), "{all:?}");
        assert_eq!(all[0]["revoked_reason"], "test over");
    });
}

#[test]
fn keys_create_prints_the_key_once_in_text_with_a_warning() {
    use noesis_core::keys::ApiKey;

    let store = Store::sqlite("keys-text");
    let created = keys(&store, &["create", "--name", "local", "--tier", "free", "--level", "0", "--test"]);
    assert_eq!(created.status.code(), Some(0), "{created:?}");
    let stdout = String::from_utf8_lossy(&created.stdout);
    let secret = stdout.lines().find_map(|line| line.strip_prefix("api key:")).map(str::trim).expect("an api key line");
    assert!(ApiKey::parse(secret).is_ok_and(|key| key.display_prefix().starts_with("nk_test_")), "{stdout}");
    assert!(stdout.contains("owner:      admin@localhost"), "{stdout}");
    assert!(stdout.contains("60/minute"), "{stdout}");
    assert!(stdout.contains("will not be shown again"), "{stdout}");
}

#[test]
fn keys_rotate_prints_a_new_key_and_schedules_the_old_ones_revocation() {
    use jiff::{SignedDuration, Timestamp};
    use noesis_core::keys::ApiKey;

    on_each_database("keys-rotate", |store| {
        let created =
            keys(store, &["create", "--name", "app", "--tier", "premium", "--level", "3", "--test", "--json"]);
        assert_eq!(created.status.code(), Some(0), "{created:?}");
        let created = stdout_json(&created);
        let old_id = created["key_id"].as_str().expect("key_id").to_owned();

        let before = Timestamp::now();
        let rotated = keys(store, &["rotate", &old_id, "--grace-seconds", "3600", "--json"]);
        let after = Timestamp::now();
        assert_eq!(rotated.status.code(), Some(0), "{rotated:?}");
        let body = stdout_json(&rotated);
        assert_eq!(fields(&body), ["api_key", "key_id", "previous_key_id", "previous_valid_until"]);
        assert_eq!(body["previous_key_id"], old_id.as_str());
        let new_id = body["key_id"].as_str().expect("key_id").to_owned();
        assert_ne!(new_id, old_id);
        let secret = body["api_key"].as_str().expect("api_key");
        let new_key = ApiKey::parse(secret).expect("the new key parses");
        assert!(secret.starts_with("nk_test_"), "a test key's replacement is a test key: {secret}");
        assert_ne!(secret, created["api_key"].as_str().unwrap_or_default());
        let until = instant(&body["previous_valid_until"]);
        let hour = |at: Timestamp| at.checked_add(SignedDuration::from_secs(3600)).expect("in range");
        assert!(hour(before) - SignedDuration::from_secs(1) <= until && until <= hour(after), "{until}");

        // The new key is stored under its hash, made from the old one; the old one still works
        // (it is listed) and is revoked at the end of the grace period.
        let stored = store.key_by_hash(&new_key.hash().to_string()).expect("the new key is stored");
        assert_eq!(stored.id.to_string(), new_id);
        assert_eq!(stored.rotated_from.map(|id| id.to_string()), Some(old_id.clone()));
        let items = listed_keys(store, &[]);
        assert_eq!(items.len(), 2, "{items:?}");
        let item = |id: &str| items.iter().find(|item| item["key_id"] == id).cloned().expect("listed");
        let (old, new) = (item(&old_id), item(&new_id));
        assert_eq!(instant(&old["revoked_at"]), until);
        assert!(instant(&old["revoked_at"]) > Timestamp::now());
        assert_eq!(old["revoked_reason"], "rotated");
        assert!(new["revoked_at"].is_null(), "{new}");
        assert_eq!(new["rotated_from"], old_id.as_str());
        for field in ["name", "tier", "consciousness_level", "scopes", "rate_limit_per_minute", "user_id"] {
            assert_eq!(new[field], old[field], "{field}");
        }

        // A key is rotated once: its replacement is what to rotate next.
        let line = assert_refused(&keys(store, &["rotate", &old_id]));
        assert!(line.contains("already rotated") && line.contains(&old_id), "{line}");

        // In text, with the default grace of a day.
        let text = keys(store, &["rotate", &new_id]);
        assert_eq!(text.status.code(), Some(0), "{text:?}");
        let stdout = String::from_utf8_lossy(&text.stdout);
        let value = |label: &str| {
            stdout
                .lines()
                .find_map(|line| line.strip_prefix(label))
                .map(str::trim)
                .unwrap_or_else(|| panic!("{stdout}"))
        };
        assert!(ApiKey::parse(value("api key:")).is_ok(), "{stdout}");
        assert_eq!(value("previous key id:"), new_id);
        let until: Timestamp = value("previous valid until:").parse().expect("an instant");
        let day = SignedDuration::from_hours(24);
        assert!((until.duration_since(Timestamp::now()) - day).abs() < SignedDuration::from_secs(60), "{until}");
        assert!(stdout.contains("will not be shown again"), "{stdout}");
    });
}

#[test]
fn keys_rotate_refuses_unknown_and_revoked_keys_and_long_grace() {
    let store = Store::sqlite("keys-rotate-bad");
    let created = stdout_json(&keys(&store, &["create", "--name", "x", "--tier", "free", "--level", "1", "--json"]));
    let key_id = created["key_id"].as_str().expect("key_id");
    assert_eq!(keys(&store, &["revoke", key_id]).status.code(), Some(0));
    let cases: [(&[&str], &str); 4] = [
        (&["rotate", key_id], "revoked"),
        (&["rotate", "67e55044-10b1-426f-9247-bb680e5fe0c8"], "no key"),
        (&["rotate", key_id, "--grace-seconds", "2592001"], "--grace-seconds"),
        (&["rotate", "nope"], "UUID"),
    ];
    for (args, needle) in cases {
        let line = assert_refused(&keys(&store, args));
        assert!(line.contains(needle), "{args:?}: {line}");
    }
}

#[test]
fn seed_keys_makes_distinct_valid_keys_each_printed_once() {
    use std::collections::HashSet;

    use noesis_core::keys::ApiKey;

    on_each_database("seed", |store| {
        let output = seed_keys(store, &["--count", "3", "--json"]);
        assert_eq!(output.status.code(), Some(0), "{output:?}");
        assert!(String::from_utf8_lossy(&output.stderr).contains("not stored"), "{output:?}");
        let made = stdout_json(&output).as_array().expect("an array").clone();
        assert_eq!(made.len(), 3, "{made:?}");
        let mut secrets = HashSet::new();
        let mut owners = HashSet::new();
        for (index, entry) in made.iter().enumerate() {
            assert_eq!(fields(entry), ["api_key", "key", "key_id"]);
            assert_eq!(fields(&entry["key"]), KEY_VIEW_FIELDS);
            let secret = entry["api_key"].as_str().expect("api_key");
            let key = ApiKey::parse(secret).expect("a valid key");
            assert!(secret.starts_with("nk_live_"), "{secret}");
            let stored = store.key_by_hash(&key.hash().to_string()).expect("stored under its hash");
            assert_eq!(entry["key_id"], stored.id.to_string());
            assert_eq!(entry["key"]["key_id"], entry["key_id"]);
            assert_eq!(entry["key"]["prefix"], key.display_prefix());
            assert_eq!(entry["key"]["name"], format!("test user {}", index + 1));
            assert_eq!(entry["key"]["tier"], "free");
            assert_eq!(entry["key"]["consciousness_level"], 2);
            assert_eq!(entry["key"]["scopes"], serde_json::json!(["engines", "workflows"]));
            assert_eq!(entry["key"]["rate_limit_per_minute"], 60);
            secrets.insert(secret.to_owned());
            owners.insert(entry["key"]["user_id"].clone().to_string());
        }
        assert_eq!((secrets.len(), owners.len()), (3, 3), "each key is new and has a user of its own");
        let listed: HashSet<String> = listed_keys(store, &[]).iter().map(|item| item["key_id"].to_string()).collect();
        let seeded: HashSet<String> = made.iter().map(|entry| entry["key_id"].to_string()).collect();
        assert_eq!(listed, seeded);

        // In text: one line per key, `key_id  api_key  owner`; the owner's listing holds it.
        let text = seed_keys(store, &["--count", "1", "--level", "0"]);
        assert_eq!(text.status.code(), Some(0), "{text:?}");
        let stdout = String::from_utf8_lossy(&text.stdout).into_owned();
        let columns: Vec<&str> = stdout.trim_end().split("  ").collect();
        let [key_id, secret, owner] = columns[..] else { panic!("{stdout}") };
        assert!(ApiKey::parse(secret).is_ok(), "{stdout}");
        let hex = owner.strip_prefix("test-user-").and_then(|rest| rest.strip_suffix("@tryambakam.space"));
        assert!(hex.is_some_and(|hex| hex.len() == 8 && hex.chars().all(|c| c.is_ascii_hexdigit())), "{owner}");
        let theirs = listed_keys(store, &["--user", owner]);
        assert_eq!(theirs.len(), 1, "{theirs:?}");
        assert_eq!((theirs[0]["key_id"].as_str(), theirs[0]["consciousness_level"].as_u64()), (Some(key_id), Some(0)));

        // With --owner, every key is that user's.
        let shared = seed_keys(store, &["--count", "2", "--owner", "team@example.com", "--tier", "premium", "--test"]);
        assert_eq!(shared.status.code(), Some(0), "{shared:?}");
        let stdout = String::from_utf8_lossy(&shared.stdout).into_owned();
        assert_eq!(stdout.lines().count(), 2, "{stdout}");
        assert!(
            stdout.lines().all(|line| line.ends_with("  team@example.com") && line.contains("  nk_test_")),
            "{stdout}"
        );
        let team = listed_keys(store, &["--user", "team@example.com"]);
        assert_eq!(team.len(), 2, "{team:?}");
        assert!(team.iter().all(|item| item["tier"] == "premium" && item["rate_limit_per_minute"] == 600), "{team:?}");
    });
}

#[test]
fn keys_refuse_bad_flags_with_one_line_and_exit_2() {
    let store = Store::sqlite("keys-bad");
    let base = ["create", "--name", "x", "--tier", "free", "--level", "1"];
    fn with<'a>(base: &[&'a str], extra: &[&'a str]) -> Vec<&'a str> {
        base.iter().chain(extra).copied().collect()
    }
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["create", "--name", "x", "--tier", "gold", "--level", "1"], "gold"),
        (vec!["create", "--name", "x", "--tier", "free", "--level", "6"], "--level"),
        (with(&base, &["--scopes", "engines,root"]), "root"),
        (with(&base, &["--scopes", ""]), "at least one scope"),
        (with(&base, &["--expires-at", "tomorrow"]), "RFC 3339"),
        (with(&base, &["--expires-at", "2020-01-01T00:00:00Z"]), "not in the future"),
        (with(&base, &["--rate-limit", "0"]), "--rate-limit"),
        (with(&base, &["--owner", "not-an-email"]), "email"),
        (vec!["create", "--tier", "free", "--level", "1"], "--name"),
        (vec!["revoke", "not-a-uuid"], "UUID"),
        (vec!["revoke", "67e55044-10b1-426f-9247-bb680e5fe0c8"], "no key"),
        (vec!["list", "--user", "nobody@example.com"], "no user"),
    ];
    for (args, needle) in cases {
        let line = assert_refused(&keys(&store, &args));
        assert!(line.contains(needle), "{args:?}: {line}");
    }
    let seed_cases: [(&[&str], &str); 6] = [
        (&["--count", "0"], "--count"),
        (&["--count", "1001"], "--count"),
        (&[], "--count"),
        (&["--count", "2", "--level", "9"], "--level"),
        (&["--count", "2", "--owner", "nobody"], "email"),
        (&["--count", "2", "--expires-at", "2020-01-01T00:00:00Z"], "not in the future"),
    ];
    for (args, needle) in seed_cases {
        let line = assert_refused(&seed_keys(&store, args));
        assert!(line.contains(needle), "{args:?}: {line}");
    }
    assert!(listed_keys(&store, &["--include-revoked"]).is_empty(), "a refusal made no key");
}
