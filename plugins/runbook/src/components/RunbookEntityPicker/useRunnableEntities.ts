import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/frontend-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import {
  ANNOTATION_DR_TARGET,
  ANNOTATION_KUBERNETES_ID,
  ActiveFreeze,
  RunbookActionName,
} from '@nexus-cos/plugin-runbook-common';
import { runbookApiRef } from '../../api';
import { LoaderState, useLoader } from '../../hooks/useLoader';

/**
 * An entity the picker offers, whether the signed-in user may run the action on it, and
 * the change freeze in force on it.
 */
export type RunnableEntity = {
  ref: string;
  title: string;
  allowed: boolean;
  reason?: string;
  freeze?: ActiveFreeze;
};

// Resolutions are asked a few at a time, so opening a form never floods the backend.
const CONCURRENCY = 6;

async function mapLimited<T, R>(items: T[], fn: (item: T) => Promise<R>) {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return results;
}

const canRun = (action: RunbookActionName, entity: Entity) =>
  action === 'dr-drill'
    ? Boolean(entity.metadata.annotations?.[ANNOTATION_DR_TARGET])
    : Boolean(entity.metadata.annotations?.[ANNOTATION_KUBERNETES_ID]);

/**
 * The services (for `dr-drill`: the DR-target Resources) with the server's answer to
 * "may I run `action` here": the runbook resolution's `allowed` and `reason`, and its
 * change freeze.
 */
export function useRunnableEntities(
  action: RunbookActionName,
): LoaderState<RunnableEntity[]> {
  const catalogApi = useApi(catalogApiRef);
  const runbookApi = useApi(runbookApiRef);
  return useLoader(async () => {
    const { items } = await catalogApi.getEntities({
      filter:
        action === 'dr-drill'
          ? { kind: 'Resource' }
          : { kind: 'Component', 'spec.type': 'service' },
    });
    return mapLimited(
      items.filter(entity => canRun(action, entity)),
      async (entity): Promise<RunnableEntity> => {
        const ref = stringifyEntityRef(entity);
        const title = entity.metadata.title ?? entity.metadata.name;
        try {
          const runbook = await runbookApi.getRunbook(ref);
          const offered = runbook.actions.find(a => a.action === action);
          const freeze = runbook.freeze ? { freeze: runbook.freeze } : {};
          return offered
            ? {
                ref,
                title,
                allowed: offered.allowed,
                reason: offered.reason,
                ...freeze,
              }
            : {
                ref,
                title,
                allowed: false,
                reason: `does not offer ${action}`,
                ...freeze,
              };
        } catch (error) {
          return {
            ref,
            title,
            allowed: false,
            reason: String((error as Error).message),
          };
        }
      },
    );
  }, [action, catalogApi, runbookApi]);
}
