// The rebalance stage: snapshot in, plan out. Pure; the CLI and the executor call these.
export type { ClusterSnapshot, ApiNode, ApiService, ApiTask } from './snapshot.js';
export type { Placement, Move, Step, ServicePlan, Plan, PlanOptions } from './types.js';
export { readCluster, type Cluster } from './cluster.js';
export { planRebalance, planRebalanceInSlices, planTargets } from './planner.js';
export { planToJson, formatPlan, type PlanJson } from './format.js';
export { stepsFor, simulateStep, type StepsResult, type StepOutcome } from './steps.js';
export { predictScaleUp, type ScaleUpPrediction } from './scale-up.js';
export { predictScaleDown, type ScaleDownPrediction } from './scale-down.js';
export { serviceView, findService, placementOf, type ServiceView, type SlotTask } from './service-view.js';
export { INTENT_LABEL, REBALANCE_LABEL } from './service-state.js';
