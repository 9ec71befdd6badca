// Environment variables that override single config fields (documented in config/watchdog.yml).
type Kind = 'string' | 'list' | 'number' | 'boolean';

export const ENV_OVERRIDES: ReadonlyArray<{ name: string; path: string[]; kind: Kind }> = [
  { name: 'WATCHDOG_NODE', path: ['node'], kind: 'string' },
  { name: 'WATCHDOG_STATE_DIR', path: ['stateDir'], kind: 'string' },
  { name: 'WATCHDOG_DOCKER_SOCKET', path: ['docker', 'socket'], kind: 'string' },
  { name: 'WATCHDOG_JOURNAL_MATCHES', path: ['journal', 'matches'], kind: 'list' },
  { name: 'WATCHDOG_JOURNAL_DIRECTORY', path: ['journal', 'directory'], kind: 'string' },
  { name: 'WATCHDOG_JOURNAL_LOOKBACK', path: ['journal', 'lookback'], kind: 'string' },
  { name: 'WATCHDOG_PEERS_SERVICE', path: ['peers', 'service'], kind: 'string' },
  { name: 'WATCHDOG_PEERS_STATIC', path: ['peers', 'static'], kind: 'list' },
  { name: 'WATCHDOG_PEER_TOKEN_FILE', path: ['peers', 'tokenFile'], kind: 'string' },
  { name: 'WATCHDOG_WEBHOOK_FILE', path: ['alerts', 'webhookFile'], kind: 'string' },
  { name: 'WATCHDOG_SLACK_TOKEN_FILE', path: ['alerts', 'slack', 'tokenFile'], kind: 'string' },
  { name: 'WATCHDOG_SLACK_CHANNEL_FILE', path: ['alerts', 'slack', 'channelFile'], kind: 'string' },
  { name: 'WATCHDOG_REBALANCE_AUTO', path: ['rebalance', 'auto'], kind: 'boolean' },
  { name: 'WATCHDOG_HTTP_LISTEN', path: ['http', 'listen'], kind: 'string' },
  { name: 'WATCHDOG_HTTP_PORT', path: ['http', 'port'], kind: 'number' },
  { name: 'WATCHDOG_LOG_LEVEL', path: ['log', 'level'], kind: 'string' },
];

function convert(raw: string, kind: Kind): unknown {
  switch (kind) {
    case 'list':
      return raw.split(',').map((s) => s.trim()).filter(Boolean);
    case 'number':
      return /^\d+$/.test(raw.trim()) ? Number(raw) : raw; // a non-number is reported by the schema
    case 'boolean':
      return raw === 'true' || raw === '1' ? true : raw === 'false' || raw === '0' ? false : raw;
    default:
      return raw;
  }
}

/** Returns a copy of `doc` with the set environment variables applied. */
export function applyEnv(doc: Record<string, unknown>, env: NodeJS.ProcessEnv): Record<string, unknown> {
  const out: Record<string, unknown> = structuredClone(doc);
  for (const { name, path, kind } of ENV_OVERRIDES) {
    const raw = env[name];
    // Blank counts as not set: stack files set a variable to " " to switch it off, because
    // `docker stack deploy -c a.yml -c b.yml` drops an empty value when it merges the files.
    if (raw === undefined || raw.trim() === '') continue;
    let target = out;
    for (const key of path.slice(0, -1)) {
      const next = target[key];
      target = (target[key] = next && typeof next === 'object' ? next : {}) as Record<string, unknown>;
    }
    target[path[path.length - 1]] = convert(raw, kind);
  }
  return out;
}
