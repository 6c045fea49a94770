import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { NotFoundError, ServiceUnavailableError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_ANALYSIS,
  ANNOTATION_DR_TARGET,
  ANNOTATION_IMAGE_REPOSITORY,
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_KUBERNETES_NAMESPACE,
  ANNOTATION_REPLICAS,
  ANNOTATION_RUNBOOK_ACTIONS,
  ANNOTATION_STAGING_NAMESPACE,
  ActionEntityKind,
  ActionLimits,
  RUNBOOK_ACTIONS,
  RunbookActionName,
  actionDefinition,
  parseReplicaRange,
} from '@nexus-cos/plugin-runbook-common';
import type { RunbookTarget } from '@nexus-cos/plugin-runbook-node';
import { thresholdsFor } from '../analysis/config';
import { DrTargetConfig, noTargetConfigured } from '../backup/config';
import { RunbookConfig } from '../config';

/**
 * The actions an entity of `kind` offers. The allow-list annotation narrows the actions
 * that change state; unknown names in it are ignored, and reads are always offered.
 */
function offeredActions(
  kind: ActionEntityKind,
  allowList: string | undefined,
): RunbookActionName[] {
  const names = allowList && new Set(allowList.split(',').map(s => s.trim()));
  return RUNBOOK_ACTIONS.filter(action => {
    const definition = actionDefinition(action);
    return (
      definition.kinds.includes(kind) &&
      (!names || !definition.changesState || names.has(action))
    );
  });
}

/** An entity's runbook: where it acts, its limits and the actions it offers. */
export type ResolvedRunbook = {
  entity: Entity;
  target: RunbookTarget;
  limits: ActionLimits;
  production: boolean;
  /** Text that `confirm` must carry for production services. */
  confirmText?: string;
  offered: RunbookActionName[];
  /** Set for a DR-target Resource: its target, and why a drill cannot run now. */
  drTarget?: { name: string; unavailable?: string };
};

/** Merges an entity's annotations over the `runbook.*` config defaults. */
export class RunbookResolver {
  constructor(
    private readonly options: {
      catalog: CatalogService;
      config: RunbookConfig;
      /** The cluster runbook actions act on; undefined when none is configured. */
      cluster?: string;
      drTargets: Map<string, DrTargetConfig>;
    },
  ) {}

  async resolve(
    ref: CompoundEntityRef,
    credentials: BackstageCredentials,
  ): Promise<ResolvedRunbook> {
    const entityRef = stringifyEntityRef(ref);
    const entity = await this.options.catalog.getEntityByRef(ref, {
      credentials,
    });
    if (!entity) {
      throw new NotFoundError(`No entity ${entityRef} in the catalog`);
    }
    const annotations = entity.metadata.annotations ?? {};
    const drTarget = annotations[ANNOTATION_DR_TARGET];
    if (drTarget) return this.#drTarget(entity, entityRef, drTarget);
    const service = annotations[ANNOTATION_KUBERNETES_ID];
    if (!service) {
      throw new NotFoundError(
        `${entityRef} has no runbook: it lacks the ${ANNOTATION_KUBERNETES_ID} annotation`,
      );
    }
    if (!this.options.cluster) {
      throw new ServiceUnavailableError(
        'No cluster for runbook actions: configure kubernetes.clusterLocatorMethods or runbook.cluster',
      );
    }
    const production = entity.spec?.lifecycle === 'production';
    return {
      entity,
      target: {
        entityRef,
        cluster: this.options.cluster,
        namespace: annotations[ANNOTATION_KUBERNETES_NAMESPACE] ?? 'default',
        service,
        stagingNamespace: annotations[ANNOTATION_STAGING_NAMESPACE],
      },
      limits: this.#limits(annotations, production),
      production,
      confirmText: production ? entity.metadata.name : undefined,
      offered: offeredActions(
        'Component',
        annotations[ANNOTATION_RUNBOOK_ACTIONS],
      ),
    };
  }

  /** A database Resource: it offers only the DR drill, on the target its annotation names. */
  #drTarget(entity: Entity, entityRef: string, name: string): ResolvedRunbook {
    const config = this.options.drTargets.get(name);
    return {
      entity,
      target: {
        entityRef,
        cluster: this.options.cluster ?? '',
        namespace: config?.namespace ?? '',
        service: name,
      },
      limits: this.defaultLimits(),
      production: false,
      offered: offeredActions('Resource', undefined),
      drTarget: {
        name,
        unavailable: config ? undefined : noTargetConfigured(name),
      },
    };
  }

  /** The limits of an entity without annotations; used to undo runs after a restart. */
  defaultLimits(): ActionLimits {
    return this.#limits({}, false);
  }

  #limits(
    annotations: Record<string, string>,
    production: boolean,
  ): ActionLimits {
    const { defaults, production: strict } = this.options.config;
    const range =
      (annotations[ANNOTATION_REPLICAS] &&
        parseReplicaRange(annotations[ANNOTATION_REPLICAS])) ||
      defaults.replicas;
    const min = production
      ? Math.min(Math.max(range.min, strict.minReplicas), range.max)
      : range.min;
    return {
      replicas: { min, max: range.max },
      imageRepository:
        annotations[ANNOTATION_IMAGE_REPOSITORY] ?? defaults.imageRepository,
      resources: defaults.resources,
      rolloutTimeoutSeconds: defaults.rolloutTimeoutSeconds,
      healthWindowSeconds: production
        ? Math.max(defaults.healthWindowSeconds, strict.healthWindowSeconds)
        : defaults.healthWindowSeconds,
      blueGreenMonitorSeconds: defaults.blueGreenMonitorSeconds,
      analysis: thresholdsFor(
        this.options.config.analysis.thresholds,
        annotations[ANNOTATION_ANALYSIS],
      ),
    };
  }
}
