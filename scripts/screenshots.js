// `npm run screenshots`: refreshes the README's images in assets/screenshots/ from the browser
// end-to-end run. `npm test` writes the same screens to test-results/screenshots/ and leaves the
// tracked images alone.
import { spawnSync } from 'node:child_process';

const run = (cmd, args, env = process.env) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit', env, shell: process.platform === 'win32' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
run('npm', ['run', 'build']);
run('bash', ['scripts/with-test-keyring.sh', 'npx', 'vitest', 'run', 'tests/e2e/renderer.test.ts', 'tests/e2e/renderer-team.test.ts'], { ...process.env, WFVAULT_README_SCREENSHOTS: '1' });
