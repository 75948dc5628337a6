// Real-keychain tests run inside scripts/with-test-keyring.sh, which sets WFVAULT_TEST_KEYRING.
// In CI they must run, so a missing keyring fails there; elsewhere they skip and say why.
import { describe } from 'vitest';

export const HAS_TEST_KEYRING = process.env.WFVAULT_TEST_KEYRING === '1';

export function describeWithKeyring(name: string, body: () => void): void {
  if (HAS_TEST_KEYRING) {
    describe(name, body);
    return;
  }
  if (process.env.CI) {
    describe(name, () => {
      throw new Error('CI must run the real-keychain tests: run them through `npm test` (scripts/with-test-keyring.sh).');
    });
    return;
  }
  console.warn(`skipping "${name}": no test keyring (run \`npm test\`, which starts a private gnome-keyring)`);
  describe.skip(name, body);
}
