// `npm run sim` on a port that is taken says which one, instead of a generic failure.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { expect, it } from 'vitest';

it('npm run sim names the busy port', async () => {
  const blocker = createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
  const busy = (blocker.address() as { port: number }).port;
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/sim/cli.ts', '--api-port', String(busy), '--oauth-port', '0'], { cwd: resolve(import.meta.dirname, '../..'), stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(code).toBe(1);
    expect(err).toContain(`the API port ${busy} is already in use`);
  } finally {
    blocker.close();
  }
}, 60_000);
