// What an observation from outside (a peer agent, a saved state file) must look like before it
// reaches the correlator. A newer peer may send kinds this version does not know: they fail here,
// are dropped and counted, and never reach code that assumes the shape. Pure.
import { z } from 'zod';
import { SIGNAL_KINDS, SUBJECT_KINDS } from '../detect/signal-kinds.js';
import type { Observation } from './types.js';

const time = z.number().finite().nonnegative();
const name = z.string().min(1).max(512);
const NODE_STATES = ['ready', 'down', 'unknown', 'disconnected'] as const;
const AVAILABILITY = ['active', 'pause', 'drain'] as const;

const signal = z.object({
  node: name,
  time,
  rule: name,
  kind: z.enum(SIGNAL_KINDS),
  errorClass: z.string().max(512).optional(),
  message: z.string().max(64 * 1024),
  nodeId: z.string().max(512).optional(),
  subject: z.string().max(512).optional(),
  subjectKind: z.enum(SUBJECT_KINDS).optional(),
  clears: z.array(z.enum(SIGNAL_KINDS)).max(SIGNAL_KINDS.length).optional(),
  detail: z.record(z.string(), z.string().max(4096)).optional(),
});

const observationSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('signal'), signal }),
  z.object({
    type: z.literal('node-state'),
    time,
    node: name,
    nodeId: z.string().max(512).optional(),
    from: z.enum(NODE_STATES),
    to: z.enum(NODE_STATES),
    availability: z.object({ from: z.enum(AVAILABILITY), to: z.enum(AVAILABILITY) }).optional(),
  }),
  z.object({ type: z.literal('leader-change'), time, from: name.optional(), to: name }),
  z.object({ type: z.literal('task-move'), time, service: name, taskSlot: z.number().int().optional(), from: name, to: name }),
  z.object({ type: z.literal('app-code'), time, node: name, service: name, taskId: name, code: name, reconnect: z.boolean() }),
  z.object({
    type: z.literal('mass-reconnect'),
    time,
    end: time,
    service: name,
    code: name,
    tasks: z.number().int().nonnegative(),
    nodes: z.array(name).max(10_000),
  }),
  z.object({ type: z.literal('boot'), time, node: name, bootId: name }),
  z.object({ type: z.literal('node-name'), nodeId: name, node: name }),
]);

// The compiler checks the schema's output fits the Observation type the correlator takes.
const fits: (o: z.infer<typeof observationSchema>) => Observation = (o) => o;
void fits;

export type ObservationCheck = { ok: true; obs: Observation } | { ok: false; reason: string };

/** An observation of a known type and shape, or why not (type and first problem, for the log line). */
export function checkObservation(value: unknown): ObservationCheck {
  const parsed = observationSchema.safeParse(value);
  if (parsed.success) return { ok: true, obs: parsed.data as Observation };
  const type = typeof (value as { type?: unknown })?.type === 'string' ? String((value as { type: string }).type).slice(0, 40) : typeof value;
  const issue = parsed.error.issues[0];
  return { ok: false, reason: `${type}: ${issue ? `${issue.path.join('.') || '(item)'} ${issue.message}` : 'invalid'}` };
}
