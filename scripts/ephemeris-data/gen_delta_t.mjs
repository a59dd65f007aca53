// Generates core/src/time/delta_t_table.rs: the ΔT (TT − UT1) data that
// `noesis_core::time::delta_t` interpolates. Two sources:
//
// 1. Observed ΔT since 1955, from the npm package astronomia@4.2.0 (MIT), lib/data/deltat.cjs:
//    - `historic`: half-yearly values to 1984.5 (USNO historic_deltat.data); used 1955.0–1972.5,
//    - `data`: monthly values on the 1st of each month, 1973-02 – 2023-05 (IERS finals,
//      ΔT = 32.184 s + (TAI − UTC) − (UT1 − UTC)).
//    Its third set, `prediction` (quarterly 2022–2032), is not used: where it overlaps the
//    observed monthly series it runs about 1.2 s below it (the script prints the offset it
//    measures). Before 1955 `historic` is not used either: those values rest on an older lunar
//    theory and differ from Stephenson et al. (below) by up to 6 s around 1800.
// 2. ΔT from -720 to 1955: the cubic spline of Morrison, Stephenson, Hohenkerk & Zawilski (2021),
//    "Addendum 2020 to 'Measurement of the Earth's rotation: 720 BC to AD 2015'", Proc. R. Soc. A
//    477: 20200776 (open access, CC BY 4.0), table S15, as shipped in the PyPI package
//    skyfield 1.55 (MIT), file skyfield/data/delta_t.npz, array "Table-S15.2020.txt".
//
// Run (Node 20; the skyfield wheel is only read, never installed):
//   cd scripts/ephemeris-data && npm install
//   python3 -m pip download skyfield==1.55 --no-deps -d /tmp/skyfield-wheel
//   node gen_delta_t.mjs /tmp/skyfield-wheel/skyfield-1.55-py3-none-any.whl
// Writes core/src/time/delta_t_table.rs (its tables are rustfmt::skip).

import { createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const pkgDir = dirname(require.resolve('astronomia/package.json'));
const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
const deltat = require(join(pkgDir, 'lib/data/deltat.cjs')).default;
const out = join(here, '../../core/src/time/delta_t_table.rs');

const SKYFIELD_WHEEL = 'skyfield-1.55-py3-none-any.whl';
const wheelPath = process.argv[2];
if (!wheelPath || basename(wheelPath) !== SKYFIELD_WHEEL) {
  console.error(`usage: node gen_delta_t.mjs path/to/${SKYFIELD_WHEEL}`);
  console.error('  (python3 -m pip download skyfield==1.55 --no-deps -d /tmp/skyfield-wheel)');
  process.exit(2);
}

if (pkg.version !== '4.2.0') {
  throw new Error(`expected astronomia 4.2.0, found ${pkg.version}; review the tables before upgrading`);
}

const { historic, data, prediction } = deltat;
const HISTORIC_STEP = 0.5;
if ((historic.last - historic.first) / HISTORIC_STEP + 1 !== historic.table.length) {
  throw new Error('historic table is not half-yearly');
}
const [monthlyYear, monthlyMonth] = data.firstYM;
const [lastYear, lastMonth] = data.lastYM;
if ((lastYear - monthlyYear) * 12 + (lastMonth - monthlyMonth) + 1 !== data.table.length) {
  throw new Error('monthly table has gaps');
}

// Observed series from 1955.0 (where the spline hands over), half-yearly until half a year
// before the first monthly value so the two never interleave.
const OBSERVED_FROM_YEAR = 1955;
const monthlyStartYear = monthlyYear + (monthlyMonth - 1) / 12;
const halfYearly = [];
historic.table.forEach((v, i) => {
  const year = historic.first + i * HISTORIC_STEP;
  if (year >= OBSERVED_FROM_YEAR && year <= monthlyStartYear - HISTORIC_STEP) halfYearly.push(v);
});
const halfYearlyLast = OBSERVED_FROM_YEAR + (halfYearly.length - 1) * HISTORIC_STEP;

// How far the unused prediction set sits from the observed series where both exist.
const monthIndex = (y, m) => (y - monthlyYear) * 12 + (m - monthlyMonth);
const predictionOffsets = [];
prediction.table.forEach((v, i) => {
  const year = prediction.first + i * 0.25;
  const idx = monthIndex(Math.floor(year), 1 + Math.round((year % 1) * 12));
  if (idx >= 0 && idx < data.table.length) predictionOffsets.push(v - data.table[idx]);
});
const meanOffset = predictionOffsets.reduce((a, b) => a + b, 0) / predictionOffsets.length;
console.error(
  `astronomia prediction − observed over ${predictionOffsets.length} overlapping quarters: ` +
    `mean ${meanOffset.toFixed(3)} s (not used)`,
);

// --- Table S15 from skyfield's wheel: a zip (the wheel) holding a zip (the .npz) of .npy files.

function unzipEntry(zip, name) {
  let eocd = zip.length - 22;
  while (eocd >= 0 && zip.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error('not a zip file');
  const entries = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  for (let i = 0; i < entries; i++) {
    if (zip.readUInt32LE(p) !== 0x02014b50) throw new Error('bad zip central directory');
    const method = zip.readUInt16LE(p + 10);
    const size = zip.readUInt32LE(p + 20);
    const nameLen = zip.readUInt16LE(p + 28);
    const skip = nameLen + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32);
    const local = zip.readUInt32LE(p + 42);
    if (zip.toString('utf8', p + 46, p + 46 + nameLen) === name) {
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const raw = zip.subarray(start, start + size);
      if (method === 0) return raw;
      if (method === 8) return inflateRawSync(raw);
      throw new Error(`${name}: unsupported zip method ${method}`);
    }
    p += 46 + skip;
  }
  throw new Error(`${name} not found`);
}

function readNpyF8(buf) {
  if (buf.toString('latin1', 0, 6) !== '\x93NUMPY') throw new Error('not a .npy file');
  const major = buf[6];
  const headerLen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const offset = major === 1 ? 10 + headerLen : 12 + headerLen;
  const header = buf.toString('latin1', offset - headerLen, offset);
  if (!header.includes("'descr': '<f8'") || !header.includes("'fortran_order': False")) {
    throw new Error(`unexpected .npy header ${header}`);
  }
  const shape = header.match(/'shape': \((\d+), (\d+)\)/).slice(1).map(Number);
  const values = [];
  for (let i = 0; i < shape[0] * shape[1]; i++) values.push(buf.readDoubleLE(offset + 8 * i));
  return { shape, values };
}

const npz = unzipEntry(readFileSync(wheelPath), 'skyfield/data/delta_t.npz');
const s15 = readNpyF8(unzipEntry(npz, 'Table-S15.2020.txt.npy'));
const [rowsOfS15, segments] = s15.shape;
if (rowsOfS15 !== 6) throw new Error('Table S15 should have 6 rows');
// skyfield stores the table column-wise: year_start, year_end, a3, a2, a1, a0.
const splineRows = [];
for (let j = 0; j < segments; j++) {
  const [y0, y1, a3, a2, a1, a0] = [0, 1, 2, 3, 4, 5].map((r) => s15.values[r * segments + j]);
  if (j > 0 && y0 !== splineRows[j - 1][1]) throw new Error(`Table S15 is not contiguous at ${y0}`);
  splineRows.push([y0, y1, a0, a1, a2, a3]);
}
// Keep the segments up to the one that contains 1955.0; later years come from observations.
const usedRows = splineRows.filter(([y0]) => y0 <= OBSERVED_FROM_YEAR);
if (usedRows[usedRows.length - 1][1] <= OBSERVED_FROM_YEAR) throw new Error('S15 ends before 1955');

const lit = (v) => {
  if (!Number.isFinite(v)) throw new Error(`non-finite value ${v}`);
  const s = String(v);
  return /[.e]/.test(s) ? s : `${s}.0`;
};

function rows(values, label, perRow) {
  const lines = [];
  for (let i = 0; i < values.length; i += perRow) {
    const chunk = values.slice(i, i + perRow).map(lit).join(', ');
    lines.push(`    ${chunk}, // ${label(i)}`);
  }
  return lines.join('\n');
}

const monthLabel = (i) => {
  const m0 = monthlyMonth - 1 + i;
  const y = monthlyYear + Math.floor(m0 / 12);
  return `${y}-${String((m0 % 12) + 1).padStart(2, '0')}`;
};

const rs = `// @generated by scripts/ephemeris-data/gen_delta_t.mjs — do not edit by hand.
//
// Sources:
// - STEPHENSON_2020_SPLINE: Morrison, Stephenson, Hohenkerk & Zawilski (2021), "Addendum 2020 to
//   'Measurement of the Earth's rotation: 720 BC to AD 2015'", Proc. R. Soc. A 477: 20200776
//   (CC BY 4.0), table S15; read from the PyPI package skyfield 1.55 (MIT licence, Copyright (c)
//   Brandon Rhodes), skyfield/data/delta_t.npz, array "Table-S15.2020.txt".
// - HALF_YEARLY_S, MONTHLY_S: npm package astronomia@${pkg.version}, lib/data/deltat.cjs (MIT licence,
//   Copyright (c) 2013 Sonia Keys, Copyright (c) 2016 commenthol), built there from USNO
//   historic_deltat.data and IERS finals (EOP rapid, standard).
//
// Regenerate:
//   cd scripts/ephemeris-data && npm install
//   python3 -m pip download skyfield==1.55 --no-deps -d /tmp/skyfield-wheel
//   node gen_delta_t.mjs /tmp/skyfield-wheel/${SKYFIELD_WHEEL}

//! ΔT = TT − UT1 in seconds: the spline and the observations that [\`super::delta_t\`] evaluates.

/// ΔT (s) from ${usedRows[0][0]} to ${usedRows[usedRows.length - 1][1]}, one cubic per row:
/// \`[year_start, year_end, a0, a1, a2, a3]\` gives ΔT = a0 + a1·t + a2·t² + a3·t³ with
/// t = (year − year_start) / (year_end − year_start).
#[rustfmt::skip]
pub(super) const STEPHENSON_2020_SPLINE: [[f64; 6]; ${usedRows.length}] = [
${usedRows.map((r) => `    [${r.map(lit).join(', ')}],`).join('\n')}
];

/// Year of the first half-yearly knot (1 January, 0h UT).
pub(super) const HALF_YEARLY_FIRST_YEAR: i32 = ${OBSERVED_FROM_YEAR};

/// ΔT (s) every half year from ${OBSERVED_FROM_YEAR}.0 to ${halfYearlyLast.toFixed(1)}: knot \`i\` is at year
/// \`HALF_YEARLY_FIRST_YEAR + i / 2\`, where \`.0\` is 1 January 0h UT and \`.5\` is half that
/// year's length later.
#[rustfmt::skip]
pub(super) const HALF_YEARLY_S: [f64; ${halfYearly.length}] = [
${rows(halfYearly, (i) => (OBSERVED_FROM_YEAR + i * HISTORIC_STEP).toFixed(1), 10)}
];

/// Year and month of the first monthly knot.
pub(super) const MONTHLY_FIRST: (i32, i32) = (${monthlyYear}, ${monthlyMonth});

/// ΔT (s) on the 1st of every month, 0h UT, from ${monthLabel(0)} to ${monthLabel(data.table.length - 1)}.
#[rustfmt::skip]
pub(super) const MONTHLY_S: [f64; ${data.table.length}] = [
${rows(data.table, monthLabel, 6)}
];
`;

writeFileSync(out, rs);
console.error(
  `wrote ${out}: ${usedRows.length} spline segments ${usedRows[0][0]}–${usedRows[usedRows.length - 1][1]}, ` +
    `${halfYearly.length} half-yearly knots ${OBSERVED_FROM_YEAR}.0–${halfYearlyLast.toFixed(1)}, ` +
    `${data.table.length} monthly knots ${monthLabel(0)}–${monthLabel(data.table.length - 1)}`,
);
