import { resolve4 } from 'node:dns/promises';
import type { Numbered } from './evidence-log.js';

export interface PeerPage {
  node: string;
  items: Numbered[];
  oldest: number;
  last: number;
}

export interface PeerResult {
  url: string;
  page?: PeerPage;
  error?: string;
}

/** The agents to pull evidence from: a static list, or the stack service's tasks through Swarm's DNS. */
export async function peerUrls(opts: { static: string[]; service?: string; port: number }): Promise<string[]> {
  const urls = [...opts.static];
  if (opts.service) {
    try {
      for (const ip of await resolve4(`tasks.${opts.service}`)) urls.push(`http://${ip}:${opts.port}`);
    } catch {
      // no DNS answer (not on the overlay, or no tasks yet): the static list still applies
    }
  }
  return [...new Set(urls.map((u) => u.replace(/\/+$/, '')))];
}

/** One page of a peer's evidence after `after`. */
export async function pullPeer(url: string, after: number, token: string | undefined, timeoutMs: number): Promise<PeerResult> {
  try {
    const res = await fetch(`${url}/v1/evidence?after=${after}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!res.ok) return { url, error: `HTTP ${res.status}` };
    const page = (await res.json()) as PeerPage;
    if (typeof page?.node !== 'string' || !Array.isArray(page.items)) return { url, error: 'not an evidence page' };
    return { url, page };
  } catch (err) {
    return { url, error: (err as Error).message };
  }
}

/** Who a URL belongs to is only known after it answers; remember it to ask for the right watermark. */
export class PeerDirectory {
  private nodeOf = new Map<string, string>();

  node(url: string): string | undefined {
    return this.nodeOf.get(url);
  }

  learn(url: string, node: string): void {
    this.nodeOf.set(url, node);
  }
}
