import {
  DiagnosticCheck,
  RESPONSE_CHECKLISTS,
} from '@nexus-cos/plugin-runbook-common';
import { redactText } from '../../audit/redact';
import { CheckContext, appSelector } from './context';

/** Lines of evidence beyond the counts. */
const FIRST_LINES = 5;
const ERROR_LINE = /\bERROR\b/;

/**
 * "Review error logs": ERROR lines in every pod of the service over the window
 * (`kubectl logs -l app=<svc> --since=...`), counted per pod, with the first lines.
 */
export async function errorLogsCheck(
  ctx: CheckContext,
): Promise<DiagnosticCheck> {
  const { target } = ctx;
  const pods = await ctx.cluster.core.listNamespacedPod({
    namespace: target.namespace,
    labelSelector: appSelector(ctx),
  });
  const counts: Array<[string, number]> = [];
  const first: string[] = [];
  for (const pod of pods.items) {
    const name = pod.metadata!.name!;
    const container =
      pod.spec?.containers.find(c => c.name === target.service)?.name ??
      pod.spec?.containers[0]?.name;
    const log = await ctx.cluster.core
      .readNamespacedPodLog({
        name,
        namespace: target.namespace,
        container,
        sinceSeconds: ctx.logWindowSeconds,
      })
      // A pod that is not running yet has no log to read.
      .catch(() => '');
    const errors = String(log)
      .split('\n')
      .filter(line => ERROR_LINE.test(line));
    if (!errors.length) continue;
    counts.push([name, errors.length]);
    for (const line of errors) {
      if (first.length < FIRST_LINES)
        first.push(redactText(line.slice(0, 300)));
    }
  }
  const minutes = Math.round(ctx.logWindowSeconds / 60);
  const total = counts.reduce((n, [, c]) => n + c, 0);
  return {
    id: 'error-logs',
    entityRef: target.entityRef,
    title: `ERROR lines in the last ${minutes} min`,
    status: total ? 'warn' : 'ok',
    evidence: total
      ? [
          `${total} ERROR lines in ${counts.length} of ${
            pods.items.length
          } pods: ${counts.map(([pod, n]) => `${pod} ${n}`).join(', ')}`,
          ...first,
        ]
      : [`No ERROR lines in ${pods.items.length} pods`],
    ...(total
      ? {
          troubleshooting: {
            ...RESPONSE_CHECKLISTS.highErrorRate(target),
            fixAction: 'rollback' as const,
          },
        }
      : {}),
  };
}
