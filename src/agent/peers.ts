import { resolve4 } from 'node:dns/promises';
import { z } from 'zod';
import { checkObservation } from '../correlate/observation-schema.js';
import type { Observation } from '../correlate/types.js';
import { readJsonCapped } from '../http/read-capped.js';
import type { Watermarks } from './evidence-log.js';

/** A peer's page as it arrives: the items' observations are checked one by one after the watermark. */
const pageSchema = z.object({
  node: z.string().min(1).max(512),
  items: z.array(z.object({ seq: z.number().int().positive(), obs: z.unknown() })),
  oldest: z.number().optional(),
  last: z.number().optional(),
});

/** A page is at most 5000 items (EvidenceLog.after): far below this; a bigger answer is not a peer's. */
export const MAX_PEER_PAGE = 32 * 1024 * 1024;

export interface PeerPage {
  node: string;
  items: Array<{ seq: number; obs: unknown }>;
}

/** Items of one peer that were dropped (unknown type or malformed), for one coded line per peer and round. */
export interface PeerDrops {
  node: string;
  count: number;
  firstReason: string;
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
    const page = pageSchema.safeParse(await readJsonCapped(res, MAX_PEER_PAGE));
    if (!page.success) return { url, error: `not an evidence page (${page.error.issues[0]?.path.join('.') || 'body'}: ${page.error.issues[0]?.message})` };
    return { url, page: page.data };
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

export interface PullTarget {
  node: string;
  static: string[];
  service?: string;
  port: number;
  token?: string;
}

/** One round over every peer: each one's evidence after its watermark, taken exactly once. */
export class PeerPuller {
  private readonly directory = new PeerDirectory();

  constructor(private readonly marks: Watermarks) {}

  async pullAll(target: PullTarget, take: (obs: Observation) => void): Promise<{ answered: number; expected: number; failed: string[]; dropped: PeerDrops[] }> {
    const urls = await peerUrls(target);
    let answered = 0;
    const failed: string[] = [];
    const dropped: PeerDrops[] = [];
    for (const url of urls) {
      const known = this.directory.node(url);
      if (known === target.node) continue;
      const result = await pullPeer(url, known ? this.marks.get(known) : 0, target.token, 5000);
      if (!result.page) {
        failed.push(`${url}: ${result.error}`);
        continue;
      }
      answered++;
      const { node, items } = result.page;
      this.directory.learn(url, node);
      if (node === target.node) continue;
      // The mark passes invalid items too: a newer peer's unknown kind is dropped once, not pulled forever.
      let drops: PeerDrops | undefined;
      for (const item of this.marks.take(node, items)) {
        const checked = checkObservation(item.obs);
        if (checked.ok) take(checked.obs);
        else if (drops) drops.count++;
        else drops = { node, count: 1, firstReason: `seq ${item.seq}: ${checked.reason}` };
      }
      if (drops) dropped.push(drops);
    }
    const expected = urls.length - (urls.some((u) => this.directory.node(u) === target.node) ? 1 : 0);
    return { answered, expected, failed, dropped };
  }
}
