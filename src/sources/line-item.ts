// What one line (or one journal record) of an input is, once read: the unit the pipeline takes in.
import type { DaemonEntry } from './entry.js';

export type LineItem =
  /** dockerd's own line. `raw` entries (not logrus) still go to the rules but count as unreadable. */
  | { kind: 'daemon'; entry: DaemonEntry }
  /** systemd about the Docker unit (Stopping/Started, Main process exited): rules read it like a daemon line. */
  | { kind: 'unit'; entry: DaemonEntry }
  /** A container's output (journald log driver): application log codes. */
  | { kind: 'container'; node: string; time: number; service: string; taskId: string; message: string; bootId?: string }
  /** A boot seen in the log itself: journalctl's `-- Boot … --`/`-- Reboot --`, the kernel's first line. */
  | { kind: 'boot'; node: string; time: number; bootId?: string }
  /** Another program's line: not the daemon's, not counted as unreadable. */
  | { kind: 'other' }
  | { kind: 'unreadable'; line: string };
