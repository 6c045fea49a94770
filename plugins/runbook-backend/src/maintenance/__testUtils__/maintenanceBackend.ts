import { createBackendModule } from '@backstage/backend-plugin-api';
import { runbookMaintenanceCheckExtensionPoint } from '@nexus-cos/plugin-runbook-node';

/** A module adding a check that records each time it runs, and on which backend. */
export function countingCheck(
  backend: string,
  runs: Array<{ backend: string; now: Date; from: Date }>,
) {
  return createBackendModule({
    pluginId: 'runbook',
    moduleId: `counting-check-${backend}`,
    register(env) {
      env.registerInit({
        deps: { checks: runbookMaintenanceCheckExtensionPoint },
        async init({ checks }) {
          checks.addCheck({
            id: 'counting',
            title: 'Counting check',
            period: 'daily',
            async run(ctx) {
              runs.push({ backend, now: ctx.now, from: ctx.period.from });
              return {
                status: 'warn',
                summary: `run ${runs.length}`,
                evidence: { backend, run: runs.length },
              };
            },
          });
        },
      });
    },
  });
}
