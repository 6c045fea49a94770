import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
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
import { clustersOfEntity } from '../kubernetes/clusters';

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
  /** Where it acts: the cluster asked for, else the first of `clusters`. */
  target: RunbookTarget;
  /** Every cluster the entity runs in, in config order (its DR target's: the first). */
  clusters: string[];
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
      /** The clusters runbook actions may act on, in config order. */
      clusters: string[];
      drTargets: Map<string, DrTargetConfig>;
    },
  ) {}

  /**
   * `cluster` picks one of the entity's clusters (a 400 when it is not one of them);
   * without it the target is in the first. Callers that change something must make sure
   * a cluster was named when the entity runs in several (`requireCluster`).
   */
  async resolve(
    ref: CompoundEntityRef,
    credentials: BackstageCredentials,
    options: { cluster?: string } = {},
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
    if (drTarget) return this.#drTarget(entity, entityRef, drTarget, options);
    const service = annotations[ANNOTATION_KUBERNETES_ID];
    if (!service) {
      throw new NotFoundError(
        `${entityRef} has no runbook: it lacks the ${ANNOTATION_KUBERNETES_ID} annotation`,
      );
    }
    if (!this.options.clusters.length) {
      throw new ServiceUnavailableError(
        'No cluster for runbook actions: configure kubernetes.clusterLocatorMethods or runbook.cluster',
      );
    }
    const mapped = clustersOfEntity(entity, this.options.clusters);
    if (mapped.none) {
      throw new ServiceUnavailableError(
        `No cluster for the runbook of ${entityRef}: ${mapped.none}`,
      );
    }
    const clusters: string[] = mapped.names;
    const cluster = chosenCluster(entityRef, clusters, options.cluster);
    const production = entity.spec?.lifecycle === 'production';
    return {
      entity,
      clusters,
      target: {
        entityRef,
        cluster,
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

  /**
   * A database Resource: it offers only the DR drill, on the target its annotation names.
   * What it reads of a cluster (the namespace's configuration) is in the first cluster.
   */
  #drTarget(
    entity: Entity,
    entityRef: string,
    name: string,
    options: { cluster?: string },
  ): ResolvedRunbook {
    const config = this.options.drTargets.get(name);
    const clusters = this.options.clusters.slice(0, 1);
    if (options.cluster !== undefined) {
      chosenCluster(entityRef, clusters, options.cluster);
    }
    return {
      entity,
      clusters,
      target: {
        entityRef,
        cluster: clusters[0] ?? '',
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

/** The cluster asked for, which must be one of the entity's; else its first. */
function chosenCluster(
  entityRef: string,
  clusters: string[],
  asked: string | undefined,
): string {
  if (asked === undefined) return clusters[0];
  if (!clusters.includes(asked)) {
    throw new InputError(
      `cluster: ${asked} is not a cluster of ${entityRef} (${
        clusters.length ? `its clusters: ${clusters.join(', ')}` : 'it has none'
      })`,
    );
  }
  return asked;
}

/**
 * A 400 unless a request that acts on an entity running in several clusters named one:
 * it would otherwise act where its author may not have meant.
 */
export function requireCluster(
  resolved: Pick<ResolvedRunbook, 'clusters' | 'target'>,
  asked: string | undefined,
) {
  if (asked === undefined && resolved.clusters.length > 1) {
    throw new InputError(
      `cluster: ${
        resolved.target.entityRef
      } runs in several clusters; name the one to act on (one of: ${resolved.clusters.join(
        ', ',
      )})`,
    );
  }
}

/** " in cluster X" when the entity runs in several clusters, for messages about it. */
export function inCluster(
  resolved: Pick<ResolvedRunbook, 'clusters' | 'target'>,
) {
  return resolved.clusters.length > 1
    ? ` in cluster ${resolved.target.cluster}`
    : '';
}
