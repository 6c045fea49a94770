import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import { ConflictError, NotFoundError } from '@backstage/errors';
import type {
  Run,
  RunbookActionName,
  RunLogEntry,
} from '@nexus-cos/plugin-runbook-common';
import type { ApprovalService } from '../approvals/ApprovalService';
import { toApiRun } from './apiRun';
import type { RunbookResolver } from './RunbookResolver';
import type { RunPermissions } from './RunPermissions';
import type { RunStore, StoredRun } from './RunStore';
import type { RunWorker } from './RunWorker';

/** Reading runs and their logs, and cancelling them. */
export class RunService {
  constructor(
    private readonly o: {
      resolver: RunbookResolver;
      permissions: RunPermissions;
      runs: RunStore;
      worker: RunWorker;
      approvals: ApprovalService;
    },
  ) {}

  async getRun(id: string, credentials: BackstageCredentials): Promise<Run> {
    await this.o.permissions.requireRead(credentials);
    return toApiRun(await this.#run(id));
  }

  async getLog(
    id: string,
    after: number,
    credentials: BackstageCredentials,
  ): Promise<RunLogEntry[]> {
    await this.o.permissions.requireRead(credentials);
    await this.#run(id);
    return this.o.runs.log(id, after);
  }

  async listRuns(
    ref: CompoundEntityRef,
    limit: number,
    credentials: BackstageCredentials,
    action?: RunbookActionName,
  ): Promise<Run[]> {
    await this.o.permissions.requireRead(credentials);
    const resolved = await this.o.resolver.resolve(ref, credentials);
    return (
      await this.o.runs.listForEntity(resolved.target.entityRef, limit, action)
    ).map(toApiRun);
  }

  /**
   * Asks a run to stop. Whoever may change its entity may cancel it; a run awaiting
   * approval is withdrawn at once, as nothing of it has run.
   */
  async cancel(id: string, credentials: BackstageCredentials): Promise<Run> {
    const run = await this.#run(id);
    await this.o.permissions.requireChange(
      { entityRef: run.entityRef, action: run.action, runId: run.id },
      credentials,
      'cancel',
    );
    if (run.finishedAt) {
      throw new ConflictError(`Run ${id} has already ended (${run.status})`);
    }
    if (run.status === 'awaiting-approval') {
      await this.o.approvals.withdraw(run, credentials);
      return toApiRun((await this.o.runs.get(id))!);
    }
    await this.o.runs.requestCancel(id);
    this.o.worker.cancelLocal(id);
    return toApiRun((await this.o.runs.get(id))!);
  }

  async #run(id: string): Promise<StoredRun> {
    const run = await this.o.runs.get(id);
    if (!run) throw new NotFoundError(`No run ${id}`);
    return run;
  }
}
