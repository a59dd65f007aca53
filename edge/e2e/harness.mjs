// The end-to-end stack for edge/e2e/*.test.mjs: the origin (`noesis-origin serve` on a temporary
// SQLite file, with an admin key) and the edge Worker under `wrangler dev` (scripts/edge-dev) in
// front of it, each on a free loopback port, nothing reaching the network. `startStack()` returns
// once both answer /health; `stack.stop()` ends both (each started in a process group of its own,
// so workerd goes with wrangler), also when the test process exits early.
//
// Settings (environment): NOESIS_ORIGIN_BIN (an origin binary to use instead of building one),
// NOESIS_E2E_ORIGIN_PROFILE (`debug`, the default, which scripts/test has already built, or
// `release`), NOESIS_E2E_KEEP=1 (keep the temporary folder with both logs).

import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const children = new Set();

/** The edge's allow-list TTL in these tests (the default is 30 s). */
export const ALLOWLIST_TTL_SECONDS = 2;

// Last resort when the test process ends without stop(): kill what is left, synchronously.
process.once('exit', () => {
  for (const child of children) killGroup(child, 'SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => process.exit(130));
}

function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

/** A TCP port free on 127.0.0.1 right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Runs a command to completion; throws with its output when it fails. */
function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: repo, encoding: 'utf8', maxBuffer: 64 << 20, ...options });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} failed (${result.error ?? `status ${result.status}`}):\n${result.stdout}\n${result.stderr}`,
    );
  }
  return result.stdout;
}

/** The origin binary: NOESIS_ORIGIN_BIN, or cargo's build of it (a no-op when up to date). */
function originBinary() {
  if (process.env.NOESIS_ORIGIN_BIN) return process.env.NOESIS_ORIGIN_BIN;
  const profile = process.env.NOESIS_E2E_ORIGIN_PROFILE ?? 'debug';
  run('cargo', ['build', '-p', 'noesis-origin', '--bin', 'noesis-origin', ...(profile === 'release' ? ['--release'] : [])]);
  const metadata = JSON.parse(run('cargo', ['metadata', '--no-deps', '--format-version', '1']));
  return path.join(metadata.target_directory, profile, 'noesis-origin');
}

/** The environment of wrangler and workerd: offline, no Cloudflare credentials. */
function edgeEnv(extra = {}) {
  const env = { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', ...extra };
  for (const name of ['CLOUDFLARE_API_TOKEN', 'CLOUDFLARE_API_KEY', 'CLOUDFLARE_EMAIL', 'CLOUDFLARE_ACCOUNT_ID']) {
    delete env[name];
  }
  return env;
}

/**
 * Builds the Worker as `wrangler deploy` would and returns its size without deploying:
 * `{upload, gzip, seconds}` as wrangler prints them (e.g. "512.20 KiB").
 */
export function bundleSize(outdir) {
  const started = performance.now();
  const output = run('bash', ['-c', '. scripts/edge-tools && wrangler deploy --dry-run --outdir "$1" 2>&1', 'dry-run', outdir], {
    env: edgeEnv(),
  });
  const match = output.match(/Total Upload:\s*([\d.]+ \w+)\s*\/\s*gzip:\s*([\d.]+ \w+)/);
  if (!match) throw new Error(`wrangler deploy --dry-run printed no size:\n${output}`);
  return { upload: match[1], gzip: match[2], seconds: (performance.now() - started) / 1000 };
}

/** Bytes of a size as wrangler prints it ("1.5 MiB"). */
export function bytes(size) {
  const [number, unit] = size.split(' ');
  return Number(number) * { B: 1, KiB: 1024, MiB: 1024 ** 2 }[unit];
}

function startProcess(name, command, args, options, logFile) {
  const log = fs.openSync(logFile, 'a');
  const child = spawn(command, args, { cwd: repo, detached: true, stdio: ['ignore', log, log], ...options });
  fs.closeSync(log);
  children.add(child);
  child.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  child.exited.then(() => children.delete(child));
  child.label = name;
  child.logFile = logFile;
  return child;
}

async function stopProcess(child) {
  if (!children.has(child)) return;
  killGroup(child, 'SIGTERM');
  let timer;
  const timeout = new Promise((resolve) => (timer = setTimeout(resolve, 10_000, 'timeout')));
  const outcome = await Promise.race([child.exited, timeout]);
  clearTimeout(timer);
  if (outcome === 'timeout') {
    killGroup(child, 'SIGKILL');
    await child.exited;
  }
}

function tail(file, lines = 40) {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Polls `${url}/health` until it answers 200, the process exits, or `seconds` pass. */
async function waitHealthy(child, url, seconds) {
  const deadline = Date.now() + seconds * 1000;
  let exited = false;
  child.exited.then(() => (exited = true));
  while (Date.now() < deadline && !exited) {
    try {
      const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) });
      if (response.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(
    `${child.label} did not answer ${url}/health within ${seconds} s${exited ? ' (it exited)' : ''}; log ${child.logFile}:\n${tail(child.logFile)}`,
  );
}

/**
 * Starts origin and edge. Returns {edgeUrl, originUrl, adminKey, adminKeyId, secret, bundle,
 * timings, allowlistTtlSeconds, createKey, stopOrigin, stop}.
 *
 * Options: `originFront(originUrl)`, when given, returns (or resolves to) the URL the edge is given
 * as ORIGIN_URL instead of the origin's own, e.g. a proxy in front of it that a test can cut.
 * `edgeVars`: extra Worker vars, passed to `wrangler dev` as `--var NAME:value` (e.g. SENTRY_DSN,
 * POSTHOG_HOST). `originEnv`: extra environment of the origin (e.g. METRICS_TOKEN).
 */
export async function startStack({ originFront, edgeVars = {}, originEnv: extraOriginEnv = {} } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'noesis-e2e-'));
  const timings = {};
  const stack = { dir, timings };
  stack.stop = async () => {
    await Promise.all([...children].map(stopProcess));
    if (process.env.NOESIS_E2E_KEEP !== '1') fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    const origin = originBinary();
    const secret = randomBytes(24).toString('hex');
    const originEnv = { ...process.env, NOESIS_SQLITE_PATH: path.join(dir, 'noesis.sqlite'), NOESIS_EDGE_SECRET: secret, LOG_FORMAT: 'json', ...extraOriginEnv };
    // In-process caches and this run's SQLite file, whatever the calling shell points at.
    delete originEnv.DATABASE_URL;
    delete originEnv.REDIS_URL;
    run(origin, ['migrate'], { env: originEnv });

    /** A new key on the origin's database: `keys create --json` → {key_id, api_key, key}. */
    stack.createKey = ({ name = 'e2e', tier = 'free', level = 2, scopes = 'engines' } = {}) =>
      JSON.parse(
        run(origin, ['keys', 'create', '--json', '--name', name, '--tier', tier, '--level', String(level), '--scopes', scopes], {
          env: originEnv,
        }),
      );
    const admin = stack.createKey({ name: 'e2e-admin', tier: 'enterprise', level: 5, scopes: 'engines,workflows,admin' });
    Object.assign(stack, { secret, adminKey: admin.api_key, adminKeyId: admin.key_id });

    // The size report first: its build must not land while wrangler dev watches edge/build.
    stack.bundle = bundleSize(path.join(dir, 'dist'));
    timings.buildAndDryRunSeconds = stack.bundle.seconds;

    const [originPort, edgePort] = [await freePort(), await freePort()];
    stack.originUrl = `http://127.0.0.1:${originPort}`;
    stack.edgeUrl = `http://127.0.0.1:${edgePort}`;
    const originProcess = startProcess('noesis-origin serve', origin, ['serve'], { env: { ...originEnv, PORT: String(originPort) } }, path.join(dir, 'origin.log'));
    stack.stopOrigin = () => stopProcess(originProcess);

    // A short allow-list TTL, so that a revocation reaches the edge within a test's patience
    // (scripts/edge-dev passes extra arguments to `wrangler dev`).
    stack.allowlistTtlSeconds = ALLOWLIST_TTL_SECONDS;
    let started = performance.now();
    const edgeProcess = startProcess(
      'wrangler dev',
      'bash',
      [
        'scripts/edge-dev',
        '--var',
        `ALLOWLIST_TTL_SECONDS:${ALLOWLIST_TTL_SECONDS}`,
        ...Object.entries(edgeVars).flatMap(([name, value]) => ['--var', `${name}:${value}`]),
      ],
      {
        env: edgeEnv({
          EDGE_PORT: String(edgePort),
          ORIGIN_URL: originFront ? await originFront(stack.originUrl) : stack.originUrl,
          NOESIS_EDGE_SECRET: secret,
          EDGE_PERSIST_DIR: path.join(dir, 'edge-state'),
        }),
      },
      path.join(dir, 'edge.log'),
    );
    await waitHealthy(originProcess, stack.originUrl, 60);
    // wrangler dev runs the [build] command first (warm: seconds; cold: about a minute).
    await waitHealthy(edgeProcess, stack.edgeUrl, 600);
    timings.wranglerReadySeconds = (performance.now() - started) / 1000;
    return stack;
  } catch (error) {
    await stack.stop();
    throw error;
  }
}

/** CRC-32 (ISO-HDLC, zlib's) of a string's bytes. */
function crc32(text) {
  let crc = 0xffffffff;
  for (const byte of Buffer.from(text)) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit += 1) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A key no one issued whose format and checksum are right (DESIGN §2 "Authentication"). */
export function wellFormedUnknownKey() {
  let covered = 'nk_test_';
  for (const byte of randomBytes(32)) covered += BASE62[byte % 62];
  let number = crc32(covered);
  let sum = '';
  for (let digit = 0; digit < 6; digit += 1) {
    sum = BASE62[number % 62] + sum;
    number = Math.floor(number / 62);
  }
  return covered + sum;
}
