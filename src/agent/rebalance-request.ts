// The body of POST /v1/rebalance, validated: nothing (or {}) is every service, else named services.
import { z } from 'zod';
import type { Reply } from '../http/server.js';

const requestSchema = z
  .strictObject({ services: z.array(z.string().min(1).max(255)).min(1).max(1000).optional() })
  .optional();

export interface RebalanceRequest {
  services?: string[];
}

/** The request, or the 400 that says what is wrong with it. */
export function parseRebalanceRequest(body: unknown): RebalanceRequest | Reply {
  const parsed = requestSchema.safeParse(body);
  if (parsed.success) return { services: parsed.data?.services ? [...new Set(parsed.data.services)] : undefined };
  const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`);
  return { status: 400, body: { error: `send {"services": ["name", …]} or nothing for every service: ${problems.join('; ')}`, problems } };
}

export function isReply(value: RebalanceRequest | Reply): value is Reply {
  return 'status' in value;
}
