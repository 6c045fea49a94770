import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  HEALTH_STATUSES_WORST_FIRST,
  HealthOverview,
  HealthStatus,
} from '@nexus-cos/plugin-runbook-common';
import { isRunbookAvailable } from '../../isRunbookAvailable';

/** One service of the System with its status from the health overview. */
export type ServiceHealthLine = Pick<
  HealthOverview['items'][number],
  'entityRef' | 'status' | 'reasons'
> & { title: string };

/**
 * The health of the System's services, worst first. Only services with a Kubernetes
 * workload report health; one the overview has not reported yet is `unknown`.
 */
export function systemHealth(
  components: Entity[],
  overview: HealthOverview,
): ServiceHealthLine[] {
  const reported = new Map(
    overview.items.map(item => [
      item.entityRef.toLocaleLowerCase('en-US'),
      item,
    ]),
  );
  return components
    .filter(isRunbookAvailable)
    .map(entity => {
      const entityRef = stringifyEntityRef(entity);
      const item = reported.get(entityRef.toLocaleLowerCase('en-US'));
      return {
        entityRef,
        title: entity.metadata.title ?? entity.metadata.name,
        status: item?.status ?? 'unknown',
        reasons: item?.reasons ?? [],
      };
    })
    .sort(
      (a, b) =>
        HEALTH_STATUSES_WORST_FIRST.indexOf(a.status) -
          HEALTH_STATUSES_WORST_FIRST.indexOf(b.status) ||
        a.title.localeCompare(b.title),
    );
}

/**
 * The System's worst status and a count of the services in each status that is not
 * healthy, e.g. "1 of 5 services down, 2 degraded".
 */
export function summarize(services: ServiceHealthLine[]): {
  worst: HealthStatus;
  text: string;
} {
  const total = `${services.length} service${services.length === 1 ? '' : 's'}`;
  const counts = HEALTH_STATUSES_WORST_FIRST.map(status => ({
    status,
    count: services.filter(s => s.status === status).length,
  })).filter(c => c.count > 0);
  const worst = counts[0]?.status ?? 'unknown';
  const notHealthy = counts.filter(c => c.status !== 'healthy');
  if (notHealthy.length === 0) {
    return { worst, text: `${services.length} of ${total} healthy` };
  }
  const [first, ...rest] = notHealthy;
  return {
    worst,
    text: [
      `${first.count} of ${total} ${first.status}`,
      ...rest.map(c => `${c.count} ${c.status}`),
    ].join(', '),
  };
}
