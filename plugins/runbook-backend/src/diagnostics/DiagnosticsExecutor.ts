import type { AuthService } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  DiagnosticCheck,
  DiagnosticsReport,
  RunbookActionInput,
  worstDiagnosticStatus,
} from '@nexus-cos/plugin-runbook-common';
import {
  ExecutorContext,
  RunbookTarget,
  RunReportError,
} from '@nexus-cos/plugin-runbook-node';
import { redactText } from '../audit/redact';
import type { HealthService } from '../health/HealthService';
import {
  KubernetesClients,
  apiErrorMessage,
} from '../kubernetes/KubernetesClients';
import { autoscalerCheck } from './checks/autoscaler';
import { CheckContext } from './checks/context';
import { dependenciesOf, dependencyCheck } from './checks/dependencies';
import { errorLogsCheck } from './checks/errorLogs';
import { metricsCheck } from './checks/metrics';
import { resourcesCheck } from './checks/resources';
import { workloadCheck } from './checks/workload';

/** Default window of the error-log check. */
const DEFAULT_LOG_MINUTES = 60;

/** A check that could not run: the run then fails, with the checks that did. */
class CheckNotRun extends Error {}

/**
 * The runbook's `diagnostics.sh` and troubleshooting guide as one read-only run: the
 * service's pods, resources, error logs and autoscaler, each dependency, and its golden
 * signals. The report is the run's `result`; the run succeeds when every check ran,
 * whatever they found.
 */
export class DiagnosticsExecutor {
  constructor(
    private readonly o: {
      clients: KubernetesClients;
      catalog: CatalogService;
      auth: AuthService;
      health: HealthService;
      connections: Map<string, string>;
      /** Per connection attempt to a dependency. */
      timeoutMs: number;
      now?: () => Date;
    },
  ) {}

  async diagnose(
    target: RunbookTarget,
    input: RunbookActionInput<'diagnostics'>,
    ctx: ExecutorContext,
  ): Promise<DiagnosticsReport> {
    const now = (this.o.now ?? (() => new Date()))();
    const credentials = await this.o.auth.getOwnServiceCredentials();
    const checkContext: CheckContext = {
      target,
      cluster: this.o.clients.for(target.cluster),
      now,
      logWindowSeconds: (input.logMinutes ?? DEFAULT_LOG_MINUTES) * 60,
    };
    const entity = await this.o.catalog.getEntityByRef(target.entityRef, {
      credentials,
    });
    const health = (ref: string) =>
      this.o.health.forEntity(parseEntityRef(ref), credentials);
    const dependencyDeps = {
      entity: (ref: string) =>
        this.o.catalog.getEntityByRef(ref, { credentials }),
      health,
      connections: this.o.connections,
      timeoutMs: this.o.timeoutMs,
    };
    const skipped: string[] = [];
    const run = async (
      name: string,
      check: () => Promise<DiagnosticCheck | undefined>,
    ) => {
      try {
        const result = await check();
        if (result) {
          await ctx.log(
            `${result.title}: ${result.status}`,
            result.status === 'ok' ? 'info' : 'warn',
          );
        }
        return result;
      } catch (error) {
        throw new CheckNotRun(
          `${name} could not run: ${redactText(apiErrorMessage(error))}`,
        );
      }
    };
    const settled = await Promise.allSettled([
      run('Deployment and pods', () => workloadCheck(checkContext)),
      run('CPU and memory', () => resourcesCheck(checkContext)),
      run('Error logs', () => errorLogsCheck(checkContext)),
      run('Autoscaler', () => autoscalerCheck(checkContext)),
      ...(entity ? dependenciesOf(entity) : []).map(ref =>
        run(`Dependency ${ref}`, () =>
          dependencyCheck(target, ref, dependencyDeps),
        ),
      ),
      run('Golden signals', async () => {
        const own = await health(target.entityRef);
        const check = metricsCheck(target, own, ctx.limits.analysis);
        if (!check) skipped.push(`metrics: ${own.metrics.unavailable}`);
        return check;
      }),
    ]);
    const checks = settled.flatMap(s =>
      s.status === 'fulfilled' && s.value ? [s.value] : [],
    );
    const report: DiagnosticsReport = {
      kind: 'diagnostics',
      verdict: worstDiagnosticStatus(checks.map(c => c.status)),
      checkedAt: now.toISOString(),
      checks,
      ...(skipped.length ? { skipped } : {}),
    };
    const notRun = settled.flatMap(s =>
      s.status === 'rejected' ? [String(s.reason?.message ?? s.reason)] : [],
    );
    if (notRun.length) {
      throw new RunReportError(
        `Not every check ran: ${notRun.join('; ')}`,
        report,
        'result',
      );
    }
    await ctx.log(`Verdict: ${report.verdict}`);
    return report;
  }
}
