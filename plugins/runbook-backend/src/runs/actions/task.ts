import type {
  ObjectDiff,
  RunbookActionName,
} from '@nexus-cos/plugin-runbook-common';
import type {
  ActionOutcome,
  ExecutorContext,
  PreparedChange,
  RunbookActionExecutor,
  RunbookTarget,
} from '@nexus-cos/plugin-runbook-node';
import type { RunbookActionInput } from '@nexus-cos/plugin-runbook-common';

/** An action that changes no cluster object: one step that produces its outcome. */
export type Task<A extends RunbookActionName> = Pick<
  RunbookActionExecutor<A>,
  'refusal' | 'inputRefusal'
> & {
  /** What the run records as `before`; nothing by default. */
  prepare?(target: RunbookTarget): PreparedChange;
  /** What the task would change, described as objects; nothing by default. */
  dryRun?(
    target: RunbookTarget,
    input: RunbookActionInput<A>,
  ): Promise<ObjectDiff[]>;
  run(
    target: RunbookTarget,
    input: RunbookActionInput<A>,
    ctx: ExecutorContext,
  ): Promise<ActionOutcome>;
};

/** The executor of a task: no apply, nothing to undo; its dry run describes what it would do. */
export function task<A extends RunbookActionName>(
  t: Task<A>,
): RunbookActionExecutor<A> {
  return {
    refusal: t.refusal,
    inputRefusal: t.inputRefusal,
    dryRun: async (target, input) => (await t.dryRun?.(target, input)) ?? [],
    prepare: async target =>
      t.prepare?.(target) ?? { before: {}, undo: null, plan: {} },
    apply: async () => {},
    converge: (target, input, _prepared, ctx) => t.run(target, input, ctx),
    undo: async () => {},
  };
}
