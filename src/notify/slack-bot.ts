// Bot-token mode through Slack's Web API (@slack/web-api): a thread's parent message is posted once
// and then edited in place (chat.update); each change is a reply in its thread. Retries are the
// delivery queue's, so the client makes one attempt and hands 429s back with their Retry-After.
import { WebClient, WebAPIHTTPError, WebAPIPlatformError, WebAPIRateLimitedError, WebAPIRequestError } from '@slack/web-api';
import type { Sender, SendResult, SlackMessage } from './webhook.js';

/** One queue item of the bot: the thread's parent message (post or update), or a reply in it. */
export interface SlackOp {
  kind: 'message' | 'reply';
  /** The thread's key (see threads.ts). */
  thread: string;
  /** Plain-text fallback: what notifications and logs show. */
  text: string;
  blocks?: SlackMessage['blocks'];
}

/** The Web API calls the watchdog makes, nothing more. */
export interface SlackChat {
  authTest(): Promise<{ team?: string; user?: string }>;
  post(args: { channel: string; text: string; blocks?: SlackMessage['blocks']; threadTs?: string }): Promise<{ ts: string }>;
  update(args: { channel: string; ts: string; text: string; blocks?: SlackMessage['blocks'] }): Promise<void>;
}

export class WebApiChat implements SlackChat {
  private readonly client: WebClient;

  constructor(token: string, opts: { apiUrl: string; timeoutMs: number }) {
    this.client = new WebClient(token, { slackApiUrl: opts.apiUrl, timeout: opts.timeoutMs, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, allowAbsoluteUrls: false });
  }

  async authTest(): Promise<{ team?: string; user?: string }> {
    const r = await this.client.auth.test();
    return { team: r.team, user: r.user };
  }

  async post({ channel, text, blocks, threadTs }: Parameters<SlackChat['post']>[0]): Promise<{ ts: string }> {
    const r = await this.client.chat.postMessage({ channel, text, blocks, ...(threadTs ? { thread_ts: threadTs } : {}), unfurl_links: false });
    if (typeof r.ts !== 'string') throw new Error('chat.postMessage answered without a ts');
    return { ts: r.ts };
  }

  async update({ channel, ts, text, blocks }: Parameters<SlackChat['update']>[0]): Promise<void> {
    await this.client.chat.update({ channel, ts, text, blocks: blocks ?? [] });
  }
}

/** Slack's error codes worth another try (everything else means a wrong token, channel or message). */
const TRANSIENT = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'ratelimited', 'team_added_to_org']);

/** A Web API failure in the queue's terms: a status (4xx: dropped at once), Retry-After, a message. */
export function sendResultOf(err: unknown): SendResult & { ok: false } {
  if (err instanceof WebAPIRateLimitedError) return { ok: false, status: 429, retryAfterMs: err.retryAfter * 1000, error: 'ratelimited' };
  if (err instanceof WebAPIPlatformError) {
    const code = err.data.error;
    return { ok: false, status: TRANSIENT.has(code) ? 503 : 400, error: code };
  }
  if (err instanceof WebAPIHTTPError) return { ok: false, status: err.statusCode, error: `HTTP ${err.statusCode} ${err.statusMessage}` };
  if (err instanceof WebAPIRequestError) return { ok: false, error: err.original?.message ?? err.message };
  return { ok: false, error: (err as Error).message };
}

/** Where each thread's parent message is (its ts), kept in the state directory. */
export interface ThreadTs {
  ts(thread: string): string | undefined;
  posted(thread: string, ts: string): void;
  /** A reply made it into the thread. */
  replied?(thread: string, text: string): void;
}

export class SlackBotSender implements Sender<SlackOp> {
  constructor(
    private readonly chat: SlackChat,
    private readonly channel: string,
    private readonly threads: ThreadTs,
  ) {}

  async send(op: SlackOp): Promise<SendResult> {
    const { channel } = this;
    try {
      const ts = this.threads.ts(op.thread);
      if (op.kind === 'reply') {
        // the parent's post was dropped: a reply alone would read out of context
        if (!ts) return { ok: false, status: 400, error: `no message for ${op.thread} to reply to` };
        await this.chat.post({ channel, text: op.text, threadTs: ts });
        this.threads.replied?.(op.thread, op.text);
      } else if (ts) {
        await this.chat.update({ channel, ts, text: op.text, blocks: op.blocks });
      } else {
        this.threads.posted(op.thread, (await this.chat.post({ channel, text: op.text, blocks: op.blocks })).ts);
      }
      return { ok: true };
    } catch (err) {
      return sendResultOf(err);
    }
  }
}
