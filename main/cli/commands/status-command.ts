// status: one screen on how the tokens are doing and which of them this folder's configs use
// (the habit of `gh auth status`). Exits 0 only when nothing needs attention.
import type { Command } from 'commander';
import { EXIT } from '../../core/errors.js';
import type { TokenKind } from '../../core/token.js';
import { depsOf, globalsOf, subcommand } from '../program.js';
import { out, printJson } from '../style.js';

const GROUPS: Array<[TokenKind, string]> = [
  ['site', 'Site tokens'],
  ['workspace', 'Workspace tokens'],
  ['oauth', 'OAuth tokens'],
];

export function registerStatusCommand(program: Command): void {
  subcommand(program, 'status', "show each token's health, expiry and pending revokes, and which tokens this folder's .env and MCP configs use")
    .addHelpText('after', '\nExits 0 when nothing needs attention, 1 otherwise (the list says what).')
    .action(async (_opts: unknown, cmd: Command) => {
      const { vaultStatus } = await import('../../services/status.js');
      const report = await vaultStatus(depsOf(cmd), process.cwd());
      process.exitCode = report.attention === 0 ? EXIT.ok : EXIT.failed;
      if (globalsOf(cmd).json) return printJson(report);
      const ok = out.green('✓');
      const bad = out.red('✗');
      const lines: string[] = [`Vault ${report.vault.path} (${report.vault.mode === 'passphrase' ? 'passphrase' : 'key in the OS keychain'})`];
      for (const w of report.vault.warnings) lines.push(`  ${bad} ${w}`);
      if (report.tokens.length === 0) lines.push('  No tokens yet: add one with `wfvault add`.');
      for (const [kind, title] of GROUPS) {
        const group = report.tokens.filter((t) => t.kind === kind);
        if (group.length === 0) continue;
        lines.push('', title);
        for (const t of group) lines.push(`  ${t.attention ? bad : ok} ${t.label} (${t.id}): ${t.attention ?? t.note}`);
      }
      for (const t of report.teams) {
        lines.push('', `Team ${t.team}`);
        if (t.problem) lines.push(`  ${bad} ${t.problem}`);
        else if (t.pending) lines.push(`  ${ok} waiting to be admitted: \`wfvault team sync --team ${t.team}\` once a member added you`);
        for (const e of t.exposed) lines.push(`  ${bad} ${e.label ?? '(not shared with you)'} (${e.id}): ${e.attention}`);
        for (const c of t.conflicts) lines.push(`  ${bad} ${c.id}: ${c.attention}`);
        if (!t.problem && !t.pending && t.exposed.length === 0 && t.conflicts.length === 0) lines.push(`  ${ok} no exposed token, no conflict`);
      }
      const here = [...report.references, ...report.plaintext, ...report.unreadable];
      if (here.length > 0) {
        lines.push('', `In this folder (${report.folder})`);
        for (const r of report.references) {
          const at = r.line ? `${r.file}:${r.line}` : r.file;
          lines.push(r.tokenId && !r.attention ? `  ${ok} ${at} ${r.where} uses ${r.label} (${r.tokenId})` : r.tokenId ? `  ${bad} ${at} ${r.where} uses ${r.label} (${r.tokenId}), which ${r.attention}` : `  ${bad} ${at} ${r.where}: ${r.attention}`);
        }
        for (const p of report.plaintext) lines.push(`  ${bad} ${p.line ? `${p.file}:${p.line}` : p.file} ${p.where}: ${p.attention}`);
        for (const u of report.unreadable) lines.push(`  ${bad} ${u.file}: ${u.attention}`);
      }
      lines.push('', report.attention === 0 ? 'Nothing needs attention.' : `${report.attention} ${report.attention === 1 ? 'thing needs' : 'things need'} attention.`);
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
