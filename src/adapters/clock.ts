/** Time behind an interface so the agent's loops can be driven by tests. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): { cancel(): void };
}

function realClock(holdsProcess: boolean): Clock {
  return {
    now: () => Date.now(),
    setTimeout(fn, ms) {
      const t = setTimeout(fn, ms);
      if (!holdsProcess) t.unref?.();
      return { cancel: () => clearTimeout(t) };
    },
  };
}

/** The agent's clock: its timers never keep the process alive (its lifetime is its server and signals). */
export const systemClock = realClock(false);

/**
 * For one-shot commands: a pending timer keeps the process alive. With systemClock, a command
 * awaiting only a timer would find the event loop empty and Node would exit (code 13) mid-wait.
 */
export const holdingClock = realClock(true);
