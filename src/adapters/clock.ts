/** Time behind an interface so the agent's loops can be driven by tests. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): { cancel(): void };
}

/** The agent's clock: its timers never keep the process alive (its lifetime is its server and signals). */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return { cancel: () => clearTimeout(t) };
  },
};

/**
 * For one-shot commands: a pending timer keeps the process alive. With systemClock, a command
 * awaiting only a timer would find the event loop empty and Node would exit (code 13) mid-wait.
 */
export const holdingClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const t = setTimeout(fn, ms);
    return { cancel: () => clearTimeout(t) };
  },
};
