// The bot sender through the real @slack/web-api client against the Slack stand-in on loopback.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOT_TOKEN, CHANNEL, SlackStandIn } from '../../test/support/slack-standin.js';
import { systemClock } from '../adapters/clock.js';
import { silentLogger } from '../log/logger.js';
import { DeliveryQueue } from './delivery-queue.js';
import { SlackBotSender, WebApiChat, type SlackOp, type ThreadTs } from './slack-bot.js';

let slack: SlackStandIn;
beforeAll(async () => {
  slack = new SlackStandIn('127.0.0.1');
  await slack.start();
});
afterAll(() => slack.stop());

class MemoryTs implements ThreadTs {
  map = new Map<string, string>();
  ts = (thread: string) => this.map.get(thread);
  posted = (thread: string, ts: string) => void this.map.set(thread, ts);
}

const chat = (token = BOT_TOKEN) => new WebApiChat(token, { apiUrl: slack.apiUrl, timeoutMs: 2000 });
const op = (kind: SlackOp['kind'], thread: string, text: string): SlackOp => ({ kind, thread, text, blocks: kind === 'message' ? [{ type: 'section', text: { type: 'mrkdwn', text } }] : undefined });

describe('Slack bot sender', () => {
  it('posts a thread\'s parent once, edits it in place, replies in its thread; auth.test says who it is', async () => {
    const ts = new MemoryTs();
    const sender = new SlackBotSender(chat(), CHANNEL, ts);
    expect(await chat().authTest()).toEqual({ team: 'Lab Watchdog', user: 'watchdog' });
    expect(await sender.send(op('message', 'inc-1', 'first'))).toEqual({ ok: true });
    expect(await sender.send(op('reply', 'inc-1', 'a change'))).toEqual({ ok: true });
    expect(await sender.send(op('message', 'inc-1', 'second'))).toEqual({ ok: true });
    const [m] = slack.api.messages;
    expect(m).toMatchObject({ ts: ts.map.get('inc-1'), text: 'second', history: ['first', 'second'] });
    expect(m!.blocks).toEqual([{ type: 'section', text: { type: 'mrkdwn', text: 'second' } }]);
    expect(slack.api.thread(m!.ts)).toEqual(['a change']);
  });

  it('maps Slack\'s answers for the queue: 429 with Retry-After, invalid_auth and channel_not_found dropped at once', async () => {
    const ts = new MemoryTs();
    slack.api.script = [{ status: 429, retryAfter: 2 }];
    const sender = new SlackBotSender(chat(), CHANNEL, ts);
    expect(await sender.send(op('message', 'x', 'hi'))).toEqual({ ok: false, status: 429, retryAfterMs: 2000, error: 'ratelimited' });
    expect(await new SlackBotSender(chat('xoxb-wrong'), CHANNEL, ts).send(op('message', 'x', 'hi'))).toEqual({ ok: false, status: 400, error: 'invalid_auth' });
    expect(await new SlackBotSender(chat(), 'C0NOSUCH', ts).send(op('message', 'x', 'hi'))).toEqual({ ok: false, status: 400, error: 'channel_not_found' });
    expect(await sender.send(op('reply', 'never-posted', 'hi'))).toMatchObject({ ok: false, status: 400 });
    await expect(chat('xoxb-wrong').authTest()).rejects.toMatchObject({ data: { error: 'invalid_auth' } });
  });

  it('through the delivery queue: Retry-After honoured, then the parent and its reply delivered once each', async () => {
    const ts = new MemoryTs();
    const before = slack.api.messages.length;
    slack.api.script = [{ status: 429, retryAfter: 1 }];
    const results: string[] = [];
    const q = new DeliveryQueue<SlackOp>(new SlackBotSender(chat(), CHANNEL, ts), { name: 'bot', size: 10, maxRetries: 3, minIntervalMs: 50 }, systemClock, silentLogger(), (r) => results.push(r));
    const start = Date.now();
    q.enqueue('t:message', op('message', 't', 'v1'), { replace: true });
    q.enqueue('t:reply:a', op('reply', 't', 'change a'));
    q.enqueue('t:message', op('message', 't', 'v2'), { replace: true }); // v1 not sent yet: v2 takes its place
    while (results.length < 2 && Date.now() - start < 5000) await new Promise((r) => setTimeout(r, 50));
    const firstOk = slack.api.calls.filter((c) => c.method === 'chat.postMessage' && c.status === 200).at(-2)!;
    expect(firstOk.at - start).toBeGreaterThanOrEqual(1000);
    expect(results).toEqual(['delivered', 'delivered']);
    expect(slack.api.messages.slice(before).map((m) => [m.text, m.history.length, slack.api.thread(m.ts)])).toEqual([['v2', 1, ['change a']]]);
    q.stop();
  });
});
