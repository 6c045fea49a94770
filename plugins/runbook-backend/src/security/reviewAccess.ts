import {
  FINDING_SEVERITIES,
  FindingSeverity,
} from '@nexus-cos/plugin-runbook-common';
import type { RunbookActionExecutor } from '@nexus-cos/plugin-runbook-node';
import { task } from '../runs/actions/task';
import { accessReport } from './access';
import type { AccessReviewStore } from './AccessReviewStore';
import type { SecurityInventory } from './SecurityInventory';

/**
 * `review-access`: the "reviewed" mark of the service's namespace, by the person who
 * ran it, with the findings they saw. The engine audits it like any run.
 */
export function reviewAccess(deps: {
  reviews: AccessReviewStore;
  inventory: SecurityInventory;
  reviewMaxAgeDays: number;
}): RunbookActionExecutor<'review-access'> {
  return task({
    run: async (target, input, ctx) => {
      const snapshot = await deps.inventory.current();
      const report = accessReport(
        snapshot,
        target.namespace,
        undefined,
        deps.reviewMaxAgeDays,
        Date.now(),
      );
      const findings = Object.fromEntries(
        FINDING_SEVERITIES.map(s => [
          s,
          report.findings.filter(f => f.severity === s).length,
        ]),
      ) as Record<FindingSeverity, number>;
      const at = Date.now();
      await deps.reviews.add({
        cluster: target.cluster,
        namespace: target.namespace,
        entityRef: target.entityRef,
        by: ctx.run?.actor ?? 'unknown',
        at,
        note: input.note,
        runId: ctx.run?.id,
      });
      await ctx.log(
        `Access of ${target.namespace} marked reviewed (${report.subjects.length} subjects, ${report.findings.length} findings)`,
      );
      const reviewedAt = new Date(at).toISOString();
      return {
        after: { namespace: target.namespace, reviewedAt },
        result: {
          namespace: target.namespace,
          reviewedAt,
          subjects: report.subjects.length,
          findings,
        },
      };
    },
  });
}
