// Bundles a browser-side bridge (binding-client.ts or http-client.ts) into one classic script, so
// the harnesses run the preload's own buildApi rather than a copy of it.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const cache = new Map<string, Promise<string>>();

export function bridgeScript(which: 'binding' | 'http'): Promise<string> {
  let script = cache.get(which);
  if (!script) {
    script = build({
      entryPoints: [fileURLToPath(new URL(`./${which}-client.ts`, import.meta.url))],
      bundle: true,
      write: false,
      format: 'iife',
      platform: 'browser',
      target: 'chrome120',
      minify: false,
      legalComments: 'none',
      logLevel: 'warning',
    }).then((r) => r.outputFiles[0]!.text);
    cache.set(which, script);
  }
  return script;
}
