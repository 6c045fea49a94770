import type { DrDrillReport } from '@nexus-cos/plugin-runbook-common';
import type { RunbookMaintenanceCheck } from '@nexus-cos/plugin-runbook-node';
import type { DrTargetConfig } from '../../backup/config';
import type { RunStore } from '../../runs/RunStore';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The runbook's monthly "Review and test disaster recovery": each DR target passed a
 * drill within `maxAgeDays`, as the history of `dr-drill` runs shows.
 */
export function drillRecencyCheck(o: {
  targets: Map<string, DrTargetConfig>;
  runs: RunStore;
  maxAgeDays: number;
}): RunbookMaintenanceCheck {
  return {
    id: 'dr-drill-recency',
    title: 'Review and test disaster recovery',
    period: 'monthly',
    async run({ now }) {
      const drills = await o.runs.endedAs('dr-drill', 'succeeded', 500);
      const targets = [...o.targets.keys()].map(name => {
        const last = drills.find(
          d =>
            d.target.service === name &&
            d.finishedAt &&
            Date.parse(d.finishedAt) <= now.getTime(),
        );
        if (!last) {
          return { target: name, ok: false, problem: 'never drilled' };
        }
        const report = last.after as DrDrillReport | undefined;
        const ageDays =
          Math.round(
            ((now.getTime() - Date.parse(last.finishedAt!)) / DAY_MS) * 10,
          ) / 10;
        return {
          target: name,
          ok: ageDays <= o.maxAgeDays,
          lastDrillAt: last.finishedAt,
          ageDays,
          runId: last.id,
          by: last.actor,
          ...(report?.rtoSeconds !== undefined
            ? { rtoSeconds: report.rtoSeconds }
            : {}),
          ...(report?.rpoSeconds !== undefined
            ? { rpoSeconds: report.rpoSeconds }
            : {}),
          ...(ageDays > o.maxAgeDays
            ? {
                problem: `last drill ${ageDays} days ago, more than ${o.maxAgeDays}`,
              }
            : {}),
        };
      });
      const late = targets.filter(t => !t.ok);
      if (!targets.length) {
        return {
          status: 'warn',
          summary: 'No DR targets configured',
          evidence: { maxAgeDays: o.maxAgeDays, targets },
        };
      }
      return {
        status: late.length ? 'fail' : 'ok',
        summary: late.length
          ? late.map(t => `${t.target}: ${t.problem}`).join('; ')
          : `Every DR target drilled within ${o.maxAgeDays} days`,
        evidence: { maxAgeDays: o.maxAgeDays, targets },
      };
    },
  };
}
