// The outside world as the app's use cases see it. Electron implements these in main/electron/;
// tests and the browser harness pass fakes. None of them ever returns a secret to a caller that
// could forward it to the window.
import type { PublicOAuthApp, PublicToken } from '../core/token.js';
import type { EventChannel, EventOf } from '../../preload/contract.js';
import type { CliInstallResult } from './cli-install.js';

export interface ClipboardPort {
  /** Writes text marked so clipboard history managers skip it. */
  writeConcealed(text: string): Promise<void>;
  readText(): Promise<string>;
  clear(): Promise<void>;
}

export interface Notice {
  title: string;
  body: string;
}

export interface NotifierPort {
  notify(notice: Notice): void;
}

export interface ExternalOpenerPort {
  /** Resolves false when the URL was refused (not an https Webflow page) or could not be opened. */
  open(url: string): Promise<boolean>;
  /**
   * Opens a local page (the OAuth redirect page) in the default browser. Absent where nothing is
   * opened (the dev bridge prints links instead); then `open` gets the URL itself.
   */
  openFile?(path: string): Promise<boolean>;
}

export interface EventPort {
  emit<E extends EventChannel>(channel: E, payload: EventOf<E>): void;
}

/**
 * The OS's check that a person is at the computer (Touch ID on macOS). Resolves true at once where
 * the OS offers none, false when the person refused or cancelled it; it never rejects.
 */
export interface PresencePort {
  confirmPresence(): Promise<boolean>;
}

export type TimerHandle = unknown;

export interface TimerPort {
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export const realTimers: TimerPort = {
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    // A pending clipboard clear or lock must not keep a CLI or test process alive.
    t.unref?.();
    return t;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export type OAuthProgressStage = EventOf<'event:oauthProgress'>['stage'];

export interface OAuthConnectOptions {
  signal: AbortSignal;
  onProgress(progress: EventOf<'event:oauthProgress'>): void;
  /** Resolves false when the page was not opened; the window then shows the link instead. */
  openBrowser(url: string): Promise<boolean>;
}

export interface OAuthAppInput {
  name: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  scopes: string[];
}

/** The OAuth loopback flow and app profiles. */
export interface OAuthPort {
  listApps(): Promise<PublicOAuthApp[]>;
  addApp(input: OAuthAppInput): Promise<PublicOAuthApp>;
  removeApp(id: string): Promise<PublicOAuthApp>;
  connect(input: { appId: string; label?: string; scopes?: string[] }, opts: OAuthConnectOptions): Promise<PublicToken>;
}

/** The OS's list of programs started at login. */
/** "Install the wfvault command": the desktop app's, which knows where its bundled CLI is. */
export interface CliCommandPort {
  install(opts: { replace: boolean }): Promise<CliInstallResult>;
}

export interface LoginItemPort {
  setOpenAtLogin(open: boolean): void;
}
