// What the agent reports about itself: the journal's health entry (LAGGING while it reads old entries)
// and watchdog_mass_reconnects_total (one per burst its correlator recognised).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../test/support/fake-clock.js';
import { FakeDocker, FakeJournal } from '../../test/support/fake-agent-deps.js';
import { parseConfig } from '../config/load.js';
import { silentLogger } from '../log/logger.js';
import { Health } from '../operate/health.js';
import { Metrics } from '../operate/metrics.js';
import { Agent } from './agent.js';

const T = 1_796_000_000_000;
let agent: Agent | undefined;
afterEach(async () => agent?.stop());

function setup() {
  const stateDir = mkdtempSync(join(tmpdir(), 'wdg-agent-operate-'));
  const config = parseConfig(`node: node1\nstateDir: ${stateDir}\nappLogs: { dockerApi: false }\n`, '(test)', {});
  const clock = new FakeClock(T);
  const journal = new FakeJournal();
  const metrics = new Metrics();
  const health = new Health();
  agent = new Agent({ config, log: silentLogger(), clock, docker: new FakeDocker(), journal, metrics, health });
  agent.start();
  return { clock, journal, metrics, health };
}

const daemonLine = (time: number, n: number) => ({
  __CURSOR: `c${time}-${n}`, __REALTIME_TIMESTAMP: String(time * 1000), SYSLOG_IDENTIFIER: 'dockerd', MESSAGE: `time="${new Date(time).toISOString()}" level=info msg="line ${n}"`,
});
const reconnect = (time: number, k: number) => ({
  __CURSOR: `r${time}-${k}`, __REALTIME_TIMESTAMP: String(time * 1000), CONTAINER_NAME: `api.${k + 1}.task${k}`, MESSAGE: 'API-REDIS-001 reconnected to redis',
});
const journalEntry = (h: Health) => h.report().find((e) => e.Name === 'journal');

describe('the agent about itself', () => {
  it('journal health: LAGGING while reading a backlog 2 minutes old, OK once the reader went idle; never failing', async () => {
    const { clock, journal, health } = setup();
    for (let n = 0; n < 50; n++) journal.feed(daemonLine(T - 120_000 + n * 100, n));
    await clock.advance(1_000);
    expect(journalEntry(health)).toMatchObject({ Status: 'LAGGING', Detail: 'reading entries 115 s old (more than 30 s behind the journal)' });
    expect(health.ok()).toBe(true);
    await clock.advance(5_000);
    expect(journalEntry(health)?.Status).toBe('OK');
    journal.feed(daemonLine(clock.now() - 200, 50));
    await clock.advance(1_000);
    expect(journalEntry(health)?.Status).toBe('OK');
  });

  it('counts one mass reconnect per burst of reconnect codes, not one per task', async () => {
    const { clock, journal, metrics } = setup();
    for (let k = 0; k < 8; k++) journal.feed(reconnect(T + k * 500, k));
    await clock.advance(1_000);
    expect(await metrics.text()).toMatch(/^watchdog_mass_reconnects_total 1$/m);
  });
});
