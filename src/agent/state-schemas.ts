// The shapes of the state files the agent reads back at start. A file from a newer version, a
// hand edit or a torn disk fails here (and is kept aside) instead of crashing the agent or living
// on as a value that silently disables a detector. Pure.
import { z } from 'zod';
import { checkObservation } from '../correlate/observation-schema.js';

const int = z.number().int().nonnegative();
const time = z.number().finite();
const text = z.string().max(4096);

/** An observation as saved: checked by the same rules as a peer's. */
const observation = z.unknown().superRefine((value, ctx) => {
  const checked = checkObservation(value);
  if (!checked.ok) ctx.addIssue({ code: 'custom', message: checked.reason });
});

const evidenceLog = z.object({
  next: int.min(1),
  items: z.array(z.object({ seq: int.min(1), obs: observation })),
});

const episode = z.object({ start: time, down: z.boolean() });
const nodeTrack = z.object({
  firstSeen: time.optional(),
  bootStartAt: time.optional(),
  lastSeen: time,
  lostSince: time.optional(),
  lastLossAt: time.optional(),
  downSince: time.optional(),
  unknownSince: time.optional(),
  daemonDownSince: time.optional(),
  bootId: text.optional(),
  manager: z.boolean().optional(),
  episodes: z.array(episode),
});

const reconnectKey = z.object({
  service: text,
  code: text,
  tasks: z.record(z.string(), z.object({ time, node: text })),
  burst: z.object({ start: time, end: time, tasks: int, nodes: z.array(text) }).optional(),
  last: time,
});

const codeCount = z.object({ code: text, count: int, first: time, last: time, services: z.array(text) });

// Incident records and pending facts are only checked for their frame: their contents come from
// this agent's own correlator and are re-checked by use (a broken one ends as WDG-STATE-001).
const incidentRecord = z.object({
  incident: z.object({ id: text, kind: text, nodes: z.array(text), start: time, evidence: z.array(z.unknown()) }).loose(),
  causes: z.record(z.string(), z.unknown()),
  nodeIds: z.array(text),
  downNodes: z.record(z.string(), time),
  unknownNodes: z.array(text),
  lastTroubleAt: time,
});

export const correlatorStateSchema = z.object({
  version: z.literal(1),
  seq: int,
  clusterSize: int.optional(),
  records: z.array(incidentRecord),
  pending: z.array(z.object({ role: text, time, evidence: z.object({ node: text, time, rule: text, message: z.string() }) }).loose()),
  nodes: z.record(z.string(), nodeTrack),
  names: z.record(z.string(), text),
  reconnects: z.object({ keys: z.array(reconnectKey), taskCounts: z.record(z.string(), int) }),
  codes: z.object({ codes: z.array(codeCount), other: int }),
});

export const agentStateSchema = z.object({
  version: z.literal(1),
  cursor: text.optional(),
  cursorRealtimeUs: z.number().int().positive().optional(),
  firstCursor: text.optional(),
  handled: int,
  intake: z.object({ bootId: text.optional() }),
  evidence: evidenceLog,
  marks: z.record(z.string(), int),
  correlator: z.unknown().optional(), // checked on its own (restoreCorrelator): a bad one costs only the incidents
  containerLogs: z.record(z.string(), time).optional(),
});

/** alerts.json */
export const notifierStateSchema = z.object({
  alerted: z.array(z.object({ id: text, ended: z.boolean(), nodes: z.array(text).max(1000).optional(), grown: int.optional() })),
  localAlertSent: z.boolean().optional(),
});

/** rebalance.json (and rebalance-cli.json) */
export const governorStateSchema = z.object({
  moves: z.array(z.object({ at: time, count: int })),
  lastRun: z.record(z.string(), time),
});
