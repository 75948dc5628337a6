// Whether Webflow's API answers at all; any HTTP answer counts, even 401.
import type { WebflowConfig } from '../webflow/config.js';

export interface ReachabilityCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export async function checkApiReachable(config: WebflowConfig): Promise<ReachabilityCheck> {
  const name = 'Webflow API reachable';
  const started = performance.now();
  try {
    const res = await fetch(`${config.apiBaseUrl}/v2/token/introspect`, { signal: AbortSignal.timeout(config.timeoutMs) });
    await res.body?.cancel();
    return { name, ok: true, detail: `${config.apiBaseUrl} answered HTTP ${res.status} in ${Math.round(performance.now() - started)} ms` };
  } catch (e) {
    const reason = e instanceof Error && e.name === 'TimeoutError' ? `no answer within ${config.timeoutMs} ms` : 'connection failed';
    return { name, ok: false, detail: `${config.apiBaseUrl}: ${reason}` };
  }
}
