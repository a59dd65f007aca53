// Follows docs/onboarding.md literally against the local stack, so that the guide cannot rot.
//
// The stack is started by `scripts/run` itself (the README's first command), on free ports and in
// a temporary state folder, and its printed banner is read the way a person reads it: the edge URL,
// the admin key and the first curl, which is run exactly as printed. Then every ```sh block of the
// guide runs in order, in one bash session per block that inherits the variables exported by the
// blocks before it (as in one terminal), starting from the variables the guide tells the user to
// set (NOESIS_URL, NOESIS_ADMIN_KEY). Each block must exit 0, and its output must match the sample
// answer the guide shows right after it (```json or ```text, see matchSample). Last, Ctrl-C
// (SIGINT to scripts/run's process group, as a terminal sends it) must stop everything it started.
//
// Settings: NOESIS_ONBOARDING_KEEP=1 keeps the state folder (logs, database).

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { freePort, repo } from '../../edge/e2e/harness.mjs';
import { checkOutput, guideSteps } from './guide.mjs';

const guidePath = path.join(repo, 'docs/onboarding.md');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'noesis-onboarding-'));
let run;
let banner = '';
const ports = {};

/** Runs scripts/run until its banner is complete; returns its output so far. */
function startRun() {
  const log = fs.openSync(path.join(dir, 'scripts-run.log'), 'a');
  run = spawn('scripts/run', [], {
    cwd: repo,
    detached: true,
    stdio: ['ignore', 'pipe', log],
    env: { ...process.env, PORT: String(ports.origin), EDGE_PORT: String(ports.edge), NOESIS_RUN_DIR: path.join(dir, 'state') },
  });
  fs.closeSync(log);
  run.exited = new Promise((resolve) => run.once('exit', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`scripts/run printed no banner in 15 min:\n${banner}`)), 15 * 60_000);
    run.stdout.on('data', (chunk) => {
      banner += chunk;
      if (banner.includes('More in docs/onboarding.md')) {
        clearTimeout(timer);
        resolve(banner);
      }
    });
    run.exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`scripts/run exited (${code ?? signal}) before its banner; see ${dir}/scripts-run.log`));
    });
  });
}

function listening(port) {
  return spawnSync('bash', ['-c', `exec 3<>/dev/tcp/127.0.0.1/${port}`], { stdio: 'ignore' }).status === 0;
}

/** SIGINT to the process group, as Ctrl-C in a terminal; resolves with how scripts/run ended. */
async function ctrlC() {
  try {
    process.kill(-run.pid, 'SIGINT');
  } catch {
    // Already gone.
  }
  let timer;
  const outcome = await Promise.race([run.exited, new Promise((resolve) => (timer = setTimeout(resolve, 30_000, 'timeout')))]);
  clearTimeout(timer);
  return outcome;
}

before(async () => {
  [ports.origin, ports.edge] = [await freePort(), await freePort()];
  const started = performance.now();
  await startRun();
  console.log(`# scripts/run ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);
});

after(async () => {
  if (run && run.exitCode === null && run.signalCode === null) {
    await ctrlC();
    try {
      process.kill(-run.pid, 'SIGKILL');
    } catch {
      // Stopped.
    }
  }
  if (process.env.NOESIS_ONBOARDING_KEEP !== '1') fs.rmSync(dir, { recursive: true, force: true });
});

function bannerValue(label) {
  const match = banner.match(label);
  assert.ok(match, `scripts/run's banner has no ${label}:\n${banner}`);
  return match[1];
}

test('the banner of scripts/run names the edge, an admin key and a curl that works as printed', () => {
  const edgeUrl = bannerValue(/edge \(the API[^\n]*?(http:\/\/\S+)/);
  assert.equal(edgeUrl, `http://127.0.0.1:${ports.edge}`);
  assert.match(bannerValue(/admin key of this run[^\n]*\n\s+(\S+)/), /^nk_test_[0-9A-Za-z]{38}$/);
  const curl = bannerValue(/^\s+(curl .*)$/m);
  const result = spawnSync('bash', ['-c', curl], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  const answer = JSON.parse(result.stdout);
  assert.equal(answer.engine_id, 'numerology');
  assert.equal(answer.metadata.served_by, 'edge');
});

test('every sh block of docs/onboarding.md runs and answers what the guide shows', () => {
  const steps = guideSteps(fs.readFileSync(guidePath, 'utf8'));
  assert.ok(steps.length >= 15, `only ${steps.length} runnable blocks found in the guide`);
  // The variables the guide tells the user to set: the base URL and, on a local stack, the admin
  // key scripts/run printed.
  const state = path.join(dir, 'session.env');
  fs.writeFileSync(
    state,
    `export NOESIS_URL=${bannerValue(/edge \(the API[^\n]*?(http:\/\/\S+)/)}\nexport NOESIS_ADMIN_KEY=${bannerValue(/admin key of this run[^\n]*\n\s+(\S+)/)}\n`,
  );
  for (const step of steps) {
    const script = `. "${state}"\nset -e -o pipefail\n${step.code}\nexport -p > "${state}"\n`;
    const result = spawnSync('bash', ['-c', script], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    assert.equal(result.status, 0, `docs/onboarding.md:${step.line}: exit status ${result.status}\n${step.code}\n${result.stderr}`);
    checkOutput(step, result.stdout);
  }
});

test('Ctrl-C stops everything scripts/run started', async () => {
  const outcome = await ctrlC();
  assert.notEqual(outcome, 'timeout', 'scripts/run did not exit within 30 s of Ctrl-C');
  for (const [name, port] of Object.entries(ports)) {
    assert.ok(!listening(port), `something still listens on the ${name} port ${port}`);
  }
  // No process of the run is left: none names this run's state folder or ports.
  const left = spawnSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' })
    .stdout.split('\n')
    .filter((line) => line.includes(dir) || line.includes(`--port ${ports.edge}`) || line.includes(`entry=127.0.0.1:${ports.edge}`));
  assert.deepEqual(left, []);
});
