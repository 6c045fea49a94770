import { Config } from '@backstage/config';

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
 * The cluster runbook actions act on and health watches: `runbook.cluster`, else the
 * first configured one; undefined when none is configured.
 */
export function runbookCluster(
  clusters: ClusterDetails[],
  name: string | undefined,
): ClusterDetails | undefined {
  return name ? clusters.find(c => c.name === name) : clusters[0];
}
