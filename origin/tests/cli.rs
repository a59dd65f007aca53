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

/// Runs `noesis-origin keys …` on the SQLite file at `path`.
fn keys(path: &std::path::Path, args: &[&str]) -> Output {
    let path_text = path.to_string_lossy().into_owned();
    let args: Vec<&str> = std::iter::once("keys").chain(args.iter().copied()).collect();
    noesis_origin(&args, &[("DATABASE_URL", ""), ("NOESIS_SQLITE_PATH", &path_text)])
}

fn stored_key_by_hash(path: &std::path::Path, hash: &str) -> Option<noesis_origin::storage::StoredKey> {
    use noesis_origin::storage::{Database, DatabaseTarget};
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    runtime.block_on(async {
        let database =
            Database::open(&DatabaseTarget::Sqlite(path.to_path_buf()), noesis_origin::storage::DEFAULT_TIMEOUT);
        let key = database.key_by_hash(hash).await.expect("lookup");
        database.close().await;
        key
    })
}

#[test]
fn keys_create_list_revoke_round_trip() {
    use noesis_core::keys::ApiKey;

    let path = temp_sqlite_path("keys");
    remove_sqlite(&path);
    let created = keys(
        &path,
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

    // Storage holds the hash of the printed key, and never the key.
    let stored = stored_key_by_hash(&path, &api_key.hash().to_string()).expect("stored under the key's hash");
    assert_eq!(stored.id.to_string(), key_id);
    assert_eq!(stored.prefix, api_key.display_prefix());

    // The listing shows it, without the secret or the hash, in JSON and in text.
    let listed = keys(&path, &["list", "--json"]);
    assert_eq!(listed.status.code(), Some(0), "{listed:?}");
    let items = stdout_json(&listed)["items"].as_array().expect("items").clone();
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(items[0]["key_id"], key_id.as_str());
    assert!(items[0]["revoked_at"].is_null());
    let text = keys(&path, &["list", "--user", "ci@example.com"]);
    assert_eq!(text.status.code(), Some(0), "{text:?}");
    for output in [&listed, &text] {
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(stdout.contains(&key_id), "{stdout}");
        assert!(!stdout.contains(secret), "the secret leaked: {stdout}");
        assert!(!stdout.contains(&stored.key_hash), "the hash leaked: {stdout}");
        assert!(!stdout.contains("key_hash") && !stdout.contains("api_key"), "{stdout}");
    }

    // Revoked: the storage says so, and the default listing leaves it out.
    let revoked = keys(&path, &["revoke", &key_id, "--reason", "test over"]);
    assert_eq!(revoked.status.code(), Some(0), "{revoked:?}");
    let stored = stored_key_by_hash(&path, &api_key.hash().to_string()).expect("still stored");
    assert!(stored.revoked_at.is_some());
    assert_eq!(stored.revoked_reason.as_deref(), Some("test over"));
    let active = stdout_json(&keys(&path, &["list", "--json"]));
    assert_eq!(active["items"].as_array().map(Vec::len), Some(0), "{active}");
    let all = stdout_json(&keys(&path, &["list", "--json", "--include-revoked"]));
    assert!(all["items"][0]["revoked_at"].is_string(), "{all}");
    remove_sqlite(&path);
}

#[test]
fn keys_create_prints_the_key_once_in_text_with_a_warning() {
    use noesis_core::keys::ApiKey;

    let path = temp_sqlite_path("keys-text");
    remove_sqlite(&path);
    let created = keys(&path, &["create", "--name", "local", "--tier", "free", "--level", "0", "--test"]);
    assert_eq!(created.status.code(), Some(0), "{created:?}");
    let stdout = String::from_utf8_lossy(&created.stdout);
    let secret = stdout.lines().find_map(|line| line.strip_prefix("api key:")).map(str::trim).expect("an api key line");
    assert!(ApiKey::parse(secret).is_ok_and(|key| key.display_prefix().starts_with("nk_test_")), "{stdout}");
    assert!(stdout.contains("owner:      admin@localhost"), "{stdout}");
    assert!(stdout.contains("60/minute"), "{stdout}");
    assert!(stdout.contains("will not be shown again"), "{stdout}");
    remove_sqlite(&path);
}

#[test]
fn keys_refuse_bad_flags_with_one_line_and_exit_2() {
    let path = temp_sqlite_path("keys-bad");
    remove_sqlite(&path);
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
        let line = assert_refused(&keys(&path, &args));
        assert!(line.contains(needle), "{args:?}: {line}");
    }
    remove_sqlite(&path);
}
