import type { Clock } from '../adapters/clock.js';
import type { StateFile } from '../adapters/state-file.js';
import type { Logger } from '../log/logger.js';

/**
 * Writes the agent's state (journal cursor together with everything derived from the entries before
 * it) at most once per `everyMs`, and on flush. Because cursor and derived state are written in one
 * atomic file, a crash replays from the cursor without counting anything twice.
 */
export class Checkpointer<T> {
  private timer?: { cancel(): void };

  constructor(
    private readonly file: StateFile<T>,
    private readonly everyMs: number,
    private readonly clock: Clock,
    private readonly snapshot: () => T,
    private readonly log: Logger,
  ) {}

  dirty(): void {
    this.timer ??= this.clock.setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, this.everyMs);
  }

  flush(): void {
    this.timer?.cancel();
    this.timer = undefined;
    try {
      this.file.write(this.snapshot());
    } catch (err) {
      this.log.log('WDG-STATE-002', `cannot save state to ${this.file.path}: ${(err as Error).message}`, { path: this.file.path });
    }
  }
}
