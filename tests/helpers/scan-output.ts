// Reads a captured test log and fails when a sentinel secret appears in it. Prints where, never what.
import { readFileSync } from 'node:fs';
import { SENTINEL_CLIENT_SECRET, SENTINEL_TOKEN } from './sentinel.js';

const file = process.argv[2];
if (!file) {
  console.error('usage: scan-output.ts LOGFILE');
  process.exit(2);
}
const lines = readFileSync(file, 'utf8').split('\n');
let hits = 0;
for (const [i, line] of lines.entries()) {
  for (const [name, secret] of [['sentinel token', SENTINEL_TOKEN], ['sentinel client secret', SENTINEL_CLIENT_SECRET]] as const) {
    if (line.includes(secret)) {
      hits++;
      console.error(`${file}:${i + 1}: the ${name} appears in the test output`);
    }
  }
}
console.log(`sentinel scan: ${lines.length} lines of test output, ${hits} leak(s)`);
process.exit(hits > 0 ? 1 : 0);
