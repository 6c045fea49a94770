import { Config } from '@backstage/config';
import type { Entity } from '@backstage/catalog-model';
import { ANNOTATION_KUBERNETES_CLUSTER } from '@nexus-cos/plugin-runbook-common';

/** A cluster from Backstage's `kubernetes` config that the executor can reach itself. */
export type ClusterDetails = {
  name: string;
  url: string;
  serviceAccountToken?: string;
  skipTLSVerify: boolean;
  caData?: string;
  /** `serviceAccount`, `oidc`, `google`, ...: who holds the credentials. */
  authProvider?: string;
  /** The OIDC provider whose token the user sends, with `authProvider: oidc`. */
  oidcTokenProvider?: string;
};

/** Clusters of `kubernetes.clusterLocatorMethods[]` entries of type `config`. */
export function readClusters(root: Config): ClusterDetails[] {
  const methods =
    root.getOptionalConfigArray('kubernetes.clusterLocatorMethods') ?? [];
  return methods
    .filter(m => m.getString('type') === 'config')
    .flatMap(m => m.getOptionalConfigArray('clusters') ?? [])
    .map(c => ({
      name: c.getString('name'),
      url: c.getString('url'),
      serviceAccountToken: c.getOptionalString('serviceAccountToken'),
      skipTLSVerify: c.getOptionalBoolean('skipTLSVerify') ?? false,
      caData: c.getOptionalString('caData'),
      authProvider: c.getOptionalString('authProvider'),
      oidcTokenProvider: c.getOptionalString('oidcTokenProvider'),
    }));
}

/**
 * The clusters the runbook works with, in config order: every configured one, or only
 * `runbook.cluster` when that is set (none when it names no configured cluster).
 */
export function runbookClusters(
  clusters: ClusterDetails[],
  name: string | undefined,
): ClusterDetails[] {
  return name ? clusters.filter(c => c.name === name) : clusters;
}

/** The clusters an entity runs in, or why it runs in none. */
export type EntityClusters =
  | { names: string[]; none?: undefined }
  | { names: []; none: string };

/**
 * Where an entity runs, as the stock Kubernetes plugin's single-tenant locator reads it:
 * the one cluster its `backstage.io/kubernetes-cluster` annotation names, else every
 * cluster of `names` (the runbook's clusters, in config order).
 */
export function clustersOfEntity(
  entity: Pick<Entity, 'metadata'>,
  names: string[],
): EntityClusters {
  const named = entity.metadata.annotations?.[ANNOTATION_KUBERNETES_CLUSTER];
  if (named === undefined || named === '') {
    return names.length
      ? { names }
      : {
          names: [],
          none: 'No cluster configured: add one to kubernetes.clusterLocatorMethods (type config)',
        };
  }
  if (names.includes(named)) return { names: [named] };
  return {
    names: [],
    none: `Its ${ANNOTATION_KUBERNETES_CLUSTER} annotation names cluster ${named}, which the runbook does not know (${
      names.length
        ? `its clusters: ${names.join(', ')}`
        : 'no cluster is configured'
    })`,
  };
}
