// Operator levels: critical sits above error (pino has no such level by default).
export const LEVELS = { critical: 60, error: 50, warning: 40, info: 30, debug: 20 } as const;
export type Level = keyof typeof LEVELS;
