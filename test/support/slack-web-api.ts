// The Slack Web API methods the watchdog calls, as a stand-in: auth.test, chat.postMessage (top level
// or in a thread), chat.update by ts. Answers with Slack's documented shapes: HTTP 200 with
// {"ok":false,"error":"invalid_auth"|"channel_not_found"|"message_not_found"|…}, and HTTP 429 with
// Retry-After and {"ok":false,"error":"ratelimited"} when scripted.
import type { IncomingMessage } from 'node:http';
import { parse as parseQuery } from 'node:querystring';

export interface ChannelMessage {
  ts: string;
  channel: string;
  text: string;
  blocks?: unknown[];
  /** Each text the message had, oldest first (the post, then every chat.update). */
  history: string[];
  replies: Array<{ ts: string; text: string }>;
}

export interface ApiCall {
  at: number;
  method: string;
  args: Record<string, unknown>;
  status: number;
  answer: Record<string, unknown>;
}

export type ApiScript = { status: 429; retryAfter: number } | { error: string };

const TEAM = { url: 'https://lab-watchdog.slack.com/', team: 'Lab Watchdog', user: 'watchdog', team_id: 'T0LAB0001', user_id: 'U0LAB0001', bot_id: 'B0LAB0001' };

export class SlackWebApi {
  readonly calls: ApiCall[] = [];
  /** Top-level messages per channel, in posting order. */
  readonly messages: ChannelMessage[] = [];
  /** Answers to give to the next calls, in order (then the real answer). */
  script: ApiScript[] = [];
  private seq = 0;

  constructor(public token: string, public channels: string[]) {}

  /** Parses a request's body (form-encoded as @slack/web-api sends it, or JSON) and answers it. */
  handle(method: string, req: IncomingMessage, body: string): { status: number; headers: Record<string, string>; answer: Record<string, unknown> } {
    const args = parseArgs(req.headers['content-type'], body);
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? (args.token as string | undefined);
    const scripted = this.script.shift();
    let status = 200;
    let headers: Record<string, string> = {};
    let answer: Record<string, unknown>;
    if (scripted && 'status' in scripted) {
      status = 429;
      headers = { 'retry-after': String(scripted.retryAfter) };
      answer = { ok: false, error: 'ratelimited' };
    } else if (scripted) {
      answer = { ok: false, error: scripted.error };
    } else if (!token) {
      answer = { ok: false, error: 'not_authed' };
    } else if (token !== this.token) {
      answer = { ok: false, error: 'invalid_auth' };
    } else {
      answer = this.call(method, args);
    }
    this.calls.push({ at: Date.now(), method, args, status, answer });
    return { status, headers, answer };
  }

  /** The thread of a top-level message. */
  thread(ts: string): string[] {
    return this.messages.find((m) => m.ts === ts)?.replies.map((r) => r.text) ?? [];
  }

  private call(method: string, args: Record<string, unknown>): Record<string, unknown> {
    if (method === 'auth.test') return { ok: true, ...TEAM, is_enterprise_install: false };
    const channel = String(args.channel ?? '');
    if (method !== 'chat.postMessage' && method !== 'chat.update') return { ok: false, error: 'unknown_method' };
    if (!this.channels.includes(channel)) return { ok: false, error: 'channel_not_found' };
    const text = typeof args.text === 'string' ? args.text : '';
    const blocks = typeof args.blocks === 'string' ? (JSON.parse(args.blocks) as unknown[]) : (args.blocks as unknown[] | undefined);
    if (!text && !blocks?.length) return { ok: false, error: 'no_text' };
    if (method === 'chat.update') {
      const m = this.messages.find((x) => x.ts === args.ts && x.channel === channel);
      if (!m) return { ok: false, error: 'message_not_found' };
      m.text = text;
      m.blocks = blocks;
      m.history.push(text);
      return { ok: true, channel, ts: m.ts, text, message: { text, user: TEAM.user_id, bot_id: TEAM.bot_id, blocks } };
    }
    const ts = `${Math.floor(Date.now() / 1000)}.${String(++this.seq).padStart(6, '0')}`;
    const message = { type: 'message', subtype: 'bot_message', text, user: TEAM.user_id, bot_id: TEAM.bot_id, ts, blocks };
    if (args.thread_ts !== undefined) {
      const parent = this.messages.find((x) => x.ts === args.thread_ts && x.channel === channel);
      if (!parent) return { ok: false, error: 'thread_not_found' };
      parent.replies.push({ ts, text });
      return { ok: true, channel, ts, message: { ...message, thread_ts: parent.ts } };
    }
    this.messages.push({ ts, channel, text, blocks, history: [text], replies: [] });
    return { ok: true, channel, ts, message };
  }
}

function parseArgs(type: string | undefined, body: string): Record<string, unknown> {
  if (!body) return {};
  if (type?.includes('application/json')) {
    try {
      return JSON.parse(body) as Record<string, unknown>;
    } catch {
      return {};
    }
  }
  return parseQuery(body) as Record<string, unknown>;
}
