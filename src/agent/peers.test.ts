import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { correlatorOptions } from '../pipeline/correlator-options.js';
import { parseConfig } from '../config/load.js';
import { Correlator } from '../correlate/correlator.js';
import { Watermarks } from './evidence-log.js';
import { PeerPuller } from './peers.js';

const signal = (time: number) => ({ type: 'signal', signal: { node: 'node3', time, rule: 'heartbeat-failed', kind: 'heartbeat-failed', errorClass: 'DeadlineExceeded', message: 'heartbeat to manager failed' } });

/** A peer agent on loopback that serves one fixed evidence page. */
async function peerServing(body: unknown): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('PeerPuller', () => {
  let server: Server | undefined;
  afterEach(() => server?.close());

  it('drops a newer peer\'s unknown and malformed items, counts them, and moves the watermark past them', async () => {
    const peer = await peerServing({
      node: 'node3',
      oldest: 1,
      last: 5,
      items: [
        { seq: 1, obs: signal(1000) },
        { seq: 2, obs: { type: 'future-kind', time: 1 } },
        { seq: 3, obs: { type: 'signal', time: 1 } },
        { seq: 4, obs: null },
        { seq: 5, obs: signal(2000) },
      ],
    });
    server = peer.server;
    const marks = new Watermarks();
    const puller = new PeerPuller(marks);
    // The real correlator: it throws on the unknown kind, which used to crash the acting agent.
    const correlator = new Correlator(correlatorOptions(parseConfig('', '(test)', {})));
    const target = { node: 'node1', static: [peer.url], port: 9323 };

    const correlated: number[] = [];
    const round = await puller.pullAll(target, (obs) => {
      correlator.add(obs);
      correlated.push(obs.type === 'signal' ? obs.signal.time : -1);
    });
    expect(round.answered).toBe(1);
    expect(round.dropped).toEqual([{ node: 'node3', count: 3, firstReason: expect.stringContaining('seq 2: future-kind') }]);
    expect(marks.get('node3')).toBe(5);
    expect(correlated).toEqual([1000, 2000]);

    // The next round asks after the watermark; nothing is dropped or taken twice.
    const taken: unknown[] = [];
    const again = await puller.pullAll(target, (obs) => taken.push(obs));
    expect(again.dropped).toEqual([]);
    expect(taken).toEqual([]);
  });

  it('refuses a page that is not an evidence page, naming what is wrong', async () => {
    const peer = await peerServing({ node: 'node3', items: [{ seq: 'x', obs: {} }] });
    server = peer.server;
    const round = await new PeerPuller(new Watermarks()).pullAll({ node: 'node1', static: [peer.url], port: 9323 }, () => undefined);
    expect(round.answered).toBe(0);
    expect(round.failed[0]).toMatch(/not an evidence page \(items\.0\.seq: /);
  });
});
