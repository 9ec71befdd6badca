// One line of `docker events --format '{{json .}}'` (or GET /events), checked before use. Pure.
import { z } from 'zod';
import type { DockerEvent } from '../adapters/docker.js';

const eventSchema = z.object({
  Type: z.string().max(64),
  Action: z.string().max(256),
  Actor: z.object({ ID: z.string().max(512), Attributes: z.record(z.string(), z.string()).optional() }),
  time: z.number().int().nonnegative(),
  timeNano: z.number().nonnegative().optional(),
});

/** The event, or what is wrong with it (field and problem), for a message naming file and line. */
export function parseEvent(value: unknown): { event: DockerEvent } | { problem: string } {
  const r = eventSchema.safeParse(value);
  if (r.success) return { event: r.data as DockerEvent };
  const issue = r.error.issues[0];
  return { problem: `${issue?.path.join('.') || 'the line'}: ${issue?.message ?? 'invalid'}` };
}
