// The plan: plain data, node IDs throughout; hostnames only for display.

/** Running tasks per node ID; nodes with none are left out. */
export type Placement = Record<string, number>;

export interface Move {
  from: string;
  to: string;
  count: number;
}

/**
 * Scale the service up by k (to `replicas`), wait until the new tasks run, then scale back down by k.
 * `after` is the placement Swarm is predicted to leave. `sure` is false when Swarm breaks a tie in an
 * order we cannot know (map order, more than 12 tasks): compare with the real placement and re-plan.
 */
export interface Step {
  kind: 'scale';
  k: number;
  replicas: number;
  /** Predicted running tasks per node once the k new tasks run: check before scaling down. */
  during: Placement;
  after: Placement;
  sure: boolean;
}

export interface ServicePlan {
  serviceId: string;
  serviceName: string;
  /** Desired replicas (0 for global services and jobs). */
  replicas: number;
  before: Placement;
  after: Placement;
  moves: Move[];
  /** How to get from before to after; empty when skipped. */
  steps: Step[];
  /** Why the service is left alone, or null when it is to be moved. */
  skipped: string | null;
  /** Skipped because it is changing right now (settling, an update, a move): a later run may move it. */
  busy?: true;
}

export interface Plan {
  /** options.now, when given: when the snapshot was planned. */
  at: number | null;
  services: ServicePlan[];
  /** Node ID → hostname for display (made unique when two nodes share a hostname). */
  hostnames: Record<string, string>;
  /** Names or IDs in options.services that match no service. */
  notFound: string[];
  /** Snapshot entries that could not be read. */
  warnings: string[];
}

export interface PlanOptions {
  /** Service names or IDs to consider; all services when absent. */
  services?: string[];
  now?: number;
}
