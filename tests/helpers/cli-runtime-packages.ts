// The packages the bundled CLI loads from node_modules at run time: the bundle's externals
// (scripts/build.js) and everything they depend on that is installed. The packaged app must keep
// exactly these outside its asar archive, where the user's own Node can read them.
import { existsSync, readFileSync } from 'node:fs';

const root = new URL('../../', import.meta.url);

export function cliExternals(): string[] {
  const build = readFileSync(new URL('scripts/build.js', root), 'utf8');
  const list = /external:\s*\[([^\]]*)\]/u.exec(build)?.[1] ?? '';
  return [...list.matchAll(/'([^']+)'/gu)].map((m) => m[1]!);
}

/** Every installed package the externals need, by name (dependencies and installed optional ones). */
export function cliRuntimePackages(): string[] {
  const seen = new Set<string>();
  const queue = cliExternals();
  while (queue.length > 0) {
    const name = queue.shift()!;
    if (seen.has(name)) continue;
    const manifest = new URL(`node_modules/${name}/package.json`, root);
    if (!existsSync(manifest)) continue; // an optional dependency for another platform
    seen.add(name);
    const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };
    queue.push(...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.optionalDependencies ?? {}));
  }
  return [...seen].sort();
}
