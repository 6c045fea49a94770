import type {
  Run,
  RunApproval,
  RunLogEntry,
  RunRequest,
  RunStatus,
  StartRunResult,
} from '@nexus-cos/plugin-runbook-common';
import type { RunOperationClient } from '../actions/runOperation';

/** One thing the engine does between two polls: log lines, then maybe a new status. */
export type FakeRunStep = {
  log?: Array<[RunLogEntry['level'], string]>;
  status?: RunStatus;
  error?: string;
  after?: Record<string, unknown>;
  result?: Record<string, unknown>;
  approval?: RunApproval;
};

/**
 * An in-memory runbook engine for action tests. Each run plays `steps`, one per `getRun`;
 * a cancel ends the run `cancelled` at the next poll. The log is served two entries at a
 * time, as a paging server would.
 */
export class FakeRunbookClient implements RunOperationClient {
  readonly started: Array<{
    entityRef: string;
    request: Omit<RunRequest, 'dryRun'>;
    idempotencyKey?: string;
  }> = [];
  readonly cancelled: string[] = [];
  /** Called before each `getRun` answers, with how many polls came before. */
  onPoll?: (poll: number) => void;
  /** Set to make `startRun` fail, as the backend would with an error answer. */
  startError?: Error;
  #polls = 0;
  readonly #runs = new Map<
    string,
    { run: Run; log: RunLogEntry[]; steps: FakeRunStep[]; key?: string }
  >();

  constructor(private readonly steps: FakeRunStep[]) {}

  async startRun(
    entityRef: Parameters<RunOperationClient['startRun']>[0],
    request: Omit<RunRequest, 'dryRun'>,
    options?: { idempotencyKey?: string; initiator?: string },
  ): Promise<StartRunResult> {
    if (this.startError) throw this.startError;
    const ref = String(entityRef);
    this.started.push({ entityRef: ref, request, ...options });
    const earlier = [...this.#runs.values()].find(
      r => r.key !== undefined && r.key === options?.idempotencyKey,
    );
    if (earlier) return { run: { ...earlier.run }, replayed: true };
    const run: Run = {
      id: `run-${this.#runs.size + 1}`,
      entityRef: ref,
      action: request.action,
      input: request.input,
      status: 'pending',
      actor: 'user:default/mock',
      createdAt: new Date(0).toISOString(),
    };
    this.#runs.set(run.id, {
      run,
      log: [],
      steps: [...this.steps],
      key: options?.idempotencyKey,
    });
    return { run: { ...run }, replayed: false };
  }

  async getRun(id: string): Promise<Run> {
    this.onPoll?.(this.#polls++);
    const state = this.#state(id);
    if (state.run.cancelRequested && state.run.status !== 'cancelled') {
      this.#append(state, 'warn', 'Cancelled: rolled back');
      state.run.status = 'cancelled';
    } else {
      const step = state.steps.shift();
      for (const [level, message] of step?.log ?? []) {
        this.#append(state, level, message);
      }
      Object.assign(
        state.run,
        Object.fromEntries(
          Object.entries({
            status: step?.status,
            error: step?.error,
            after: step?.after,
            result: step?.result,
            approval: step?.approval,
          }).filter(([, v]) => v !== undefined),
        ),
      );
    }
    return { ...state.run };
  }

  async getRunLog(id: string, options?: { after?: number }) {
    const items = this.#state(id).log.filter(
      e => e.seq > (options?.after ?? 0),
    );
    return { items: items.slice(0, 2) };
  }

  async cancelRun(id: string): Promise<Run> {
    this.cancelled.push(id);
    const state = this.#state(id);
    state.run.cancelRequested = true;
    return { ...state.run };
  }

  #state(id: string) {
    const state = this.#runs.get(id);
    if (!state) throw new Error(`no run ${id}`);
    return state;
  }

  #append(
    state: { log: RunLogEntry[] },
    level: RunLogEntry['level'],
    message: string,
  ) {
    state.log.push({
      seq: state.log.length + 1,
      at: new Date(0).toISOString(),
      level,
      message,
    });
  }
}
