import type { ObjectDiff } from '@nexus-cos/plugin-runbook-common';
import type {
  ExecutorContext,
  ExecutorRequest,
  LiveState,
  PreparedChange,
  RunbookActionExecutor,
  RunbookTarget,
} from '@nexus-cos/plugin-runbook-node';
import { DrDrillExecutor } from '../backup/DrDrillExecutor';
import { ChecklistExecutor } from '../checklist/ChecklistExecutor';

/**
 * Sends `checklist` and `dr-drill`, which change no cluster object, to their own
 * executors and every other action to the cluster executor (built-in or from a module).
 */
export class ActionDispatcher implements RunbookActionExecutor {
  constructor(
    private readonly o: {
      cluster: RunbookActionExecutor;
      checklist: ChecklistExecutor;
      drDrill: DrDrillExecutor;
    },
  ) {}

  inspect(target: RunbookTarget): Promise<LiveState> {
    return this.o.cluster.inspect(target);
  }

  async dryRun(
    target: RunbookTarget,
    request: ExecutorRequest,
    ctx: ExecutorContext,
  ): Promise<ObjectDiff[]> {
    if (request.action === 'checklist' || request.action === 'dr-drill')
      return [];
    return this.o.cluster.dryRun(target, request, ctx);
  }

  async prepare(
    target: RunbookTarget,
    request: ExecutorRequest,
    ctx: ExecutorContext,
  ): Promise<PreparedChange> {
    if (request.action === 'checklist') return this.o.checklist.prepared();
    if (request.action === 'dr-drill') return this.o.drDrill.prepared(target);
    return this.o.cluster.prepare(target, request, ctx);
  }

  async apply(
    target: RunbookTarget,
    request: ExecutorRequest,
    prepared: PreparedChange,
    ctx: ExecutorContext,
  ): Promise<void> {
    if (request.action === 'checklist' || request.action === 'dr-drill') return;
    await this.o.cluster.apply(target, request, prepared, ctx);
  }

  async converge(
    target: RunbookTarget,
    request: ExecutorRequest,
    prepared: PreparedChange,
    ctx: ExecutorContext,
  ): Promise<Record<string, unknown>> {
    if (request.action === 'checklist')
      return this.o.checklist.check(target, request.input, ctx);
    if (request.action === 'dr-drill')
      return this.o.drDrill.drill(target, request.input, ctx);
    return this.o.cluster.converge(target, request, prepared, ctx);
  }

  undo(
    target: RunbookTarget,
    prepared: PreparedChange,
    ctx: ExecutorContext,
  ): Promise<void> {
    return this.o.cluster.undo(target, prepared, ctx);
  }
}
