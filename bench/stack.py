"""The processes scripts/bench and scripts/soak measure, started the way edge/e2e/harness.mjs does:
the release origin (`noesis-origin serve`) on a SQLite file in a temporary folder, optionally
with Redis, and the edge Worker under `wrangler dev` (scripts/edge-dev) in front of it, each on a
free loopback port and in a process group of its own (so workerd goes with wrangler). Also what
both scripts need around them: keys from the origin's CLI, and memory and open files of a
process from /proc.

Standard library only.
"""

import json
import os
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# Settings that would send what a measurement does to a real service: never passed on.
LOCAL_ONLY = ("SENTRY_DSN", "POSTHOG_API_KEY", "POSTHOG_HOST")


def stop_on_sigterm():
    """Makes SIGTERM (a `kill`, a CI timeout) unwind like Ctrl-C, so every `finally` that stops a
    started origin, wrangler or workerd runs: by default Python dies on SIGTERM at once and leaves
    their process groups running."""

    def unwind(signum, _frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, unwind)


def log(message):
    print(message, file=sys.stderr, flush=True)


def run(args, env=None, quiet=False, record=None):
    """Runs a command from the repository root; its stdout. `record` (a list) gets the command."""
    if record is not None:
        record.append(" ".join(shlex.quote(str(arg)) for arg in args))
    if not quiet:
        log("$ " + " ".join(shlex.quote(str(arg)) for arg in args))
    result = subprocess.run(
        [str(arg) for arg in args],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL if quiet else None,
        text=True,
    )
    if result.returncode != 0:
        raise SystemExit(f"failed ({result.returncode}): {' '.join(map(str, args))}")
    return result.stdout


def target_dir():
    metadata = json.loads(run(["cargo", "metadata", "--no-deps", "--format-version", "1"], quiet=True))
    return Path(metadata["target_directory"])


def build_origin(record=None):
    """The release origin binary, built when out of date."""
    run(["cargo", "build", "--release", "-p", "noesis-origin", "--bin", "noesis-origin"], record=record)
    return target_dir() / "release" / "noesis-origin"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_ok(url, timeout=2.0):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status == 200
    except (OSError, urllib.error.URLError):
        return False


class Process:
    """A child in a session (and process group) of its own, with its output in `log_path`."""

    def __init__(self, label, args, env, log_path):
        self.label = label
        self.log_path = log_path
        with open(log_path, "ab") as out:
            self.popen = subprocess.Popen(
                [str(arg) for arg in args], cwd=REPO, env=env, stdout=out, stderr=out, start_new_session=True
            )
        self.pid = self.popen.pid

    def wait_healthy(self, url, seconds):
        """Returns once `url` answers 200; else stops the process and exits with its log's tail."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.popen.poll() is not None:
                break
            if http_ok(url):
                return
            time.sleep(0.2)
        self.stop()
        tail = Path(self.log_path).read_text(errors="replace").splitlines()[-30:]
        raise SystemExit(f"{self.label} did not answer {url} within {seconds} s; {self.log_path}:\n" + "\n".join(tail))

    def members(self):
        """The pids of every process in this child's session (wrangler starts workerd in it)."""
        pids = []
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            # Field 6 is the session id; the command name (field 2) may hold spaces, so split
            # after its closing parenthesis.
            fields = stat[stat.rindex(")") + 2 :].split()
            if int(fields[3]) == self.pid:
                pids.append(int(entry))
        return pids

    def stop(self, grace=10.0):
        if self.popen.poll() is not None:
            return
        try:
            os.killpg(self.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            self.popen.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            os.killpg(self.pid, signal.SIGKILL)
            self.popen.wait()
        # wrangler may leave workerd behind for a moment: end the rest of the group.
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


class Origin:
    """`noesis-origin serve` on a fresh SQLite file in `work`, with Redis when `redis_url` is set."""

    def __init__(self, binary, work, redis_url=None, edge_secret=None, name="origin"):
        self.binary = binary
        self.env = {k: v for k, v in os.environ.items() if k not in LOCAL_ONLY + ("DATABASE_URL", "REDIS_URL")}
        self.env.update(NOESIS_SQLITE_PATH=str(Path(work) / f"{name}-{os.getpid()}-{time.time_ns()}.sqlite"), RUST_LOG="warn")
        if edge_secret:
            self.env["NOESIS_EDGE_SECRET"] = edge_secret
        run([binary, "migrate"], env=self.env, quiet=True)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        serve_env = dict(self.env, PORT=str(self.port))
        if redis_url:
            serve_env["REDIS_URL"] = redis_url
        self.process = Process(name, [binary, "serve"], serve_env, Path(work) / f"{name}.log")
        self.process.wait_healthy(f"{self.url}/health", 60)

    def cli_json(self, *args):
        return json.loads(run([self.binary, *args, "--json"], env=self.env, quiet=True))

    def create_key(self, name="bench", tier="enterprise", level=5, scopes="engines,workflows,admin", rate_limit=None):
        """A new key: `keys create --json` → {key_id, api_key, key}."""
        args = ["keys", "create", "--name", name, "--tier", tier, "--level", str(level), "--scopes", scopes]
        if rate_limit:
            args += ["--rate-limit", str(rate_limit)]
        return self.cli_json(*args)

    def stop(self):
        self.process.stop()


def edge_env(extra):
    """wrangler's environment: offline, no Cloudflare credentials (as scripts/edge-dev makes it)."""
    env = dict(os.environ, WRANGLER_SEND_METRICS="false", CLOUDFLARE_CF_FETCH_ENABLED="false", **extra)
    for name in LOCAL_ONLY + ("CLOUDFLARE_API_TOKEN", "CLOUDFLARE_API_KEY", "CLOUDFLARE_EMAIL", "CLOUDFLARE_ACCOUNT_ID"):
        env.pop(name, None)
    return env


class Edge:
    """The Worker under `wrangler dev` (scripts/edge-dev) in front of `origin_url`."""

    def __init__(self, origin_url, edge_secret, work, extra_args=()):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = edge_env(
            dict(
                EDGE_PORT=str(self.port),
                ORIGIN_URL=origin_url,
                NOESIS_EDGE_SECRET=edge_secret,
                EDGE_PERSIST_DIR=str(Path(work) / "edge-state"),
            )
        )
        self.process = Process("wrangler dev", ["bash", "scripts/edge-dev", *extra_args], env, Path(work) / "edge.log")
        # wrangler dev builds the Worker first (warm: seconds; cold: minutes; and the first run of
        # scripts/edge-tools on a machine installs the Rust tools, which takes longer still).
        self.process.wait_healthy(f"{self.url}/health", 1800)

    def workerd_pids(self):
        return [pid for pid in self.process.members() if proc_name(pid) == "workerd"]

    def stop(self):
        self.process.stop()


def proc_name(pid):
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def proc_sample(pids):
    """Resident memory (KiB), open files and open sockets, summed over `pids` still alive."""
    rss = files = sockets = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    rss += int(line.split()[1])
            for fd in os.listdir(f"/proc/{pid}/fd"):
                files += 1
                try:
                    if os.readlink(f"/proc/{pid}/fd/{fd}").startswith("socket:"):
                        sockets += 1
                except OSError:
                    pass
        except OSError:
            continue
    return {"rss_kib": rss, "fds": files, "sockets": sockets}
