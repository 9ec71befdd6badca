import { IncomingWebhook, type IncomingWebhookSendArguments } from '@slack/webhook';

export type SlackMessage = IncomingWebhookSendArguments;

export type SendResult = { ok: true } | { ok: false; status?: number; retryAfterMs?: number; error: string };

/** One way to Slack (a webhook, or the bot's Web API calls); M is what one queue item carries. */
export interface Sender<M> {
  send(message: M): Promise<SendResult>;
}

/** One webhook endpoint. */
export type WebhookSender = Sender<SlackMessage>;

/** Parses Retry-After: seconds, or an HTTP date. */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  if (/^\d+(\.\d+)?$/.test(header.trim())) return Math.round(Number(header) * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * Slack's incoming webhook through @slack/webhook. Retries are ours (the queue's), so the library
 * makes one attempt; its fetch is wrapped only to read Retry-After, which the library does not expose.
 */
export class SlackWebhookSender implements WebhookSender {
  private lastRetryAfter: string | null = null;
  private readonly hook: IncomingWebhook;

  constructor(url: string, timeoutMs: number) {
    const fetchFn: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      this.lastRetryAfter = res.headers.get('retry-after');
      return res;
    };
    this.hook = new IncomingWebhook(url, { timeout: timeoutMs, fetch: fetchFn, retryConfig: { retries: 0 } });
  }

  async send(message: SlackMessage): Promise<SendResult> {
    this.lastRetryAfter = null;
    try {
      await this.hook.send(message);
      return { ok: true };
    } catch (err) {
      const e = err as { statusCode?: number; message: string; original?: Error };
      return {
        ok: false,
        status: e.statusCode,
        retryAfterMs: e.statusCode === 429 ? retryAfterMs(this.lastRetryAfter, Date.now()) : undefined,
        error: e.original?.message ? `${e.message} (${e.original.message})` : e.message,
      };
    }
  }
}
