// The bot's Slack threads travel between agents: pushed by whoever changed them (the acting agent, or
// the last one finishing its queue), pulled by a new acting agent, so it edits the same messages. Received copies are validated like any input.
import { z } from 'zod';
import type { Route } from '../http/server.js';
import type { Logger } from '../log/logger.js';
import type { Thread } from '../notify/threads.js';
import { readJsonCapped } from '../http/read-capped.js';
import { MAX_PEER_PAGE, peerUrls } from './peers.js';

export interface PushTarget {
  node: string;
  static: string[];
  service?: string;
  port: number;
  token?: string;
}

const threadSchema = z.object({
  key: z.string().min(1),
  ids: z.array(z.string()),
  nodes: z.array(z.string()),
  start: z.number(),
  end: z.number().nullable(),
  state: z.enum(['warning', 'open', 'recovered', 'ended']),
  ts: z.string().optional(),
  kind: z.string().optional(),
  said: z.array(z.string()),
  // the incident view is the sender's own output (same schema as /v1/incidents' source): kept as sent
  incident: z.looseObject({ id: z.string(), kind: z.string(), nodes: z.array(z.string()), start: z.number(), end: z.number().nullable() }).optional(),
  rebalance: z.array(z.looseObject({ service: z.string() })).optional(),
  updatedAt: z.number(),
});
const bodySchema = z.object({ threads: z.array(threadSchema).max(1000) });

/** One best-effort round: an agent that misses it gets the next one (every push carries all threads). */
export async function pushThreads(target: PushTarget, threads: Thread[]): Promise<number> {
  const body = JSON.stringify({ threads });
  const sent = await Promise.all((await peerUrls(target)).map(async (url) => {
    try {
      const res = await fetch(`${url}/v1/slack/threads`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(target.token ? { authorization: `Bearer ${target.token}` } : {}) },
        body,
        signal: AbortSignal.timeout(3000),
      });
      return res.ok;
    } catch {
      return false; // a cut-off or restarting peer: the next change pushes everything again
    }
  }));
  return sent.filter(Boolean).length;
}

/** On becoming the acting agent: every peer's threads, so none of the last acting agent's is missed. */
export async function pullThreads(target: PushTarget, log: Logger): Promise<Thread[]> {
  const lists = await Promise.all((await peerUrls(target)).map(async (url) => {
    try {
      const res = await fetch(`${url}/v1/slack/threads`, { headers: target.token ? { authorization: `Bearer ${target.token}` } : {}, signal: AbortSignal.timeout(3000) });
      if (!res.ok) return [];
      const parsed = bodySchema.safeParse(await readJsonCapped(res, MAX_PEER_PAGE)); // a peer's answer, capped like its evidence pages
      if (!parsed.success) log.log('WDG-SLACK-007', `Slack threads from ${url} ignored: ${parsed.error.issues[0]?.message}`, { path: parsed.error.issues[0]?.path.join('.') });
      return parsed.success ? (parsed.data.threads as unknown as Thread[]) : [];
    } catch {
      return []; // unreachable: its last push, if any, is already here
    }
  }));
  return lists.flat();
}

export function threadRoutes(receive: (threads: Thread[]) => void, list: () => Thread[], log: Logger): Route[] {
  return [
    { method: 'GET', path: '/v1/slack/threads', handle: () => ({ status: 200, body: { threads: list() } }) },
    {
      method: 'POST',
      path: '/v1/slack/threads',
      handle: (_q, body) => {
        const parsed = bodySchema.safeParse(body);
        if (!parsed.success) {
          log.log('WDG-SLACK-007', `Slack threads from a peer ignored: ${parsed.error.issues[0]?.message}`, { path: parsed.error.issues[0]?.path.join('.') });
          return { status: 400, body: { error: 'not a list of Slack threads' } };
        }
        receive(parsed.data.threads as unknown as Thread[]);
        return { status: 200, body: { threads: parsed.data.threads.length } };
      },
    },
  ];
}
