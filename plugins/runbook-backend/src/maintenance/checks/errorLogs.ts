import type { AuthService } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_KUBERNETES_NAMESPACE,
} from '@nexus-cos/plugin-runbook-common';
import type { RunbookMaintenanceCheck } from '@nexus-cos/plugin-runbook-node';
import pLimit from 'p-limit';
import {
  KubernetesClients,
  apiErrorMessage,
} from '../../kubernetes/KubernetesClients';

/** An ERROR line, as the runbook greps for it: the word, not a substring. */
export const ERROR_LINE = /\bERROR\b/;

const DAY_SECONDS = 24 * 60 * 60;

/**
 * The runbook's daily "Review error logs" (`kubectl logs ... | grep ERROR`) for every
 * service: ERROR lines of the last 24 hours, per service, from each pod's containers.
 */
export function errorLogsCheck(o: {
  catalog: CatalogService;
  auth: AuthService;
  clients: KubernetesClients;
  /** The cluster services run on, when the backend can read it itself. */
  cluster?: string;
  /** Why it cannot, otherwise. */
  unreadable?: string;
  concurrency: number;
}): RunbookMaintenanceCheck {
  return {
    id: 'error-log-review',
    title: 'Review error logs',
    period: 'daily',
    async run({ signal }) {
      if (!o.cluster) {
        const why = o.unreadable ?? 'No cluster configured';
        return { status: 'fail', summary: why, evidence: { error: why } };
      }
      const core = o.clients.for(o.cluster).core;
      const { items } = await o.catalog.getEntities(
        {
          filter: {
            kind: 'component',
            [`metadata.annotations.${ANNOTATION_KUBERNETES_ID}`]:
              CATALOG_FILTER_EXISTS,
          },
        },
        { credentials: await o.auth.getOwnServiceCredentials() },
      );
      const limit = pLimit(o.concurrency);
      const unreadable: string[] = [];
      let podsRead = 0;
      const services = await Promise.all(
        items.map(async entity => {
          const annotations = entity.metadata.annotations ?? {};
          const service = annotations[ANNOTATION_KUBERNETES_ID];
          const namespace =
            annotations[ANNOTATION_KUBERNETES_NAMESPACE] ?? 'default';
          let errors = 0;
          let pods: string[] = [];
          try {
            const list = await core.listNamespacedPod({
              namespace,
              labelSelector: `${ANNOTATION_KUBERNETES_ID}=${service}`,
            });
            pods = list.items.map(p => p.metadata!.name!);
            const reads = list.items.flatMap(pod =>
              (pod.spec?.containers ?? []).map(c =>
                limit(async () => {
                  if (signal.aborted) throw signal.reason;
                  try {
                    const text = await core.readNamespacedPodLog({
                      name: pod.metadata!.name!,
                      namespace,
                      container: c.name,
                      sinceSeconds: DAY_SECONDS,
                    });
                    podsRead++;
                    return text.split('\n').filter(l => ERROR_LINE.test(l))
                      .length;
                  } catch (error) {
                    unreadable.push(
                      `${namespace}/${pod.metadata!.name}/${
                        c.name
                      }: ${apiErrorMessage(error)}`,
                    );
                    return 0;
                  }
                }),
              ),
            );
            errors = (await Promise.all(reads)).reduce((a, b) => a + b, 0);
          } catch (error) {
            unreadable.push(
              `${namespace}/${service}: ${apiErrorMessage(error)}`,
            );
          }
          return {
            entityRef: stringifyEntityRef(entity),
            errors,
            pods: pods.length,
          };
        }),
      );
      const withErrors = services
        .filter(s => s.errors > 0)
        .sort((a, b) => b.errors - a.errors);
      const total = withErrors.reduce((n, s) => n + s.errors, 0);
      return {
        status: withErrors.length || unreadable.length ? 'warn' : 'ok',
        summary: withErrors.length
          ? `${total} ERROR line(s) in 24 h from ${withErrors.length} of ${services.length} services, most from ${withErrors[0].entityRef}`
          : `No ERROR lines in 24 h from ${services.length} services`,
        evidence: {
          windowHours: 24,
          servicesChecked: services.length,
          logsRead: podsRead,
          services: withErrors,
          ...(unreadable.length ? { unreadable } : {}),
        },
      };
    },
  };
}
