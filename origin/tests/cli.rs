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

#[cfg(unix)]
#[test]
fn serve_stops_cleanly_on_sigterm() {
    use std::io::{Read, Write};
    use std::net::{TcpListener, TcpStream};
    use std::process::Stdio;
    use std::time::{Duration, Instant};

    let port = TcpListener::bind("127.0.0.1:0").and_then(|listener| listener.local_addr()).expect("a free port").port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_noesis-origin"))
        .arg("serve")
        .env("PORT", port.to_string())
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
    assert!(status.success(), "{status:?}");
}
