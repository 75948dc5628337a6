// A token value used throughout the test run so that any leak is findable by a plain text search
// of everything the run printed (.ci/run greps the captured test output for it).
export const SENTINEL_TOKEN = '5e171e15e171e15e171e15e171e15e171e15e171e15e171e15e171e15e171e1';
export const SENTINEL_CLIENT_SECRET = 'sentinel-client-secret-5e171e1c5ec7e7';

export function assertNoSecret(text: string, secrets: readonly string[] = [SENTINEL_TOKEN, SENTINEL_CLIENT_SECRET]): void {
  for (const secret of secrets) {
    if (text.includes(secret)) throw new Error(`A secret (sha prefix ${secret.slice(0, 4)}…) appeared in output that must not hold it.`);
  }
}
