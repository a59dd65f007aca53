// Runs a wasm32-wasip1 command module under Node's built-in WASI (no flag needed on Node 20+),
// passing on its arguments and exit code; stdout and stderr are Node's own.
//
//     node scripts/wasi-run.mjs path/to/program.wasm [args...]
//
// No directories are preopened and no environment is passed: the program sees neither the file
// system nor the caller's variables.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { WASI } from 'node:wasi';

const [path, ...args] = process.argv.slice(2);
if (!path) {
  console.error('usage: node scripts/wasi-run.mjs <program.wasm> [args...]');
  process.exit(2);
}

const wasi = new WASI({ version: 'preview1', args: [basename(path), ...args], env: {}, returnOnExit: true });
const module = await WebAssembly.compile(await readFile(path));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
process.exitCode = wasi.start(instance);
