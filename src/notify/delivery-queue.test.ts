import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../test/support/fake-clock.js';
import { silentLogger } from '../log/logger.js';
import { DeliveryQueue } from './delivery-queue.js';
import type { SendResult, SlackMessage, WebhookSender } from './webhook.js';

class ScriptedSender implements WebhookSender {
  sent: Array<{ at: number; text?: string }> = [];
  delivered: string[] = [];
  constructor(private readonly clock: FakeClock, private readonly script: Array<SendResult>) {}
  async send(message: SlackMessage): Promise<SendResult> {
    this.sent.push({ at: this.clock.now(), text: message.text });
    const result = this.script.shift() ?? { ok: true };
    if (result.ok) this.delivered.push(message.text ?? '');
    return result;
  }
}

describe('delivery queue', () => {
  it('spaces messages one per second and delivers in order', async () => {
    const clock = new FakeClock(1000);
    const sender = new ScriptedSender(clock, []);
    const q = new DeliveryQueue(sender, { name: 'main', size: 10, maxRetries: 3 }, clock, silentLogger());
    for (const t of ['a', 'b', 'c']) q.enqueue(t, { text: t });
    await clock.advance(5000);
    expect(sender.delivered).toEqual(['a', 'b', 'c']);
    const gaps = sender.sent.slice(1).map((s, i) => s.at - sender.sent[i].at);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1000);
  });

  it('honours Retry-After on 429, backs off on 500, and delivers each message exactly once', async () => {
    const clock = new FakeClock(0);
    const sender = new ScriptedSender(clock, [
      { ok: false, status: 429, retryAfterMs: 7000, error: 'rate limited' },
      { ok: false, status: 500, error: 'server error' },
      { ok: false, error: 'ECONNREFUSED' },
    ]);
    const q = new DeliveryQueue(sender, { name: 'main', size: 10, maxRetries: 5 }, clock, silentLogger());
    q.enqueue('a', { text: 'a' });
    q.enqueue('b', { text: 'b' });
    await clock.advance(6000);
    expect(sender.sent).toHaveLength(1);
    await clock.advance(1000);
    expect(sender.sent.map((s) => s.at)).toEqual([0, 7000]);
    await clock.advance(60_000);
    expect(sender.delivered).toEqual(['a', 'b']);
    expect(q.status).toMatchObject({ delivered: 2, dropped: 0, pending: 0, consecutiveFailures: 0 });
  });

  it('drops after maxRetries, and the oldest when full, counting both', async () => {
    const clock = new FakeClock(0);
    const down = Array.from({ length: 10 }, () => ({ ok: false as const, status: 503, error: 'down' }));
    const sender = new ScriptedSender(clock, down);
    const results: string[] = [];
    const q = new DeliveryQueue(sender, { name: 'main', size: 2, maxRetries: 2 }, clock, silentLogger(), (r) => results.push(r));
    q.enqueue('a', { text: 'a' });
    q.enqueue('b', { text: 'b' });
    q.enqueue('c', { text: 'c' }); // 'a' is in flight only after the first tick: the queue is full, 'a' goes
    await clock.advance(120_000);
    expect(results.filter((r) => r === 'dropped').length).toBe(3);
    expect(q.status.dropped).toBe(3);
    expect(sender.delivered).toEqual([]);
  });

  it('drops a message Slack rejects with a 4xx at once (no point retrying)', async () => {
    const clock = new FakeClock(0);
    const sender = new ScriptedSender(clock, [{ ok: false, status: 404, error: 'no_service' }]);
    const q = new DeliveryQueue(sender, { name: 'main', size: 5, maxRetries: 5 }, clock, silentLogger());
    q.enqueue('a', { text: 'a' });
    q.enqueue('b', { text: 'b' });
    await clock.advance(5000);
    expect(sender.sent.map((s) => s.text)).toEqual(['a', 'b']);
    expect(q.status).toMatchObject({ delivered: 1, dropped: 1 });
  });

  it('moves queued messages to a new webhook on reconfigure, at once, and drops them all when it is removed', async () => {
    const clock = new FakeClock(0);
    const old = new ScriptedSender(clock, [{ ok: false, status: 429, retryAfterMs: 30_000, error: 'rate limited' }]);
    const results: string[] = [];
    const q = new DeliveryQueue(old, { name: 'main', size: 10, maxRetries: 8 }, clock, silentLogger(), (r) => results.push(r));
    q.enqueue('a', { text: 'a' });
    q.enqueue('b', { text: 'b' });
    await clock.advance(0);
    expect(old.sent).toHaveLength(1); // 'a' failed, told to wait 30 s
    const fixed = new ScriptedSender(clock, []);
    q.reconfigure(fixed, { name: 'main', size: 10, maxRetries: 8 });
    await clock.advance(1000); // one message per second still holds, the old 30 s do not
    expect(fixed.delivered).toEqual(['a']);
    await clock.advance(1000);
    expect(fixed.delivered).toEqual(['a', 'b']);
    expect(old.sent).toHaveLength(1);

    const down = new ScriptedSender(clock, Array.from({ length: 5 }, () => ({ ok: false as const, error: 'down' })));
    q.reconfigure(down, { name: 'main', size: 10, maxRetries: 8 });
    q.enqueue('c', { text: 'c' });
    q.enqueue('d', { text: 'd' });
    await clock.advance(1000);
    q.dropAll('its webhook was removed from the config');
    await clock.advance(60_000);
    expect(results).toEqual(['delivered', 'delivered', 'dropped', 'dropped']);
    expect(q.status).toMatchObject({ pending: 0, dropped: 2 });
  });

  it('lets the message in flight finish when the queue shrinks or its webhook goes', async () => {
    const clock = new FakeClock(0);
    let answer: (r: SendResult) => void = () => {};
    const slow: WebhookSender = { send: () => new Promise((resolve) => (answer = resolve)) };
    const results: string[] = [];
    const q = new DeliveryQueue(slow, { name: 'main', size: 10, maxRetries: 8 }, clock, silentLogger(), (r) => results.push(r));
    for (const t of ['a', 'b', 'c']) q.enqueue(t, { text: t });
    await clock.advance(0); // 'a' in flight
    q.reconfigure(slow, { name: 'main', size: 1, maxRetries: 8 });
    expect(results).toEqual(['dropped', 'dropped']); // 'b' and 'c', not 'a'
    q.dropAll('its webhook was removed from the config');
    answer({ ok: false, error: 'ECONNREFUSED' });
    await clock.advance(60_000);
    expect(results).toEqual(['dropped', 'dropped', 'dropped']); // 'a' failed: dropped, not retried
    expect(q.status).toMatchObject({ pending: 0, dropped: 3, delivered: 0 });
  });
});
