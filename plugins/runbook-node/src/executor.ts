import type {
  ActionLimits,
  ObjectDiff,
  RunbookActionName,
  RunbookActionInput,
} from '@nexus-cos/plugin-runbook-common';

/** Where a runbook acts: one service in one namespace of one cluster. @public */
export type RunbookTarget = {
  entityRef: string;
  cluster: string;
  namespace: string;
  /**
   * `backstage.io/kubernetes-id`: the Service and blue Deployment name; for a DR-target
   * Resource, the name of its target in `runbook.drTargets`.
   */
  service: string;
  /** `nexus-cos.io/staging-namespace`, where the checklist looks for the staged release. */
  stagingNamespace?: string;
};

/** One colour's Deployment as the executor last saw it. @public */
export type ColourState = {
  colour: 'blue' | 'green';
  deployment: string;
  replicas: number;
  readyReplicas: number;
  image?: string;
};

/** The live state that runbook resolution reports and the engine checks. @public */
export type LiveState = {
  live: ColourState;
  /** The other colour's Deployment, when it exists. */
  idle?: ColourState;
  /** Whether an HPA targets the live Deployment (scale would fight it). */
  autoscaled: boolean;
  /** Replica count remembered by `stop`, if the live Deployment is stopped. */
  stoppedReplicas?: number;
  /** Rollout revisions of the live Deployment that `rollback` can return to. */
  revisions: number[];
  /** Names of the service's pods (both colours). */
  pods: string[];
};

/** A typed action request as the executor receives it. @public */
export type ExecutorRequest = {
  [A in RunbookActionName]: { action: A; input: RunbookActionInput<A> };
}[RunbookActionName];

/**
 * What `prepare` found out before anything changed. The engine stores it with the run, so
 * that `undo` can restore the earlier state later, also from another backend process.
 * @public
 */
export type PreparedChange = {
  /** Summary of the live state before the change, for the audit trail. */
  before: Record<string, unknown>;
  /** Everything `undo` needs; `null` when the action cannot be undone. */
  undo: Record<string, unknown> | null;
  /** The executor's own record of what `apply` and `converge` will do. */
  plan: Record<string, unknown>;
};

/** Given to an executor's steps by the engine. @public */
export type ExecutorContext = {
  limits: ActionLimits;
  /** Aborted when the run is cancelled or its deadline passes. */
  signal: AbortSignal;
  /** Appends to the run's step log (never put secrets here). */
  log(message: string, level?: 'info' | 'warn' | 'error'): Promise<void>;
};

/**
 * Carries out runbook actions on a cluster. The engine calls, in order: `prepare`
 * (read and refuse early, no change), `apply` (make the change), `converge` (wait until
 * it took, or throw) and, on failure or cancel, `undo`. `undo` must be idempotent and safe
 * to call when `apply` never ran.
 * @public
 */
export interface RunbookActionExecutor {
  inspect(target: RunbookTarget): Promise<LiveState>;
  /** The diff between live objects and the API server's dry-run answer. */
  dryRun(
    target: RunbookTarget,
    request: ExecutorRequest,
    ctx: ExecutorContext,
  ): Promise<ObjectDiff[]>;
  prepare(
    target: RunbookTarget,
    request: ExecutorRequest,
    ctx: ExecutorContext,
  ): Promise<PreparedChange>;
  apply(
    target: RunbookTarget,
    request: ExecutorRequest,
    prepared: PreparedChange,
    ctx: ExecutorContext,
  ): Promise<void>;
  /** Waits for the change to converge; resolves to a summary of the state after it. */
  converge(
    target: RunbookTarget,
    request: ExecutorRequest,
    prepared: PreparedChange,
    ctx: ExecutorContext,
  ): Promise<Record<string, unknown>>;
  undo(
    target: RunbookTarget,
    prepared: PreparedChange,
    ctx: ExecutorContext,
  ): Promise<void>;
}

/**
 * Thrown by an action that changes nothing when its check fails: the run fails with
 * `report` as its `after`, and there is nothing to undo.
 * @public
 */
export class RunReportError extends Error {
  name = 'RunReportError';
  constructor(message: string, readonly report: Record<string, unknown>) {
    super(message);
  }
}
