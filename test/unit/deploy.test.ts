// deploy/: the Prometheus rules pass promtool's own check and unit tests, the scrape config is valid,
// and every metric the rules and the dashboard use is one the agent really exports.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Metrics } from '../../src/operate/metrics.js';

const dir = new URL('../../deploy/', import.meta.url).pathname;
// CI installs Debian's prometheus package (scripts/install-host-deps.sh): no promtool is a failure, not a skip.
const promtool = (...args: string[]) => execFileSync('promtool', args, { cwd: `${dir}prometheus`, encoding: 'utf8' });

async function exported(): Promise<Set<string>> {
  const text = await new Metrics().text();
  return new Set([...text.matchAll(/^# TYPE (\S+)/gm)].map((m) => m[1]!));
}

function used(text: string): string[] {
  return [...new Set([...text.matchAll(/\bwatchdog_[a-z_]+/g)].map((m) => m[0]))];
}

describe('deploy/prometheus and deploy/grafana', () => {
  it('the rules pass promtool check rules and promtool test rules', () => {
    expect(promtool('check', 'rules', 'rules.yml')).toMatch(/SUCCESS: 6 rules found/);
    expect(promtool('test', 'rules', 'rules.test.yml')).toMatch(/SUCCESS/);
  });

  it('the scrape config is valid and discovers the agents with dockerswarm_sd (tasks role)', () => {
    expect(promtool('check', 'config', 'prometheus.yml')).toMatch(/is valid prometheus config file/);
    expect(readFileSync(`${dir}prometheus/prometheus.yml`, 'utf8')).toMatch(/dockerswarm_sd_configs:\s*\n\s*- host: \S+\s*\n\s*role: tasks/);
  });

  it('the rules and the dashboard use only metrics the agent exports', async () => {
    const have = await exported();
    const groups = (parse(readFileSync(`${dir}prometheus/rules.yml`, 'utf8')) as { groups: { rules: { expr: string }[] }[] }).groups;
    const rules = used(groups.flatMap((g) => g.rules.map((r) => r.expr)).join('\n'));
    const dashboard = readFileSync(`${dir}grafana/swarm-watchdog.json`, 'utf8');
    const panels = used(dashboard);
    expect(rules.length).toBeGreaterThan(3);
    expect(panels.length).toBeGreaterThan(5);
    expect([...rules, ...panels].filter((m) => !have.has(m) && !have.has(m.replace(/_total$/, '')))).toEqual([]);
    const json = JSON.parse(dashboard) as { panels: { targets: { expr: string }[] }[] };
    expect(json.panels.every((p) => p.targets.length > 0 && p.targets.every((t) => t.expr.length > 0))).toBe(true);
  });
});
