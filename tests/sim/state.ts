// State of the Webflow simulator: sites, users, tokens, OAuth apps, codes, rate windows and a clock
// that tests can move forward. It is a FAKE standing in for Webflow; shapes follow
// Webflow's public documentation, nothing here is Webflow's own code.
import { randomBytes } from 'node:crypto';

export function hex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

/** Webflow ids look like Mongo ObjectIds: 24 hex characters. */
export function objectId(): string {
  return hex(12);
}

/** The public scope list (Webflow's scopes reference); the consent page refuses anything else. */
export const KNOWN_SCOPES: readonly string[] = [
  'assets:read', 'assets:write',
  'authorized_user:read',
  'cms:read', 'cms:write',
  'comments:read', 'comments:write',
  'components:read', 'components:write',
  'custom_code:read', 'custom_code:write',
  'ecommerce:read', 'ecommerce:write',
  'forms:read', 'forms:write',
  'pages:read', 'pages:write',
  'sites:read', 'sites:write',
  'site_activity:read',
  'site_config:read', 'site_config:write',
  'users:read', 'users:write',
  'workspace:read', 'workspace:write',
  'workspace_activity:read',
];

export const CODE_LIFETIME_MS = 15 * 60_000;
const CONSENT_LIFETIME_MS = 30 * 60_000;

export type SimTokenKind = 'site' | 'workspace' | 'oauth';
export type ScopeStyle = 'comma' | 'space';

export interface SimSite {
  id: string;
  workspaceId: string;
  displayName: string;
  shortName: string;
  createdOn: string;
  lastUpdated: string;
  lastPublished: string | null;
  previewUrl: string;
  timeZone: string;
  customDomains: Array<{ id: string; url: string }>;
}

export interface SimUser {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
}

export interface SimTokenInit {
  kind?: SimTokenKind;
  scopes?: string[];
  siteIds?: string[];
  workspaceIds?: string[];
  userId?: string;
  rateLimit?: number;
  createdOn?: string;
  lastUsed?: string | null;
  token?: string;
  clientId?: string;
  /** How introspect spells `scope`; by default non-OAuth tokens alternate and OAuth tokens use spaces. */
  scopeStyle?: ScopeStyle;
}

export interface SimToken {
  /** The secret itself; never written to the request log. */
  token: string;
  /** The authorization id that introspect reports, safe to log. */
  id: string;
  kind: SimTokenKind;
  scopes: string[];
  siteIds: string[];
  workspaceIds: string[];
  userId: string;
  rateLimit: number;
  createdOn: string;
  lastUsed: string | null;
  clientId: string | null;
  scopeStyle: ScopeStyle;
  revoked: boolean;
}

export interface SimAppInit {
  name: string;
  clientId?: string;
  clientSecret?: string;
  redirectUris: string[];
  scopes: string[];
  /** Sites an installation of this app reaches; all sites known at consent time when absent. */
  siteIds?: string[];
  description?: string;
  homepage?: string;
}

export interface SimApp {
  id: string;
  name: string;
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  scopes: string[];
  siteIds: string[] | null;
  description: string;
  homepage: string;
}

export interface PendingConsent {
  id: string;
  clientId: string;
  /** Where the answer goes: the redirect_uri sent, or the app's first registered one. */
  redirectUri: string;
  /** Whether redirect_uri was in the authorize request, which makes it required at the exchange. */
  redirectUriSent: boolean;
  scopes: string[];
  state: string | null;
  createdAt: number;
}

export interface AuthCode {
  code: string;
  clientId: string;
  redirectUri: string;
  redirectUriSent: boolean;
  scopes: string[];
  siteIds: string[];
  userId: string;
  createdAt: number;
  used: boolean;
}

interface RateWindow {
  start: number;
  count: number;
}

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Whole seconds until the window resets, at least 1. */
  resetSeconds: number;
}

export class SimState {
  private offsetMs = 0;
  private styleCounter = 0;
  readonly sites = new Map<string, SimSite>();
  readonly users = new Map<string, SimUser>();
  readonly tokens = new Map<string, SimToken>();
  readonly apps = new Map<string, SimApp>();
  readonly consents = new Map<string, PendingConsent>();
  readonly codes = new Map<string, AuthCode>();
  private readonly windows = new Map<string, RateWindow>();
  readonly defaultWorkspaceId = objectId();
  readonly defaultUser: SimUser;

  constructor(public rateWindowMs = 60_000) {
    this.defaultUser = this.addUser({ email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' });
  }

  now(): number {
    return Date.now() + this.offsetMs;
  }

  nowIso(): string {
    return new Date(this.now()).toISOString();
  }

  advanceClock(ms: number): void {
    this.offsetMs += ms;
  }

  addUser(init: Omit<SimUser, 'id'> & { id?: string }): SimUser {
    const user: SimUser = { id: init.id ?? objectId(), email: init.email, firstName: init.firstName, lastName: init.lastName };
    this.users.set(user.id, user);
    return user;
  }

  addSite(init: { id?: string; displayName: string; shortName: string; workspaceId?: string }): SimSite {
    const at = this.nowIso();
    const site: SimSite = {
      id: init.id ?? objectId(),
      workspaceId: init.workspaceId ?? this.defaultWorkspaceId,
      displayName: init.displayName,
      shortName: init.shortName,
      createdOn: at,
      lastUpdated: at,
      lastPublished: null,
      previewUrl: `https://screenshots.example.invalid/${init.shortName}.png`,
      timeZone: 'Europe/London',
      customDomains: [],
    };
    this.sites.set(site.id, site);
    return site;
  }

  addToken(init: SimTokenInit = {}): SimToken {
    const kind = init.kind ?? 'site';
    const firstSite = this.sites.values().next().value as SimSite | undefined;
    const siteIds = init.siteIds ?? (kind === 'workspace' ? [] : kind === 'oauth' ? [...this.sites.keys()] : firstSite ? [firstSite.id] : []);
    const workspaceIds =
      init.workspaceIds ?? (kind === 'workspace' ? [firstSite?.workspaceId ?? this.defaultWorkspaceId] : []);
    const scopeStyle = init.scopeStyle ?? (kind === 'oauth' ? 'space' : this.styleCounter++ % 2 === 0 ? 'comma' : 'space');
    const token: SimToken = {
      token: init.token ?? hex(32),
      id: objectId(),
      kind,
      scopes: init.scopes ?? (kind === 'workspace' ? ['workspace_activity:read'] : ['sites:read']),
      siteIds,
      workspaceIds,
      userId: init.userId ?? this.defaultUser.id,
      rateLimit: init.rateLimit ?? 60,
      createdOn: init.createdOn ?? this.nowIso(),
      lastUsed: init.lastUsed === undefined ? null : init.lastUsed,
      clientId: init.clientId ?? null,
      scopeStyle,
      revoked: false,
    };
    if (this.tokens.has(token.token)) throw new Error('simulator: that token string is already registered');
    this.tokens.set(token.token, token);
    return token;
  }

  findToken(secret: string | null): SimToken | undefined {
    if (!secret) return undefined;
    return this.tokens.get(secret);
  }

  revokeToken(secret: string): void {
    const token = this.tokens.get(secret);
    if (!token) throw new Error('simulator: unknown token');
    token.revoked = true;
  }

  /** Sites a token reaches: the ones named on it plus every site of its workspaces. */
  sitesFor(token: SimToken): SimSite[] {
    return [...this.sites.values()].filter((s) => token.siteIds.includes(s.id) || token.workspaceIds.includes(s.workspaceId));
  }

  addApp(init: SimAppInit): SimApp {
    if (init.redirectUris.length === 0) throw new Error('simulator: an app needs at least one redirect URI');
    const app: SimApp = {
      id: objectId(),
      name: init.name,
      clientId: init.clientId ?? hex(32),
      clientSecret: init.clientSecret ?? hex(32),
      redirectUris: [...init.redirectUris],
      scopes: [...init.scopes],
      siteIds: init.siteIds ? [...init.siteIds] : null,
      description: init.description ?? `${init.name} (simulated Data Client app)`,
      homepage: init.homepage ?? 'https://example.invalid/',
    };
    this.apps.set(app.clientId, app);
    return app;
  }

  addConsent(c: Omit<PendingConsent, 'id' | 'createdAt'>): PendingConsent {
    const consent: PendingConsent = { ...c, id: hex(16), createdAt: this.now() };
    this.consents.set(consent.id, consent);
    return consent;
  }

  /** Single use: a consent form can be answered once. */
  takeConsent(id: string): PendingConsent | undefined {
    const consent = this.consents.get(id);
    if (!consent) return undefined;
    this.consents.delete(id);
    if (this.now() - consent.createdAt > CONSENT_LIFETIME_MS) return undefined;
    return consent;
  }

  issueCode(consent: PendingConsent): AuthCode {
    const app = this.apps.get(consent.clientId);
    const code: AuthCode = {
      code: hex(32),
      clientId: consent.clientId,
      redirectUri: consent.redirectUri,
      redirectUriSent: consent.redirectUriSent,
      scopes: consent.scopes,
      siteIds: app?.siteIds ?? [...this.sites.keys()],
      userId: this.defaultUser.id,
      createdAt: this.now(),
      used: false,
    };
    this.codes.set(code.code, code);
    return code;
  }

  /**
   * A fixed one-minute window per token (per presented string for unknown ones), counted on the
   * simulator's clock so `advanceClock` can end a window without a real wait.
   */
  consumeRate(key: string, limit: number): RateDecision {
    const now = this.now();
    let w = this.windows.get(key);
    if (!w || now >= w.start + this.rateWindowMs) {
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    const resetSeconds = Math.max(1, Math.ceil((w.start + this.rateWindowMs - now) / 1000));
    if (w.count >= limit) return { allowed: false, limit, remaining: 0, resetSeconds };
    w.count += 1;
    return { allowed: true, limit, remaining: limit - w.count, resetSeconds };
  }
}

/** Switches between the readings Webflow's documentation leaves open, so the client is tested against each. */
export interface SimOptions {
  /** Older docs say Site tokens cannot use the authorization endpoints; 'reject401' plays that. */
  siteTokensOnIntrospect: 'accept' | 'reject401';
  /** Current docs answer `did_revoke`; the v1 SDK fixture used `didRevoke`. */
  revokeAnswerStyle: 'did_revoke' | 'didRevoke';
  /** Answer a revoke with yes but leave the token working. */
  revokeIsNoop: boolean;
  /** Only `access_token` is certain in the exchange answer; false leaves `token_type` out. */
  exchangeSendsTokenType: boolean;
}

export function defaultOptions(): SimOptions {
  return { siteTokensOnIntrospect: 'accept', revokeAnswerStyle: 'did_revoke', revokeIsNoop: false, exchangeSendsTokenType: true };
}
