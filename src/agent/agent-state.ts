import type { StateFile } from '../adapters/state-file.js';
import { Correlator, type CorrelatorState } from '../correlate/correlator.js';
import type { CorrelatorOptions } from '../correlate/types.js';
import type { Logger } from '../log/logger.js';
import type { IntakeState } from '../pipeline/intake.js';
import type { EvidenceLogState } from './evidence-log.js';

/** Everything derived from the journal, saved with the cursor in one atomic file. */
export interface AgentState {
  version: 1;
  cursor?: string;
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

/** The saved state, or a fresh one (with a coded warning) when the file is corrupt. */
export function readAgentState(file: StateFile<AgentState>, log: Logger): AgentState {
  try {
    const saved = file.read();
    return saved?.version === 1 ? { ...fresh(), ...saved } : fresh();
  } catch (err) {
    log.log('WDG-STATE-001', `state file ${file.path} is corrupt; starting fresh: ${(err as Error).message}`, { path: file.path });
    return fresh();
  }
}

export function restoreCorrelator(state: AgentState, options: CorrelatorOptions, path: string, log: Logger): Correlator {
  try {
    if (state.correlator) return Correlator.fromState(state.correlator as CorrelatorState, options);
  } catch (err) {
    log.log('WDG-STATE-001', `saved incidents unreadable; starting without them: ${(err as Error).message}`, { path });
  }
  return new Correlator(options);
}
