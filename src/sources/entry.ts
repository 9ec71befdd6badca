// One Docker daemon log entry as the sources read it: the unit the rules (detect/) work on.

export type DaemonLevel = 'debug' | 'info' | 'warning' | 'error' | 'fatal' | 'panic' | 'unknown';

/** One log entry of a Docker daemon, whatever its source (journal, text file). */
export interface DaemonEntry {
  /** The node whose daemon wrote it (lab: from SYSLOG_IDENTIFIER dockerd-<node>; else hostname or configured name). */
  node: string;
  /** Milliseconds since the epoch (from the logrus time= field, else the journal's realtime timestamp). */
  time: number;
  level: DaemonLevel;
  msg: string;
  /** The other logrus key=value fields (error, module, node.id, backoff …). */
  fields: Record<string, string>;
  /** True when the line was not logrus text or JSON: msg holds the raw line. */
  raw?: boolean;
  /** Journal metadata when read from the journal. */
  cursor?: string;
  bootId?: string;
}
