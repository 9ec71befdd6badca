// The catalog of the watchdog's own log codes. One code, one meaning, forever: never reuse a code.
// docs/log-codes.md is generated from this file (`npm run docs:codes`); a test keeps them equal and
// checks that every code logged in src/ is here and every code here is logged somewhere.
import type { Level } from './levels.js';

export interface CodeInfo {
  level: Level;
  meaning: string;
  action: string;
}

export const CODES = {
  'WDG-CLI-001': { level: 'critical', meaning: 'An internal error (a bug in the watchdog) stopped a command or the agent.', action: 'Report it with the log line and `watchdog snapshot` output; the agent is restarted by Swarm.' },
  'WDG-CONFIG-001': { level: 'info', meaning: 'Configuration loaded and valid.', action: 'None.' },
  'WDG-CONFIG-002': { level: 'error', meaning: 'Configuration is invalid; each problem is listed as `path: message (fix)`.', action: 'Fix the config file, environment variable or secret named in the message.' },
  'WDG-JOURNAL-001': { level: 'info', meaning: 'journalctl started: the agent follows the daemon journal with the given arguments.', action: 'None.' },
  'WDG-JOURNAL-002': { level: 'warning', meaning: 'journalctl exited; it is restarted with capped exponential backoff and resumes after the last handled entry.', action: 'If it repeats, read the WDG-JOURNAL-003 lines before it for journalctl\'s own error.' },
  'WDG-JOURNAL-003': { level: 'warning', meaning: 'journalctl wrote to stderr (its message is in the line).', action: 'Read the message; a permission or missing-journal error needs the journal mounts fixed.' },
  'WDG-JOURNAL-004': { level: 'warning', meaning: 'journalctl printed a line that is not JSON; it was skipped.', action: 'None unless frequent; report it with the line.' },
  'WDG-JOURNAL-005': { level: 'warning', meaning: 'The saved cursor\'s entry is no longer in the journal (rotated and vacuumed while the agent was not reading): entries between the two times in the line could not be read; reading goes on from the first entry still there.', action: 'Keep the journal longer (SystemMaxUse, MaxRetentionSec) or keep the agent running; incidents in the gap may be missing.' },
  'WDG-JOURNAL-006': { level: 'error', meaning: 'journalctl could not be started (binary missing or not executable).', action: 'Install systemd\'s journalctl in the image or set journal.command.' },
  'WDG-HTTP-001': { level: 'info', meaning: 'The agent\'s HTTP endpoint (health, metrics, incidents, peer evidence) is listening.', action: 'None.' },
  'WDG-HTTP-002': { level: 'warning', meaning: 'A request to a protected endpoint came without a valid peer token and was refused.', action: 'Check that every agent mounts the same peer-token secret; investigate unknown callers.' },
  'WDG-HTTP-003': { level: 'error', meaning: 'An HTTP request failed inside the agent; the caller got a 500 naming only this code, the detail is in this line.', action: 'Read the message; report it if it repeats.' },
  'WDG-DOCKER-001': { level: 'error', meaning: 'The Docker API is unreachable (socket missing, daemon stopped, or a call timed out).', action: 'Check that the daemon runs and /var/run/docker.sock is mounted; the agent retries and keeps following the journal.' },
  'WDG-DOCKER-002': { level: 'error', meaning: 'Docker answered a call with data of an unexpected shape (a field of another type than the Engine API documents); nothing was acted on.', action: 'Check the daemon\'s API version (1.41 or newer); the message names the call and the fields. The agent retries on the next reconcile.' },
  'WDG-SLACK-001': { level: 'info', meaning: 'A Slack message was delivered.', action: 'None.' },
  'WDG-SLACK-002': { level: 'warning', meaning: 'A Slack message was not delivered (429, 5xx, timeout, network); it is retried with backoff or after Retry-After.', action: 'None unless it repeats; check the webhook and the network path to Slack.' },
  'WDG-SLACK-003': { level: 'error', meaning: 'A Slack message was dropped for good (retries exhausted, queue full, or a 4xx answer); its text is in the line.', action: 'Check the webhook secret and Slack\'s status; the incident is still in /v1/incidents and the daily summary.' },
  'WDG-SLACK-004': { level: 'error', meaning: 'Slack refused the bot token or channel (auth.test or a post answered invalid_auth, channel_not_found, not_in_channel …); bot-mode messages are dropped until it is fixed.', action: 'Put a valid bot token (xoxb-…, scope chat:write) in alerts.slack.tokenFile and the channel ID in alerts.slack.channelFile, and invite the bot to the channel.' },
  'WDG-SLACK-005': { level: 'info', meaning: 'Slack bot mode is ready: auth.test accepted the token (team and bot user in the line).', action: 'None.' },
  'WDG-SLACK-006': { level: 'warning', meaning: 'First notice: gossip says a node failed and it has not come back within alerts.firstNotice.hold; a warning was posted before Swarm\'s verdict.', action: 'Watch the thread: it turns into the incident if Swarm marks the node Down, or says "recovered, no action".' },
  'WDG-SLACK-007': { level: 'warning', meaning: 'Another agent sent Slack thread records that are not valid; they were ignored.', action: 'Run the same watchdog version on every node.' },
  'WDG-STATE-001': { level: 'warning', meaning: 'A state file in the state directory was unreadable, not JSON, or not of the shape this version writes (a newer version, a hand edit); it is kept as <file>.bad-<time> (named in the line) and the agent starts that part fresh.', action: 'None; journal entries after the lost cursor may be read from the lookback again. Keep the .bad- file for a report; check the disk if it repeats.' },
  'WDG-STATE-002': { level: 'error', meaning: 'The agent cannot write its state (cursor, incidents) to the state directory.', action: 'Check that the state directory is mounted, writable and not full.' },
  'WDG-STATE-003': { level: 'warning', meaning: 'The image entrypoint found the state directory locked by another agent (a replaced container still stopping) and waits for it, so two agents never follow one journal into one state.', action: 'None when WDG-STATE-004 follows within seconds; otherwise look for a second watchdog stack on the node.' },
  'WDG-STATE-004': { level: 'info', meaning: 'The image entrypoint got the state directory after waiting for the previous agent; the agent starts.', action: 'None.' },
  'WDG-STATE-005': { level: 'warning', meaning: 'The image entrypoint found no writable state directory: the agent starts without the lock, and its cursor will not outlive the container.', action: 'Mount a host directory at the state directory (stack.yml does).' },
  'WDG-PEER-001': { level: 'warning', meaning: 'Evidence items pulled from a peer agent were dropped: an unknown type (a newer peer version) or a malformed item. The watermark moves past them; the count and the first reason are in the line (watchdog_peer_evidence_dropped_total).', action: 'Run the same watchdog version on every node; report it if the peer runs this version.' },
  'WDG-PEER-002': { level: 'error', meaning: 'A round of pulling peer evidence, or one pulled item, failed inside the acting agent (a bug); the agent goes on and the next round runs on time.', action: 'Report it with the line (it has the stack).' },
  'WDG-CLUSTER-001': { level: 'info', meaning: 'This agent\'s role changed: it acts (its node is the Raft leader) or only reports evidence.', action: 'None; the role follows Swarm\'s leadership.' },
  'WDG-CLUSTER-002': { level: 'warning', meaning: 'The Docker events stream ended; it is reconnected with backoff and the periodic reconcile keeps the view right meanwhile.', action: 'None unless it repeats; check the manager\'s daemon.' },
  'WDG-INCIDENT-001': { level: 'error', meaning: 'An incident opened (partition, daemon restart, host reboot, leader election, flapping, mass reconnect); the line holds its summary.', action: 'Read the summary; GET /v1/incidents on the acting agent has the evidence. A partition heals by itself; the rebalancer acts after the heal.' },
  'WDG-INCIDENT-002': { level: 'warning', meaning: 'New evidence changed what an open incident is (e.g. a session loss turned out to be a daemon restart).', action: 'None; the new kind and summary are in the line.' },
  'WDG-INCIDENT-003': { level: 'info', meaning: 'An incident ended: its evidence stopped.', action: 'None; check the rebalance result that may follow.' },
  'WDG-DETECT-001': { level: 'warning', meaning: 'A node lost its session with the Swarm managers (heartbeat or session failures in its daemon log).', action: 'Check the network between the node and the managers; the incident line tells what it turned out to be.' },
  'WDG-DETECT-002': { level: 'info', meaning: 'A node\'s session with the managers is back.', action: 'None.' },
  'WDG-JOURNAL-007': { level: 'info', meaning: 'Where the agent starts reading the journal: after its saved cursor, or (first start) from now or the configured lookback.', action: 'None.' },
  'WDG-JOURNAL-008': { level: 'critical', meaning: 'The start-up self-check could not read the journal (journalctl failed or printed nothing, e.g. a container without the host\'s machine-id).', action: 'Mount /etc/machine-id, /var/log/journal and /run/log/journal read-only, or set journal.directory; the agent exits with 69 until then.' },
  'WDG-JOURNAL-009': { level: 'info', meaning: 'A config reload changed the journal matches, directory or command: journalctl is restarted with them, after the last entry read.', action: 'None.' },
  'WDG-JOURNAL-010': { level: 'warning', meaning: 'journalctl refused the saved cursor (malformed, or from another journal); reading resumes from the last handled entry\'s time, and entries already handled are not read twice.', action: 'None; if it repeats, check that journal.directory and the state directory belong to this node.' },
  'WDG-OPS-001': { level: 'info', meaning: 'Debug logging was switched on or off at runtime (SIGUSR2 or POST /v1/debug).', action: 'Switch it off again when done: debug traces every journal entry.' },
  'WDG-CONFIG-003': { level: 'info', meaning: 'A changed configuration was validated and applied at runtime; cursor, incidents and queues were kept.', action: 'None.' },
  'WDG-CONFIG-004': { level: 'error', meaning: 'A changed configuration was invalid and refused; the previous one stays in force and /health/status shows the config entry failing.', action: 'Fix the problems listed in the line; the next reload (timer or SIGHUP) applies the fixed file.' },
  'WDG-CONFIG-005': { level: 'warning', meaning: 'A reloaded config changed fields the agent reads only at start (node, stateDir, docker.*, journal.cursorFlush, appLogs.dockerApi, peers.service, http.*); everything else was applied.', action: 'Restart the agent (docker service update --force <stack>_agent) to apply the listed fields.' },
  'WDG-AGENT-001': { level: 'info', meaning: 'The agent is stopping (signal received); it saves its cursor and state first.', action: 'None.' },
  'WDG-REBALANCE-001': { level: 'info', meaning: 'A rebalance started: the plan and the services to move.', action: 'None; progress and results follow.' },
  'WDG-REBALANCE-002': { level: 'info', meaning: 'A service was rebalanced: tasks moved with scale-up/scale-down, never below its desired replicas.', action: 'None.' },
  'WDG-REBALANCE-003': { level: 'error', meaning: 'A service could not be rebalanced (Docker API error); it was left at its desired replica count.', action: 'Read the message; run `watchdog rebalance --dry-run` to see the plan, and retry.' },
  'WDG-REBALANCE-004': { level: 'warning', meaning: 'The rebalancer backed off a service: someone else changed or deployed it while we acted.', action: 'None; it is planned again on the next run.' },
  'WDG-REBALANCE-005': { level: 'error', meaning: 'A rebalance step timed out (new tasks did not start, or extra ones did not stop); the original replica count was restored.', action: 'Check why tasks do not start on the target node (constraints, resources, image); then retry.' },
  'WDG-REBALANCE-006': { level: 'info', meaning: 'A service that needs moves was held back by a limit (cooldown or the move budget per window).', action: 'None; it is planned again later. Raise rebalance.maxMoves or lower cooldown if needed.' },
  'WDG-REBALANCE-007': { level: 'warning', meaning: 'A rebalance interrupted by a crash was found (intent label on the service) and is being finished.', action: 'None; the service returns to its original replica count.' },
  'WDG-REBALANCE-008': { level: 'warning', meaning: '`watchdog rebalance` left a service unbalanced because it is changing right now: Swarm is still placing or stopping its tasks, an update is running, or another rebalance is under way.', action: 'Run it again once the service settles (the agent retries by itself after an incident).' },
  'WDG-REBALANCE-009': { level: 'warning', meaning: 'Someone else changed the replicas of a service while the watchdog was moving its tasks (e.g. docker service scale): their count was kept and only the watchdog\'s intent label removed.', action: 'None; check the service is where the operator wants it. The next rebalance plans from the new count.' },
  'WDG-LOG-001': { level: 'warning', meaning: 'A log code repeated more than log.floodMax times within log.floodWindow; the extra lines were not written and this line counts them (repeatedCode, count, windowMs).', action: 'Read the first lines of the repeated code for the cause; the count shows how often it happened.' },
  'WDG-LOG-002': { level: 'info', meaning: 'Log shipping over UDP (syslog or GELF) started, changed or stopped; lines that cannot be sent are dropped and counted in watchdog_log_ship_dropped_total.', action: 'None.' },
  'WDG-LOG-003': { level: 'warning', meaning: 'The log.ship host name does not resolve; shipped lines are dropped (and counted) and the name is looked up again every 30 s.', action: 'Check log.ship.host and that the log receiver is reachable by that name (stdout logging is unaffected).' },
  'WDG-SUMMARY-001': { level: 'info', meaning: 'The daily summary of log codes and incidents was built; the acting agent posts it to Slack. Counts start again for the next period.', action: 'None.' },
  'WDG-SUMMARY-002': { level: 'error', meaning: 'The daily summary could not be built or posted.', action: 'Read the message; the counts are kept and the next scheduled summary covers both periods.' },
  'WDG-INPUT-001': { level: 'error', meaning: '`watchdog diagnose`: an input has lines but not one the Docker daemon wrote in a known form (or none at all); no verdict is given on it. The message names the file, its first unreadable line and the forms known.', action: 'Check that the file is the daemon\'s log (`journalctl -u docker`, /var/log/syslog, dockerd\'s own file); pass NODE=FILE; report the line if it is dockerd\'s.' },
} as const satisfies Record<string, CodeInfo>;

export type LogCode = keyof typeof CODES;

export const CODE_PATTERN = /WDG-[A-Z]+-\d{3}/g;
