// Runs Electronegativity over main/, preload/ and the renderer's HTML, writes its findings to
// test-results/electronegativity.json, reads them back, and fails on any finding of MEDIUM
// severity or above that is not a reviewed exception in .electronegativity-exceptions.json.
// Electronegativity's own exit code ignores findings, and its CLI does not run with the commander
// this project installs, so the scan goes through its programmatic runner.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const require = createRequire(import.meta.url);
const ROOT = process.cwd();
const RESULTS = join(ROOT, 'test-results', 'electronegativity.json');
const EXCEPTIONS = join(ROOT, '.electronegativity-exceptions.json');
const MEDIUM = 2;

function htmlFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => /\.html?$/i.test(f))
    .map((f) => join(dir, f));
}

// One staging folder, so the global checks (CSP among them) see the app as a whole.
const stage = mkdtempSync(join(tmpdir(), 'wfv-electronegativity-'));
try {
  cpSync(join(ROOT, 'main'), join(stage, 'main'), { recursive: true });
  cpSync(join(ROOT, 'preload'), join(stage, 'preload'), { recursive: true });
  // The built renderer, and the page the app serves while the renderer is not built. The app's CSP
  // is a response header (main/electron/protocol.ts), which Electronegativity cannot see; the
  // placeholder repeats it in a meta tag, so the scanner evaluates the same policy.
  const pages = [...htmlFiles(join(ROOT, 'renderer', 'dist')), join(ROOT, 'assets', 'placeholder.html')];
  for (const page of pages) {
    const target = join(stage, relative(ROOT, page));
    mkdirSync(join(target, '..'), { recursive: true });
    cpSync(page, target);
  }

  const run = require('@doyensec/electronegativity');
  const electronVersion = JSON.parse(readFileSync(join(ROOT, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
  const result = await run(
    { input: stage, output: undefined, isSarif: false, customScan: [], excludeFromScan: [], isRelative: true, isVerbose: false, electronVersionOverride: electronVersion, parserPlugins: [] },
    false,
  );

  const findings = result.issues.map((i) => ({
    id: i.id,
    file: i.file,
    line: i.location?.line ?? 0,
    severity: i.severity.name,
    severityValue: i.severity.value,
    confidence: i.confidence.name,
    manualReview: Boolean(i.manualReview),
    description: i.description,
  }));
  mkdirSync(join(RESULTS, '..'), { recursive: true });
  writeFileSync(RESULTS, `${JSON.stringify({ electronVersion, scanned: pages.map((p) => relative(ROOT, p)), errors: result.errors, findings }, null, 2)}\n`);

  // From here on, only the results file counts.
  const saved = JSON.parse(readFileSync(RESULTS, 'utf8'));
  const exceptions = JSON.parse(readFileSync(EXCEPTIONS, 'utf8'));
  for (const e of exceptions) {
    if (!e.id || !e.file || !e.reason || e.reason.length < 20) throw new Error(`Every exception needs an id, a file and a reason: ${JSON.stringify(e)}`);
  }
  const excepted = (f) => exceptions.find((e) => e.id === f.id && e.file === f.file);
  const serious = saved.findings.filter((f) => f.severityValue >= MEDIUM);
  const failing = serious.filter((f) => !excepted(f));
  const unused = exceptions.filter((e) => !serious.some((f) => f.id === e.id && f.file === e.file));
  const parseErrors = saved.errors.filter((e) => !e.tolerable);

  console.log(`Electronegativity ${result.atomicChecks} atomic and ${result.globalChecks} global checks over main/, preload/ and ${saved.scanned.join(', ')}`);
  for (const f of saved.findings) {
    const mark = f.severityValue < MEDIUM ? 'below MEDIUM' : excepted(f) ? 'reviewed exception' : 'FAIL';
    console.log(`  ${mark.padEnd(18)} ${f.severity.padEnd(13)} ${f.id} ${f.file}:${f.line}`);
  }
  for (const e of parseErrors) console.log(`  FAIL could not parse ${e.file}: ${e.message}`);
  for (const e of unused) console.log(`  note: exception ${e.id} for ${e.file} no longer matches anything; remove it`);
  if (failing.length > 0 || parseErrors.length > 0) {
    console.log(`${failing.length} finding(s) of MEDIUM or above without a reviewed exception, ${parseErrors.length} unparsed file(s). Results: ${relative(ROOT, RESULTS)}`);
    process.exitCode = 1;
  } else {
    console.log(`No unreviewed finding of MEDIUM or above (${serious.length - failing.length} reviewed exception(s)). Results: ${relative(ROOT, RESULTS)}`);
  }
} finally {
  rmSync(stage, { recursive: true, force: true });
}
