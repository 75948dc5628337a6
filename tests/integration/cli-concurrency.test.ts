// Many CLI processes writing the same vault at once must not lose an update.
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import { describeWithKeyring } from '../helpers/keyring.js';
import { startSimulator, type Simulator } from '../sim/simulator.js';

const PROCESSES = 8;
const ADDS_EACH = 50;

describeWithKeyring('concurrent CLI writers', () => {
  let sim: Simulator;
  let tmp: { path: string; cleanup: () => Promise<void> };

  beforeAll(async () => {
    sim = await startSimulator();
    sim.addSite({ id: 'site-c', displayName: 'Concurrent', shortName: 'concurrent' });
    tmp = await tempDir();
  });
  afterAll(async () => {
    await sim.close();
    await tmp.cleanup();
  });

  it(`keeps all ${PROCESSES * ADDS_EACH} tokens when ${PROCESSES} processes add ${ADDS_EACH} each at the same time`, async () => {
    const env = { ...sim.env, WFVAULT_DIR: join(tmp.path, 'vault') };
    expect((await runCli(['init'], { env })).code).toBe(0);
    const tokens = Array.from({ length: PROCESSES }, () =>
      Array.from({ length: ADDS_EACH }, () => sim.addToken({ kind: 'site', scopes: ['sites:read'], siteIds: ['site-c'] }).token),
    );
    const failures: string[] = [];
    await Promise.all(
      tokens.map(async (mine, p) => {
        for (const [i, token] of mine.entries()) {
          const r = await runCli(['add', '--label', `p${p}-t${i}`], { env, input: `${token}\n`, timeoutMs: 60_000 });
          if (r.code !== 0) failures.push(`p${p}-t${i}: exit ${r.code}: ${r.stderr.trim()}`);
        }
      }),
    );
    expect(failures).toEqual([]);
    const list = await runCli(['list', '--json'], { env });
    const labels = (JSON.parse(list.stdout) as Array<{ label: string }>).map((r) => r.label);
    expect(labels).toHaveLength(PROCESSES * ADDS_EACH);
    expect(new Set(labels).size).toBe(PROCESSES * ADDS_EACH);
  }, 600_000);
});
