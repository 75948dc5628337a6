// Bundles the CLI so `wfvault` starts fast: one entry module plus chunks that commands import when
// they run, so `exec` never evaluates the Webflow client or the schema library. The keychain
// binding is native and stays in node_modules.
import { build } from 'esbuild';
import { readFile, writeFile } from 'node:fs/promises';

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));

await build({
  entryPoints: { 'cli/wfvault': 'main/cli/wfvault.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  chunkNames: 'cli/chunks/[name]-[hash]',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['@napi-rs/keyring', 'fs-native-extensions'],
  // jsonc-parser's "main" is a UMD build whose lazy require() calls a bundle cannot follow.
  alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
  define: { WFVAULT_VERSION: JSON.stringify(pkg.version) },
  // CommonJS dependencies bundled into ESM still call require() for Node built-ins and read
  // __filename; ESM has neither, so the banner defines them.
  banner: {
    js: [
      "import { createRequire as __wfvCreateRequire } from 'node:module';",
      "import { fileURLToPath as __wfvFileURLToPath } from 'node:url';",
      "import { dirname as __wfvDirname } from 'node:path';",
      'const require = __wfvCreateRequire(import.meta.url);',
      'const __filename = __wfvFileURLToPath(import.meta.url);',
      'const __dirname = __wfvDirname(__filename);',
    ].join('\n'),
  },
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
});

// The packaged app runs this bundle with the user's own Node from app.asar.unpacked, where the
// project's package.json (inside the asar) is out of Node's sight: this one says the files are ESM.
await writeFile(new URL('../dist/cli/package.json', import.meta.url), `${JSON.stringify({ type: 'module', private: true })}\n`);
