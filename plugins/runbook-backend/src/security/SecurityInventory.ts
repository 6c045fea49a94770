import type { LoggerService } from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';
import type {
  V1ClusterRole,
  V1ClusterRoleBinding,
  V1Deployment,
  V1Ingress,
  V1NetworkPolicy,
  V1Pod,
  V1ReplicaSet,
  V1Role,
  V1RoleBinding,
} from '@kubernetes/client-node';
import {
  ClusterClients,
  apiErrorMessage,
} from '../kubernetes/KubernetesClients';
import { ParsedCertificate, parseTlsData } from './certificates';

/** A service as the security reads see it: `backstage.io/kubernetes-id` in a namespace. */
export type ServiceRef = { namespace: string; service: string };

/** A `kubernetes.io/tls` Secret, read once per sweep; its data is not kept. */
export type TlsSecret = {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  certificate?: ParsedCertificate;
  error?: string;
};

/** Any other Secret: its metadata only. */
export type SecretMeta = {
  namespace: string;
  name: string;
  type?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  createdAt?: string;
};

/** What the security reads look at, as one sweep of the cluster found it. */
export type SecuritySnapshot = {
  cluster: string;
  observedAt: string;
  /** cert-manager.io/v1 Certificates. */
  certificates: any[];
  tlsSecrets: TlsSecret[];
  secrets: SecretMeta[];
  ingresses: V1Ingress[];
  deployments: V1Deployment[];
  replicaSets: V1ReplicaSet[];
  pods: V1Pod[];
  networkPolicies: V1NetworkPolicy[];
  roles: V1Role[];
  clusterRoles: V1ClusterRole[];
  roleBindings: V1RoleBinding[];
  clusterRoleBindings: V1ClusterRoleBinding[];
  /** `namespace/name` of every ServiceAccount. */
  serviceAccounts: Set<string>;
  /** aquasecurity.github.io/v1alpha1 VulnerabilityReports. */
  vulnerabilityReports: any[];
  /** Lists that could not be read (a missing CRD, a refused verb), in words. */
  unavailable: string[];
};

const TLS = 'kubernetes.io/tls';

/**
 * The cluster's security state, read in one sweep on a schedule and after each security
 * run, so that page views, health and the overview never reach the cluster. Secret data
 * is read only to parse TLS certificates and is not kept.
 */
export class SecurityInventory {
  #snapshot?: SecuritySnapshot;
  #refreshing?: Promise<SecuritySnapshot>;
  #lastError?: string;

  constructor(
    private readonly o: {
      cluster?: { name: string; clients: () => ClusterClients };
      /** Why there is no cluster to sweep. */
      noCluster?: string;
      logger: LoggerService;
    },
  ) {}

  /** The last sweep; waits for the first one. */
  async current(): Promise<SecuritySnapshot> {
    if (this.#snapshot) return this.#snapshot;
    try {
      return await this.refresh();
    } catch {
      throw new ServiceUnavailableError(
        `Security state could not be read: ${this.#lastError}`,
      );
    }
  }

  /** The last sweep, if there is one, without waiting (health and maintenance checks). */
  cached(): SecuritySnapshot | undefined {
    return this.#snapshot;
  }

  /** Sweeps the cluster again; concurrent callers share one sweep. */
  refresh(): Promise<SecuritySnapshot> {
    if (!this.#refreshing) {
      this.#refreshing = this.#sweep()
        .then(
          snapshot => {
            this.#snapshot = snapshot;
            this.#lastError = undefined;
            return snapshot;
          },
          error => {
            this.#lastError = apiErrorMessage(error);
            this.o.logger.warn(`Security sweep failed: ${this.#lastError}`);
            throw error;
          },
        )
        .finally(() => {
          this.#refreshing = undefined;
        });
    }
    return this.#refreshing;
  }

  async #sweep(): Promise<SecuritySnapshot> {
    const { cluster } = this.o;
    if (!cluster) {
      throw new Error(
        this.o.noCluster ??
          'No cluster configured: add one to kubernetes.clusterLocatorMethods (type config)',
      );
    }
    const c = cluster.clients();
    const unavailable: string[] = [];
    const optional = async <T>(what: string, read: () => Promise<T[]>) => {
      try {
        return await read();
      } catch (error) {
        unavailable.push(`${what}: ${apiErrorMessage(error)}`);
        return [] as T[];
      }
    };
    const custom = (group: string, version: string, plural: string) =>
      c.custom
        .listClusterCustomObject({ group, version, plural })
        .then((list: any) => (list.items ?? []) as any[]);
    const [
      secrets,
      certificates,
      ingresses,
      deployments,
      replicaSets,
      pods,
      networkPolicies,
      roles,
      clusterRoles,
      roleBindings,
      clusterRoleBindings,
      serviceAccounts,
      vulnerabilityReports,
    ] = await Promise.all([
      // The one list the feature cannot do without: its failure fails the sweep.
      c.core.listSecretForAllNamespaces().then(l => l.items),
      optional('cert-manager Certificates', () =>
        custom('cert-manager.io', 'v1', 'certificates'),
      ),
      optional('Ingresses', () =>
        c.networking.listIngressForAllNamespaces().then(l => l.items),
      ),
      optional('Deployments', () =>
        c.apps.listDeploymentForAllNamespaces().then(l => l.items),
      ),
      optional('ReplicaSets', () =>
        c.apps.listReplicaSetForAllNamespaces().then(l => l.items),
      ),
      optional('Pods', () =>
        c.core.listPodForAllNamespaces().then(l => l.items),
      ),
      optional('NetworkPolicies', () =>
        c.networking.listNetworkPolicyForAllNamespaces().then(l => l.items),
      ),
      optional('Roles', () =>
        c.rbac.listRoleForAllNamespaces().then(l => l.items),
      ),
      optional('ClusterRoles', () =>
        c.rbac.listClusterRole().then(l => l.items),
      ),
      optional('RoleBindings', () =>
        c.rbac.listRoleBindingForAllNamespaces().then(l => l.items),
      ),
      optional('ClusterRoleBindings', () =>
        c.rbac.listClusterRoleBinding().then(l => l.items),
      ),
      optional('ServiceAccounts', () =>
        c.core.listServiceAccountForAllNamespaces().then(l => l.items),
      ),
      optional('trivy-operator VulnerabilityReports', () =>
        custom('aquasecurity.github.io', 'v1alpha1', 'vulnerabilityreports'),
      ),
    ]);
    const tlsSecrets: TlsSecret[] = [];
    const others: SecretMeta[] = [];
    for (const s of secrets) {
      const meta = s.metadata ?? {};
      const base = {
        namespace: meta.namespace ?? '',
        name: meta.name ?? '',
        labels: meta.labels ?? {},
      };
      if (s.type === TLS) {
        try {
          tlsSecrets.push({ ...base, certificate: parseTlsData(s.data) });
        } catch (error) {
          tlsSecrets.push({ ...base, error: (error as Error).message });
        }
      } else {
        others.push({
          ...base,
          type: s.type,
          annotations: meta.annotations ?? {},
          createdAt: meta.creationTimestamp
            ? new Date(meta.creationTimestamp).toISOString()
            : undefined,
        });
      }
    }
    return {
      cluster: cluster.name,
      observedAt: new Date().toISOString(),
      certificates,
      tlsSecrets,
      secrets: others,
      ingresses,
      deployments,
      replicaSets,
      pods,
      networkPolicies,
      roles,
      clusterRoles,
      roleBindings,
      clusterRoleBindings,
      serviceAccounts: new Set(
        serviceAccounts.map(
          sa => `${sa.metadata?.namespace}/${sa.metadata?.name}`,
        ),
      ),
      vulnerabilityReports,
      unavailable,
    };
  }
}
