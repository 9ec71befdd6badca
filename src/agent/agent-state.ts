import { readState, StateFile } from '../adapters/state-file.js';
import { Correlator, type CorrelatorCounters, type CorrelatorState } from '../correlate/correlator.js';
import type { CorrelatorOptions } from '../correlate/types.js';
import type { Logger } from '../log/logger.js';
import type { IntakeState } from '../pipeline/intake.js';
import type { EvidenceLogState } from './evidence-log.js';
import { agentStateSchema, correlatorStateSchema } from './state-schemas.js';

/** Everything derived from the journal, saved with the cursor in one atomic file. */
export interface AgentState {
  version: 1;
  cursor?: string;
  /** The realtime (µs) of the cursor's entry: where to resume when journalctl cannot use the cursor. */
  cursorRealtimeUs?: number;
  /** The first entry this state ever handled: with `handled`, lets anyone check nothing was lost or repeated. */
  firstCursor?: string;
  handled: number;
  intake: IntakeState;
  evidence: EvidenceLogState;
  marks: Record<string, number>;
  correlator?: unknown;
  /** Container id → time of the last line read through the Docker logs API. */
  containerLogs?: Record<string, number>;
}


const fresh = (): AgentState => ({ version: 1, handled: 0, intake: {}, evidence: { next: 1, items: [] }, marks: {} });

/** agent-state.json, checked on read against what this version writes. */
export function agentStateFile(path: string): StateFile<AgentState> {
  return new StateFile<AgentState>(path, agentStateSchema);
}

/** The saved state, or a fresh one when there is none or it is unusable (kept aside, with a coded line). */
export function readAgentState(file: StateFile<AgentState>, log: Logger): AgentState {
  const saved = readState(file, 'agent state', log);
  return saved ? { ...fresh(), ...saved } : fresh();
}

/**
 * The saved incidents; when only they are unusable, the cursor and evidence are kept and a copy of
 * the file is kept aside, so a bad value is never saved back to live on in a dead detector.
 */
export function restoreCorrelator(state: AgentState, options: CorrelatorOptions, file: StateFile<AgentState>, log: Logger, counters?: CorrelatorCounters): Correlator {
  if (!state.correlator) return new Correlator(options, counters);
  const checked = correlatorStateSchema.safeParse(state.correlator);
  let problem: string;
  if (checked.success) {
    try {
      return Correlator.fromState(state.correlator as CorrelatorState, options, counters);
    } catch (err) {
      problem = (err as Error).message;
    }
  } else {
    const issue = checked.error.issues[0];
    problem = `correlator.${issue?.path.join('.')}: ${issue?.message}`;
  }
  const keptAs = file.keepCopy();
  log.log('WDG-STATE-001', `saved incidents in ${file.path} are unusable (${problem}); ${keptAs ? `kept as ${keptAs}, ` : ''}starting without them (cursor and evidence kept)`, { path: file.path, keptAs, problem });
  return new Correlator(options, counters);
}
