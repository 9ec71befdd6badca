// Health of each dependency, in the seed's format: [{"Name","Status","StatusTime"}]; 503 when any is failing.

/** LAGGING works but late (the journal reader is behind): not failing. The others but OK are failing. */
export type HealthStatus = 'OK' | 'TIMEOUT' | 'ERROR' | 'LAGGING' | 'UNREACHABLE';

export interface HealthEntry {
  Name: string;
  Status: HealthStatus;
  StatusTime: string;
  Detail?: string;
}

export class Health {
  private readonly entries = new Map<string, HealthEntry>();

  /** `redact` is the logs' (Redactor.redact): /health/status is unauthenticated, a Detail may quote a URL. */
  constructor(private readonly redact: (text: string) => string = (text) => text) {}

  /** Records a dependency's status; StatusTime changes only when the status does. */
  set(name: string, status: HealthStatus, now: number, detail?: string): void {
    const prev = this.entries.get(name);
    const since = prev && prev.Status === status ? prev.StatusTime : new Date(now).toISOString();
    this.entries.set(name, { Name: name, Status: status, StatusTime: since, ...(detail ? { Detail: detail } : {}) });
  }

  remove(name: string): void {
    this.entries.delete(name);
  }

  report(): HealthEntry[] {
    return [...this.entries.values()]
      .map((e) => (e.Detail ? { ...e, Detail: this.redact(e.Detail) } : e)) // at read time: the current secrets apply
      .sort((a, b) => a.Name.localeCompare(b.Name));
  }

  /** Nothing failing: every dependency OK or LAGGING. */
  ok(): boolean {
    return this.report().every((e) => e.Status === 'OK' || e.Status === 'LAGGING');
  }
}
