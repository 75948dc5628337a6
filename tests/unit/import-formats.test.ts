// The file formats `scan` and `import` read: kinds by name and content, where a token sits, and
// rewrites that change the token's value and nothing else.
import { describe, expect, it } from 'vitest';
import { autoLabel } from '../../main/core/auto-label.js';
import { fileKindOf } from '../../main/core/file-kinds.js';
import { mcpServers, rewriteServer } from '../../main/core/mcp-config.js';
import { counts, findCandidates, isAppCredential } from '../../main/core/plaintext-finder.js';
import { checkLabel, checkNote, checkTags } from '../../main/core/text-fields.js';
import { envEntries } from '../../main/services/env-file.js';
import { rewriteEnvValues } from '../../main/services/env-rewrite.js';

const TOKEN = 'ab'.repeat(32);
const OTHER = 'cd'.repeat(32);

describe('file kinds', () => {
  it('tells files apart by name, and JSON files by what they hold', () => {
    expect(fileKindOf('/p/.env.local', '')).toBe('env');
    expect(fileKindOf('/h/.zshrc', '')).toBe('shell-rc');
    expect(fileKindOf('/h/.zsh_history', '')).toBe('history');
    expect(fileKindOf('/h/.local/share/fish/fish_history', '')).toBe('history');
    expect(fileKindOf('/h/.config/webflow/auth.json', '{}')).toBe('webflow-cli-auth');
    expect(fileKindOf('/tmp/auth.json', '{"version":4,"session":{"accessToken":"x"}}')).toBe('webflow-cli-auth');
    expect(fileKindOf('/tmp/auth.json', '{"user":"x"}')).toBe('json');
    expect(fileKindOf('/p/.webflowrc.json', '{}')).toBe('webflowrc-json');
    expect(fileKindOf('/p/.webflowrc.cjs', '')).toBe('webflowrc-js');
    expect(fileKindOf('/p/.vscode/mcp.json', '{"servers":{}}')).toBe('mcp-config');
    expect(fileKindOf('/p/settings.json', '{"mcpServers":{}}')).toBe('mcp-config');
    expect(fileKindOf('/p/ci.yml', '')).toBe('yaml');
    expect(fileKindOf('/p/netlify.toml', '')).toBe('toml');
    expect(fileKindOf('/p/main.ts', '')).toBeNull();
  });
});

describe('where a token sits', () => {
  it('names the JSON key and the enclosing object path', () => {
    const text = JSON.stringify({ deploy: { webflow: { key: TOKEN } }, hash: OTHER }, null, 2);
    const [a, b] = findCandidates('json', text);
    expect(a).toMatchObject({ line: 4, name: 'key', context: 'deploy.webflow', lineMentions: false });
    expect(counts(a!, '/p/config.json', false)).toBe(true);
    expect(counts(b!, '/p/config.json', false)).toBe(false);
    expect(counts(b!, '/p/config.json', true)).toBe(true);
    expect(counts(b!, '/h/.config/webflow/x.json', false)).toBe(true);
  });
  it('follows YAML indentation and TOML tables', () => {
    const yaml = findCandidates('yaml', `env:\n  webflow:\n    api_token: "${TOKEN}"\n  other:\n    sha: ${OTHER}\n`);
    expect(yaml.map((c) => [c.name, c.context])).toEqual([
      ['api_token', 'env.webflow'],
      ['sha', 'env.other'],
    ]);
    const toml = findCandidates('toml', `[tools]\nsha = "${OTHER}"\n[webflow]\ntoken = "${TOKEN}"\n`);
    expect(toml.map((c) => [c.name, c.context])).toEqual([
      ['sha', 'tools'],
      ['token', 'webflow'],
    ]);
  });
  it('tells OAuth app credentials from tokens by their name', () => {
    const found = findCandidates('env', `WEBFLOW_CLIENT_ID=${OTHER}\nWEBFLOW_CLIENT_SECRET=${TOKEN}\nWEBFLOW_OAUTH_CLIENT_ID=${OTHER}\nWEBFLOW_API_TOKEN=${TOKEN}\n`);
    expect(found.map(isAppCredential)).toEqual([true, true, true, false]);
  });
});

describe('.env rewrite', () => {
  it('reads values as dotenv does and swaps only the value, keeping export, quotes, comments and line ends', () => {
    const text = `# generated\r\nexport WEBFLOW_API_TOKEN="${TOKEN}" # site\r\nPORT=3000\r\nWEBFLOW_WS='${OTHER}'\r\nBARE=${TOKEN}\r\n`;
    expect(envEntries(text, '.env').map((e) => [e.name, e.value, e.line])).toEqual([
      ['WEBFLOW_API_TOKEN', TOKEN, 2],
      ['PORT', '3000', 3],
      ['WEBFLOW_WS', OTHER, 4],
      ['BARE', TOKEN, 5],
    ]);
    const out = rewriteEnvValues(text, new Map([[TOKEN, 'wfvault://a1'], [OTHER, 'wfvault://b2']]));
    expect(out.text).toBe(`# generated\r\nexport WEBFLOW_API_TOKEN="wfvault://a1" # site\r\nPORT=3000\r\nWEBFLOW_WS='wfvault://b2'\r\nBARE=wfvault://a1\r\n`);
    expect(out.lines).toEqual([2, 4, 5]);
  });
});

describe('MCP config rewrite', () => {
  it('starts the server through wfvault exec and keeps every other key, server and comment', () => {
    const text = `{
  // my servers
  "mcpServers": {
    "webflow": {
      "command": "npx",
      "args": ["-y", "webflow-mcp-server@latest"],
      "env": { "WEBFLOW_TOKEN": "${TOKEN}", "DEBUG": "1" }
    },
    "other": { "command": "other-server" }
  },
  "theme": "dark"
}`;
    const [server] = mcpServers(text);
    const next = rewriteServer(text, server!, { command: 'wfvault', args: [] }, [{ envName: 'WEBFLOW_TOKEN', tokenId: 'abc123' }]);
    expect(next).not.toContain(TOKEN);
    expect(next).toContain('// my servers');
    expect(next).toContain('"other": { "command": "other-server" }');
    const [after, other] = mcpServers(next);
    expect(after).toMatchObject({ command: 'wfvault', args: ['exec', 'abc123', '--as', 'WEBFLOW_TOKEN', '--no-site-id', '--', 'npx', '-y', 'webflow-mcp-server@latest'], env: { DEBUG: '1' } });
    expect(other).toMatchObject({ command: 'other-server' });
  });
  it('finds VS Code servers and Claude Code project servers', () => {
    const vscode = mcpServers(JSON.stringify({ servers: { wf: { type: 'stdio', command: 'npx', env: { WEBFLOW_TOKEN: TOKEN } } } }));
    expect(vscode.map((s) => s.path)).toEqual([['servers', 'wf']]);
    const claude = mcpServers(JSON.stringify({ numStartups: 3, projects: { '/home/me/site': { mcpServers: { webflow: { command: 'npx', env: { WEBFLOW_TOKEN: TOKEN } } } } } }));
    expect(claude.map((s) => s.path)).toEqual([['projects', '/home/me/site', 'mcpServers', 'webflow']]);
  });
});

describe('labels, notes and tags', () => {
  it('refuses control characters and terminal escapes, allows newlines in notes', () => {
    expect(checkLabel('  Acme  ')).toBe('Acme');
    expect(() => checkLabel('Acme\nsite')).toThrow(/control character/);
    expect(() => checkLabel('Acme\u001b[2J')).toThrow(/control character/);
    expect(() => checkLabel('Acme\u202e')).toThrow(/control character/);
    expect(checkNote('line one\nline two\tindented')).toBe('line one\nline two\tindented');
    expect(() => checkNote('bell\u0007')).toThrow(/control character/);
    expect(checkTags(['a', ' a ', 'b'])).toEqual(['a', 'b']);
    expect(() => checkTags(['ok', 'bad\rtag'])).toThrow(/control character/);
  });
  it('names a token after its sites or workspace, uniquely', () => {
    const now = new Date(2026, 0, 2, 3, 4, 5);
    expect(autoLabel({ kind: 'site', sites: [{ id: 's1', displayName: 'Alpha' }], siteIds: ['s1'], workspaceIds: [] }, new Set(), now)).toBe('Alpha (Site)');
    expect(autoLabel({ kind: 'site', sites: [{ id: 's1', displayName: 'Alpha' }], siteIds: ['s1'], workspaceIds: [] }, new Set(['Alpha (Site)']), now)).toBe('Alpha (Site) 2');
    expect(autoLabel({ kind: 'workspace', sites: [], siteIds: [], workspaceIds: ['ws-1'] }, new Set(), now)).toBe('Workspace ws-1 (Workspace)');
    expect(autoLabel({ kind: 'site', sites: [], siteIds: [], workspaceIds: [] }, new Set(), now)).toBe('Token added 2026-01-02 03:04:05');
  });
});
