import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { LabelCap } from './label-cap.js';

/** Application log codes with a series of their own; the rest are counted as code="other". */
export const MAX_CODE_SERIES = 200;

/** The agent's Prometheus metrics, on a registry of its own (tests make as many as they like). */
export class Metrics {
  readonly registry = new Registry();
  readonly journalEntries = new Counter({ name: 'watchdog_journal_entries_total', help: 'Daemon journal entries handled, by node', labelNames: ['node'], registers: [this.registry] });
  readonly journalLag = new Gauge({ name: 'watchdog_journal_lag_seconds', help: 'Age of the newest journal entry handled when it was handled', registers: [this.registry] });
  readonly parseRaw = new Counter({ name: 'watchdog_journal_unparsed_total', help: 'Daemon lines kept as raw text (neither logrus text nor JSON)', registers: [this.registry] });
  readonly signals = new Counter({ name: 'watchdog_signals_total', help: 'Signals produced by the detection rules, by kind', labelNames: ['kind'], registers: [this.registry] });
  readonly incidents = new Counter({ name: 'watchdog_incidents_total', help: 'Incidents opened, by kind', labelNames: ['kind'], registers: [this.registry] });
  readonly incidentsOpen = new Gauge({ name: 'watchdog_incidents_open', help: 'Incidents open now, by kind (0 once they ended)', labelNames: ['kind'], registers: [this.registry] });
  readonly massReconnects = new Counter({ name: 'watchdog_mass_reconnects_total', help: 'Mass reconnects of application tasks detected', registers: [this.registry] });
  readonly appCodes = new Counter({ name: 'watchdog_app_log_codes_total', help: `Application log codes seen; past ${MAX_CODE_SERIES} distinct codes, new ones count as code="other"`, labelNames: ['code'], registers: [this.registry] });
  readonly appCodesFolded = new Counter({ name: 'watchdog_app_log_codes_folded_total', help: 'Distinct application log codes that got no series of their own (counted under code="other")', registers: [this.registry] });
  private readonly codeSeries: LabelCap;
  readonly rebalanceMoves = new Counter({ name: 'watchdog_rebalance_moves_total', help: 'Tasks moved by the rebalancer', registers: [this.registry] });
  readonly rebalanceFailures = new Counter({ name: 'watchdog_rebalance_failures_total', help: 'Service rebalances that failed or were rolled back', registers: [this.registry] });
  readonly alertsDelivered = new Counter({ name: 'watchdog_alerts_delivered_total', help: 'Slack messages delivered, by webhook', labelNames: ['webhook'], registers: [this.registry] });
  readonly alertsDropped = new Counter({ name: 'watchdog_alerts_dropped_total', help: 'Slack messages dropped after retries or queue overflow, by webhook', labelNames: ['webhook'], registers: [this.registry] });
  readonly configReloads = new Counter({ name: 'watchdog_config_reloads_total', help: 'Config reloads, by result', labelNames: ['result'], registers: [this.registry] });
  readonly peerEvidenceDropped = new Counter({ name: 'watchdog_peer_evidence_dropped_total', help: 'Peer evidence items dropped as unknown or malformed (a newer or broken peer), by peer node', labelNames: ['peer'], registers: [this.registry] });
  readonly logShipDropped = new Counter({ name: 'watchdog_log_ship_dropped_total', help: 'Log lines not shipped over UDP', registers: [this.registry] });

  constructor(maxCodeSeries = MAX_CODE_SERIES) {
    this.codeSeries = new LabelCap(maxCodeSeries);
    collectDefaultMetrics({ register: this.registry, prefix: 'watchdog_' });
  }

  /** One application log code, under a bounded label set. */
  countAppCode(code: string): void {
    const { label, folded } = this.codeSeries.label(code);
    this.appCodes.inc({ code: label });
    if (folded) this.appCodesFolded.inc();
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
