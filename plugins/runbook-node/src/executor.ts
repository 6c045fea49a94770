import type {
  ActionLimits,
  ObjectDiff,
  RunbookActionName,
  RunbookActionInput,
  RunStatus,
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
  /** Whether the live Deployment's rollout is paused (`spec.paused`). */
  paused: boolean;
};

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
  /**
   * Keeps a report as the run's `result` however the run ends, e.g. the samples of an
   * analysis that made it roll back.
   */
  report(result: Record<string, unknown>): void;
  /** The run being executed and who asked for it; absent in a dry run. */
  run?: { id: string; actor: string };
};

/** What an action leaves behind: the state after it, and any report it made. @public */
export type ActionOutcome = {
  /** A short summary of the live state after the action, for the run and the audit. */
  after?: Record<string, unknown>;
  /** A report the action produced (a diagnosis, a verification), kept as the run's `result`. */
  result?: Record<string, unknown>;
};

/** What the engine knows when it asks whether an action may run now. @public */
export type RefusalContext = {
  /** The live state of the service; undefined for targets without a workload. */
  live?: LiveState;
  /** The entity's newest run among the actions of this action's family. */
  lastRunOfFamily?: { action: RunbookActionName; status: RunStatus };
  /** Where the action would act. */
  target?: RunbookTarget;
};

/**
 * An input made ready to be recorded: what `stage` put in the cluster is referred to,
 * never included. `discard` removes it again when the run is not recorded after all
 * (a held lock, an idempotent replay).
 * @public
 */
export type StagedInput = {
  input: Record<string, unknown>;
  discard(): Promise<void>;
};

/**
 * Carries out one runbook action. The engine calls, in order: `prepare` (read and
 * refuse early, no change), `apply` (make the change), `converge` (wait until it took, or
 * throw) and, on failure or cancel, `undo`. `undo` must be idempotent and safe to call
 * when `apply` never ran.
 * @public
 */
export interface RunbookActionExecutor<
  A extends RunbookActionName = RunbookActionName,
> {
  /** Why the live state does not allow the action now, whatever its input (409). */
  refusal?(ctx: RefusalContext): string | undefined;
  /**
   * Why the input names something the live state does not have (400): a pod that is
   * not the service's, a backup that is not the target's.
   */
  inputRefusal?(
    input: RunbookActionInput<A>,
    live: LiveState | undefined,
    target: RunbookTarget,
  ): string | undefined | Promise<string | undefined>;
  /**
   * Called before the run is recorded, with the input as requested: it checks the input
   * against the cluster (throwing `InputError` for a 400) and moves the values of the
   * action's secret fields out of the input, into the cluster, leaving a reference the
   * executor reads back. The engine records, executes and audits the returned input;
   * without `stage`, secret fields are dropped before the run is recorded.
   */
  stage?(
    target: RunbookTarget,
    input: RunbookActionInput<A>,
  ): Promise<StagedInput>;
  /** What would change: the live objects against the API server's dry-run answer. */
  dryRun(
    target: RunbookTarget,
    input: RunbookActionInput<A>,
    ctx: ExecutorContext,
  ): Promise<ObjectDiff[]>;
  prepare(
    target: RunbookTarget,
    input: RunbookActionInput<A>,
    ctx: ExecutorContext,
  ): Promise<PreparedChange>;
  apply(
    target: RunbookTarget,
    input: RunbookActionInput<A>,
    prepared: PreparedChange,
    ctx: ExecutorContext,
  ): Promise<void>;
  /** Waits for the change to converge, or throws. */
  converge(
    target: RunbookTarget,
    input: RunbookActionInput<A>,
    prepared: PreparedChange,
    ctx: ExecutorContext,
  ): Promise<ActionOutcome>;
  undo(
    target: RunbookTarget,
    prepared: PreparedChange,
    ctx: ExecutorContext,
  ): Promise<void>;
}

/** One executor per action; the compiler reports a missing one. @public */
export type RunbookActionExecutors = {
  [A in RunbookActionName]: RunbookActionExecutor<A>;
};

/**
 * Thrown by an action that changes nothing when its check fails: the run fails with
 * `report` as its `after` (or, for `as: 'result'`, its `result`), and there is nothing
 * to undo.
 * @public
 */
export class RunReportError extends Error {
  name = 'RunReportError';
  constructor(
    message: string,
    readonly report: Record<string, unknown>,
    readonly as: 'after' | 'result' = 'after',
  ) {
    super(message);
  }
}
