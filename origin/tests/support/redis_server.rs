//! Redis for tests: links to the shared server at `127.0.0.1:6379` (keys random per test) and
//! `redis-server`s of a test's own, which it starts, kills and restarts.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use noesis_origin::redis_link::{self, RedisLink};

/// The Redis every test may share.
pub const SHARED_REDIS: &str = "redis://127.0.0.1:6379";

/// A link that has made its first connection (it connects in the background).
pub async fn connected(url: &str) -> RedisLink {
    let link = RedisLink::connect(redis_link::check_url(url).expect("a valid URL"), Duration::from_secs(2));
    answers_again(&link).await;
    link
}

/// Waits until `link` answers, through its reconnection and its open-circuit pause.
pub async fn answers_again(link: &RedisLink) {
    let started = Instant::now();
    while link.ping().await.is_err() {
        assert!(started.elapsed() < Duration::from_secs(10), "redis at {} does not answer", link.target());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A `redis-server` of the test's own, on a port of its own, without persistence. Killed when
/// dropped.
pub struct PrivateRedis {
    pub port: u16,
    child: Option<Child>,
}

impl PrivateRedis {
    pub fn start() -> PrivateRedis {
        let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port();
        let mut redis = PrivateRedis { port, child: None };
        redis.restart();
        redis
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    /// Starts the server (again) on the same port and waits until it answers PING.
    pub fn restart(&mut self) {
        let child = Command::new("redis-server")
            .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .spawn()
            .expect("start redis-server (is it on PATH?)");
        self.child = Some(child);
        let started = Instant::now();
        while !self.pongs() {
            assert!(started.elapsed() < Duration::from_secs(5), "the private redis did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn pongs(&self) -> bool {
        let Ok(mut stream) = TcpStream::connect(("127.0.0.1", self.port)) else { return false };
        let mut reply = [0u8; 7];
        stream.write_all(b"PING\r\n").is_ok() && stream.read_exact(&mut reply).is_ok() && &reply == b"+PONG\r\n"
    }

    /// Kills the server (SIGKILL: no goodbye to its clients) and reaps it.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for PrivateRedis {
    fn drop(&mut self) {
        self.kill();
    }
}
