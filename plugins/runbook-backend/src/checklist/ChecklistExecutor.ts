import {
  ChecklistEvidence,
  ChecklistItemEvidence,
  RunbookActionInput,
} from '@nexus-cos/plugin-runbook-common';
import {
  ExecutorContext,
  RunbookTarget,
  RunReportError,
} from '@nexus-cos/plugin-runbook-node';
import {
  KubernetesClients,
  apiErrorMessage,
} from '../kubernetes/KubernetesClients';
import { colourState, readSnapshot } from '../kubernetes/snapshot';
import { checkSurgeCapacity } from './capacity';
import { MaintenanceWindow, checkMaintenanceWindow } from './maintenanceWindow';

type Input = RunbookActionInput<'checklist'>;

/**
 * The runbook's pre-deployment checklist as a gate. It reads the cluster and changes
 * nothing: what can be verified is verified, the rest is taken as the person's
 * confirmation, and every item ends up in the run's evidence.
 */
export class ChecklistExecutor {
  constructor(
    private readonly o: {
      clients: KubernetesClients;
      maintenanceWindows?: MaintenanceWindow[];
      now?: () => Date;
    },
  ) {}

  async check(
    target: RunbookTarget,
    input: Input,
    ctx: ExecutorContext,
  ): Promise<ChecklistEvidence> {
    const at = (this.o.now ?? (() => new Date()))();
    const confirmed = (item: ChecklistItemEvidence['item'], what: string) => {
      const ok = input.confirmations.includes(item);
      return {
        item,
        satisfied: ok,
        how: 'confirmed' as const,
        detail: ok ? `Confirmed: ${what}` : `Not confirmed: ${what}`,
      };
    };
    const verified = async (
      item: ChecklistItemEvidence['item'],
      check: () => Promise<{ ok: boolean; detail: string }>,
    ): Promise<ChecklistItemEvidence> => {
      let result;
      try {
        result = await check();
      } catch (error) {
        result = {
          ok: false,
          detail: `Could not be checked: ${apiErrorMessage(error)}`,
        };
      }
      await ctx.log(`${item}: ${result.ok ? 'ok' : 'NOT satisfied'}`);
      return {
        item,
        satisfied: result.ok,
        how: 'verified',
        detail: result.detail,
      };
    };

    const c = this.o.clients.for(target.cluster);
    const items: ChecklistItemEvidence[] = [
      confirmed(
        'review-change-request',
        input.changeRequest
          ? `change request ${input.changeRequest} was reviewed`
          : 'the change request was reviewed',
      ),
      await verified('verify-staging-deployment', () =>
        this.#staging(target, input),
      ),
      await verified('check-resource-availability', async () => {
        const live = await readSnapshot(c, target);
        const r = await checkSurgeCapacity(c, target.namespace, live.live);
        return { ok: r.fits, detail: r.detail };
      }),
      confirmed('notify-stakeholders', 'the stakeholders were notified'),
      await verified('prepare-rollback-plan', async () => {
        const live = await readSnapshot(c, target);
        const current = Math.max(0, ...live.revisions.keys());
        const image = colourState(
          live.live,
          live.liveColour,
          target.service,
        ).image;
        return current
          ? {
              ok: true,
              detail: `${live.live.metadata.name} is at revision ${current} (${image}), which a failed deploy rolls back to`,
            }
          : {
              ok: false,
              detail: `${live.live.metadata.name} has no rollout revision to roll back to`,
            };
      }),
      await verified('schedule-maintenance-window', async () => {
        const r = checkMaintenanceWindow(this.o.maintenanceWindows, at);
        return { ok: r.inside, detail: r.detail };
      }),
    ];
    const evidence: ChecklistEvidence = {
      kind: 'checklist',
      verdict: items.every(i => i.satisfied) ? 'pass' : 'fail',
      checkedAt: at.toISOString(),
      ...(input.changeRequest ? { changeRequest: input.changeRequest } : {}),
      ...(input.rollbackPlan ? { rollbackPlan: input.rollbackPlan } : {}),
      items,
    };
    if (evidence.verdict === 'fail') {
      const missing = items
        .filter(i => !i.satisfied)
        .map(i => `${i.item}: ${i.detail}`);
      throw new RunReportError(
        `The pre-deployment checklist is not satisfied:\n- ${missing.join(
          '\n- ',
        )}`,
        evidence,
      );
    }
    return evidence;
  }

  async #staging(target: RunbookTarget, input: Input) {
    const inCatalog = `${target.entityRef} is in the catalog`;
    if (!target.stagingNamespace) {
      return {
        ok: false,
        detail: `${inCatalog} but has no nexus-cos.io/staging-namespace annotation`,
      };
    }
    const staging = await readSnapshot(this.o.clients.for(target.cluster), {
      ...target,
      namespace: target.stagingNamespace,
    });
    const state = colourState(staging.live, staging.liveColour, target.service);
    const where = `staging ${target.stagingNamespace} runs ${state.image} with ${state.readyReplicas}/${state.replicas} replicas ready`;
    const healthy = state.replicas > 0 && state.readyReplicas >= state.replicas;
    if (!healthy)
      return { ok: false, detail: `${inCatalog}; ${where}: not healthy` };
    if (!input.image) {
      return {
        ok: true,
        detail: `${inCatalog}; ${where}; no image was given, so it was not compared`,
      };
    }
    return input.image === state.image
      ? { ok: true, detail: `${inCatalog}; ${where}, the image to deploy` }
      : { ok: false, detail: `${inCatalog}; ${where}, not ${input.image}` };
  }
}
