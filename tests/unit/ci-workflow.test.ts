// .github/workflows/ci.yml cannot run here, so it is checked against the GitHub workflow schema
// (vendored in tests/schemas/, no network) and for what the desktop platforms rely on.
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = new URL('../../', import.meta.url);
const schema = JSON.parse(readFileSync(new URL('tests/schemas/github-workflow.json', root), 'utf8')) as object;
const text = readFileSync(new URL('.github/workflows/ci.yml', root), 'utf8');

interface Step {
  name?: string;
  run?: string;
  uses?: string;
  if?: string;
  with?: Record<string, unknown>;
}
interface Job {
  'runs-on': string;
  steps: Step[];
  strategy?: { matrix: { include: Array<{ os: string }> } };
}
const workflow = parse(text) as { jobs: Record<string, Job> };

function validator() {
  return new Ajv({ allErrors: true, strict: false }).compile(schema);
}

describe('.github/workflows/ci.yml', () => {
  it('validates against the GitHub workflow schema', () => {
    const validate = validator();
    const valid = validate(workflow);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('the schema check has teeth: a misspelt key or a step without run/uses is refused', () => {
    const validate = validator();
    expect(validate({ ...workflow, job: workflow.jobs })).toBe(false);
    const desktop = workflow.jobs.desktop!;
    expect(validate({ ...workflow, jobs: { ...workflow.jobs, desktop: { ...desktop, 'run-on': desktop['runs-on'] } } })).toBe(false);
    expect(validate({ ...workflow, jobs: { ...workflow.jobs, desktop: { ...desktop, steps: [{ name: 'nothing to do' }] } } })).toBe(false);
  });

  it('runs on Linux, macOS and Windows: npm ci, the Electron binary, typecheck, lint, npm test, installers as artifacts', () => {
    const desktop = workflow.jobs.desktop!;
    expect(desktop.strategy?.matrix.include.map((m) => m.os).sort()).toEqual(['macos-latest', 'ubuntu-latest', 'windows-latest']);
    const runs = desktop.steps.map((s) => s.run ?? '');
    const index = (pattern: RegExp) => runs.findIndex((r) => pattern.test(r));
    const order = [/^npm ci\b/, /electron\/install\.js/, /^npm run typecheck$/, /^npm run lint$/, /npm test$/, /^npm run dist$/].map(index);
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    const upload = desktop.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'));
    expect(String(upload?.with?.path)).toMatch(/AppImage[\s\S]*dmg[\s\S]*exe/);
  });

  it('gives Linux Xvfb, a Secret Service and D-Bus, and runs the tests under Xvfb', () => {
    const steps = workflow.jobs.desktop!.steps;
    const packages = steps.find((s) => s.if === "runner.os == 'Linux'" && /apt-get install/.test(s.run ?? ''));
    expect(packages?.run).toMatch(/xvfb[\s\S]*gnome-keyring[\s\S]*dbus/);
    expect(steps.find((s) => s.if === "runner.os == 'Linux'" && /npm test/.test(s.run ?? ''))?.run).toMatch(/^xvfb-run -a npm test$/);
  });

  it('also runs the quick suite on Node 20, which the CLI supports', () => {
    const job = workflow.jobs['cli-node20']!;
    expect(job.steps.find((s) => s.uses?.startsWith('actions/setup-node@'))?.with?.['node-version']).toBe(20);
    expect(job.steps.map((s) => s.run)).toContain('npm run test:quick');
  });
});
