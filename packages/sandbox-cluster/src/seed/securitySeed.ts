import { ApiOperations } from '../api/operations';
import { resourceByKind } from '../api/resources';
import { CertificateController } from '../certmanager/certificateController';
import { CLUSTER_RESOURCE_NAMESPACE } from '../certmanager/issuers';
import { generateKey, signCertificate } from '../certmanager/x509';
import { KubeObject } from '../store/types';
import { ImageScans } from '../trivy/imageScans';
import { CatalogService } from './readCatalog';
import { ensureNamespace } from './seedCluster';
import { IMAGE_SCANS } from './imageScanSeed';
import { SEED_IMAGE_TAG } from './serviceObjects';

const DAY = 86_400_000;
const ID = 'backstage.io/kubernetes-id';
const RBAC = 'rbac.authorization.k8s.io';

/** The ClusterIssuers every seeded cluster has: a self-signed one that bootstraps the CA. */
const SELF_SIGNED_ISSUER = 'selfsigned';
const CA_ISSUER = 'nexus-cos-ca';
const CA_SECRET = 'nexus-cos-root-ca';

/**
 * Services of the repo's catalog that get an Ingress with TLS, and how its Secret is
 * made: by a Certificate from the CA ClusterIssuer (default), from a namespaced
 * self-signed Issuer, backdated to expire within days, or by hand (no cert-manager).
 */
const INGRESSES: Array<{
  service: string;
  hosts: string[];
  tls?: 'namespaced-issuer' | 'near-expiry' | 'unmanaged';
}> = [
  { service: 'api-gateway', hosts: ['api.nexus-cos.example'] },
  { service: 'stream-gateway', hosts: ['stream.nexus-cos.example'] },
  { service: 'media-upload', hosts: ['upload.nexus-cos.example'] },
  {
    service: 'cdn-edge-cache',
    hosts: ['cdn.nexus-cos.example', 'static.nexus-cos.example'],
  },
  {
    service: 'payment-gateway',
    hosts: ['pay.nexus-cos.example'],
    tls: 'near-expiry',
  },
  {
    service: 'auth-service',
    hosts: ['auth.nexus-cos.example'],
    tls: 'namespaced-issuer',
  },
  {
    service: 'admin-console',
    hosts: ['admin.nexus-cos.example'],
    tls: 'unmanaged',
  },
];

/** A certificate for in-cluster TLS, with no Ingress naming its Secret. */
const INTERNAL_CERTIFICATE_SERVICE = 'config-service';

/** The near-expiry certificate: issued 83 of its 90 days ago, renewed 3 days before expiry. */
const NEAR_EXPIRY = { ageDays: 83, renewBefore: '72h' };

/** A Deployment whose ReplicaSet name is too long for a label value (trivy's name-hash case). */
const LONG_NAMED_WORKER = {
  service: 'media-transcoder',
  name: 'media-transcoder-legacy-archive-reencode-batch-worker-pool',
};

type Services = Map<string, CatalogService>;

const meta = (
  name: string,
  namespace: string | undefined,
  service?: string,
  labels: Record<string, string> = {},
) => ({
  name,
  ...(namespace ? { namespace } : {}),
  labels: { ...labels, ...(service ? { [ID]: service } : {}) },
});

function create(ops: ApiOperations, object: KubeObject) {
  return ops.create(
    resourceByKind(object.kind),
    object.metadata.namespace ?? '',
    object,
  );
}

/**
 * Seeds what security operations read, for the services of the repo's catalog that are
 * present (others are skipped): cert-manager issuers, Certificates and TLS Secrets,
 * Ingresses, RBAC with one risky case per namespace, NetworkPolicies, and the image
 * scans trivy-operator reports. Seeded Certificates are issued before this resolves.
 * packages/sandbox-cluster/README.md lists what lands where.
 */
export async function seedSecurity(
  ops: ApiOperations,
  catalog: CatalogService[],
  certificates: CertificateController,
  scans: ImageScans,
  progressDeadlineSeconds: number,
) {
  const services: Services = new Map(catalog.map(s => [s.id, s]));
  await seedIssuers(ops, certificates);
  await Promise.all(
    INGRESSES.filter(i => services.has(i.service)).map(i =>
      seedIngress(ops, certificates, services.get(i.service)!, i),
    ),
  );
  const internal = services.get(INTERNAL_CERTIFICATE_SERVICE);
  if (internal) {
    const ns = internal.namespace;
    const name = `${internal.id}-internal`;
    create(
      ops,
      certificate(name, ns, internal.id, {
        secretName: `${name}-tls`,
        dnsNames: [
          `${internal.id}.${ns}.svc`,
          `${internal.id}.${ns}.svc.cluster.local`,
        ],
        usages: ['server auth', 'client auth'],
      }),
    );
    await certificates.issue(`${ns}/${name}`);
  }
  for (const object of [
    ...rbacObjects(services),
    ...networkPolicies(services),
    ...longNamedWorker(services, progressDeadlineSeconds),
  ])
    create(ops, object);
  for (const [image, scan] of Object.entries(IMAGE_SCANS))
    scans.set(image, scan);
}

function certificate(
  name: string,
  namespace: string,
  service: string | undefined,
  spec: Record<string, unknown>,
): KubeObject {
  return {
    apiVersion: 'cert-manager.io/v1',
    kind: 'Certificate',
    metadata: meta(name, namespace, service),
    spec: {
      issuerRef: {
        name: CA_ISSUER,
        kind: 'ClusterIssuer',
        group: 'cert-manager.io',
      },
      // Quick to generate; cert-manager's own default is RSA 2048.
      privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
      ...(service ? { secretTemplate: { labels: { [ID]: service } } } : {}),
      ...spec,
    },
  };
}

/** A self-signed ClusterIssuer, the root CA it issues, and the CA ClusterIssuer on it. */
async function seedIssuers(
  ops: ApiOperations,
  certificates: CertificateController,
) {
  ensureNamespace(ops, CLUSTER_RESOURCE_NAMESPACE);
  const clusterIssuer = (name: string, spec: object): KubeObject => ({
    apiVersion: 'cert-manager.io/v1',
    kind: 'ClusterIssuer',
    metadata: { name },
    spec,
  });
  create(ops, clusterIssuer(SELF_SIGNED_ISSUER, { selfSigned: {} }));
  create(
    ops,
    certificate(CA_SECRET, CLUSTER_RESOURCE_NAMESPACE, undefined, {
      isCA: true,
      commonName: 'Nexus COS Sandbox Root CA',
      secretName: CA_SECRET,
      duration: '87600h',
      issuerRef: {
        name: SELF_SIGNED_ISSUER,
        kind: 'ClusterIssuer',
        group: 'cert-manager.io',
      },
    }),
  );
  await certificates.issue(`${CLUSTER_RESOURCE_NAMESPACE}/${CA_SECRET}`);
  create(ops, clusterIssuer(CA_ISSUER, { ca: { secretName: CA_SECRET } }));
}

async function seedIngress(
  ops: ApiOperations,
  certificates: CertificateController,
  svc: CatalogService,
  entry: (typeof INGRESSES)[number],
) {
  const ns = svc.namespace;
  const secretName = `${svc.id}-tls`;
  create(ops, {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: meta(svc.id, ns, svc.id, { app: svc.id }),
    spec: {
      ingressClassName: 'nginx',
      tls: [{ hosts: entry.hosts, secretName }],
      rules: entry.hosts.map(host => ({
        host,
        http: {
          paths: [
            {
              path: '/',
              pathType: 'Prefix',
              backend: { service: { name: svc.id, port: { number: 80 } } },
            },
          ],
        },
      })),
    },
  });
  if (entry.tls === 'unmanaged') {
    create(ops, await handMadeTlsSecret(secretName, ns, svc.id, entry.hosts));
    return;
  }
  const spec: Record<string, unknown> = {
    secretName,
    commonName: entry.hosts[0],
    dnsNames: entry.hosts,
    usages: ['digital signature', 'key encipherment', 'server auth'],
  };
  if (entry.tls === 'namespaced-issuer') {
    const issuer = `${ns}-selfsigned`;
    create(ops, {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Issuer',
      metadata: { name: issuer, namespace: ns },
      spec: { selfSigned: {} },
    });
    spec.issuerRef = { name: issuer, kind: 'Issuer', group: 'cert-manager.io' };
  }
  if (entry.tls === 'near-expiry') spec.renewBefore = NEAR_EXPIRY.renewBefore;
  create(ops, certificate(svc.id, ns, svc.id, spec));
  await certificates.issue(`${ns}/${svc.id}`, {
    notBefore:
      entry.tls === 'near-expiry'
        ? new Date(Date.now() - NEAR_EXPIRY.ageDays * DAY)
        : undefined,
  });
}

/** A TLS Secret made by hand (a year's certificate, 300 days old), unknown to cert-manager. */
async function handMadeTlsSecret(
  name: string,
  namespace: string,
  service: string,
  hosts: string[],
): Promise<KubeObject> {
  const key = await generateKey({
    algorithm: 'RSA',
    size: 2048,
    encoding: 'PKCS1',
  });
  const notBefore = new Date(Date.now() - 300 * DAY);
  const pem = await signCertificate(
    {
      commonName: hosts[0],
      organizations: ['Nexus COS'],
      dnsNames: hosts,
      usages: ['digital signature', 'key encipherment', 'server auth'],
      notBefore,
      notAfter: new Date(notBefore.getTime() + 365 * DAY),
    },
    key,
  );
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: meta(name, namespace, service),
    type: 'kubernetes.io/tls',
    data: { 'tls.crt': b64(pem), 'tls.key': b64(key.pem) },
  };
}

const role = (
  kind: 'Role' | 'ClusterRole',
  name: string,
  namespace: string | undefined,
  service: string | undefined,
  rules: object[],
): KubeObject => ({
  apiVersion: `${RBAC}/v1`,
  kind,
  metadata: meta(name, namespace, service),
  rules,
});

const binding = (
  kind: 'RoleBinding' | 'ClusterRoleBinding',
  name: string,
  namespace: string | undefined,
  service: string | undefined,
  roleRef: { kind: 'Role' | 'ClusterRole'; name: string },
  subjects: object[],
): KubeObject => ({
  apiVersion: `${RBAC}/v1`,
  kind,
  metadata: meta(name, namespace, service),
  roleRef: { apiGroup: RBAC, ...roleRef },
  subjects,
});

const serviceAccount = (name: string, namespace: string, service: string) => ({
  apiVersion: 'v1',
  kind: 'ServiceAccount',
  metadata: meta(name, namespace, service),
});

const sa = (name: string, namespace: string) => ({
  kind: 'ServiceAccount',
  name,
  namespace,
});

/**
 * One risky case per namespace (in the production namespace of the named service):
 * a wildcard Role, `cluster-admin` for a namespace's `default` ServiceAccount, a Role
 * that reads Secrets, a binding to a ServiceAccount that does not exist; plus a clean
 * namespace whose bindings grant only what its service needs.
 */
function rbacObjects(services: Services): KubeObject[] {
  const out: KubeObject[] = [];
  const at = (
    id: string,
    build: (svc: CatalogService, ns: string) => KubeObject[],
  ) => {
    const svc = services.get(id);
    if (svc) out.push(...build(svc, svc.namespace));
  };
  at('analytics-pipeline', ({ id }, ns) => [
    serviceAccount(id, ns, id),
    role('Role', `${id}-operator`, ns, id, [
      { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
    ]),
    binding(
      'RoleBinding',
      `${id}-operator`,
      ns,
      id,
      { kind: 'Role', name: `${id}-operator` },
      [sa(id, ns)],
    ),
  ]);
  at('config-service', (_svc, ns) => [
    binding(
      'ClusterRoleBinding',
      `${ns}-default-cluster-admin`,
      undefined,
      undefined,
      { kind: 'ClusterRole', name: 'cluster-admin' },
      [sa('default', ns)],
    ),
  ]);
  at('payment-gateway', ({ id }, ns) => [
    serviceAccount(id, ns, id),
    role('Role', `${id}-secret-reader`, ns, id, [
      {
        apiGroups: [''],
        resources: ['secrets'],
        verbs: ['get', 'list', 'watch'],
      },
    ]),
    binding(
      'RoleBinding',
      `${id}-secret-reader`,
      ns,
      id,
      { kind: 'Role', name: `${id}-secret-reader` },
      [sa(id, ns)],
    ),
  ]);
  at('auth-service', ({ id }, ns) => [
    binding(
      'RoleBinding',
      'legacy-deployer-edit',
      ns,
      id,
      { kind: 'ClusterRole', name: 'edit' },
      [sa('legacy-deployer', ns)],
    ),
  ]);
  at('search-api', ({ id }, ns) => [
    serviceAccount(id, ns, id),
    role('Role', `${id}-config-reader`, ns, id, [
      {
        apiGroups: [''],
        resources: ['configmaps'],
        resourceNames: [`${id}-config`],
        verbs: ['get', 'watch'],
      },
    ]),
    binding(
      'RoleBinding',
      `${id}-config-reader`,
      ns,
      id,
      { kind: 'Role', name: `${id}-config-reader` },
      [sa(id, ns)],
    ),
    binding(
      'RoleBinding',
      'team-discovery-view',
      ns,
      id,
      { kind: 'ClusterRole', name: 'view' },
      [{ kind: 'Group', apiGroup: RBAC, name: 'team-discovery' }],
    ),
  ]);
  return out;
}

/** Policies selecting the pods of some service namespaces (payments, identity, api-gateway). */
function networkPolicies(services: Services): KubeObject[] {
  const policy = (
    name: string,
    namespace: string,
    service: string | undefined,
    spec: object,
  ): KubeObject => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: meta(name, namespace, service),
    spec,
  });
  const fromNamespace = (ns: string) => ({
    namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } },
  });
  const http = [{ protocol: 'TCP', port: 8080 }];
  const out: KubeObject[] = [];
  const payments = services.get('payment-gateway');
  if (payments) {
    const ns = payments.namespace;
    out.push(
      policy('default-deny-ingress', ns, undefined, {
        podSelector: {},
        policyTypes: ['Ingress'],
      }),
      policy(`${payments.id}-from-api-gateway`, ns, payments.id, {
        podSelector: { matchLabels: { app: payments.id } },
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [
              {
                ...fromNamespace(
                  services.get('api-gateway')?.namespace ?? 'nexus-api-gateway',
                ),
                podSelector: { matchLabels: { app: 'api-gateway' } },
              },
            ],
            ports: http,
          },
        ],
      }),
    );
  }
  const auth = services.get('auth-service');
  if (auth)
    out.push(
      policy(`${auth.id}-ingress`, auth.namespace, auth.id, {
        podSelector: { matchLabels: { app: auth.id } },
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ namespaceSelector: {} }], ports: http }],
      }),
    );
  const gateway = services.get('api-gateway');
  if (gateway)
    out.push(
      policy(
        `${gateway.id}-from-ingress-nginx`,
        gateway.namespace,
        gateway.id,
        {
          podSelector: { matchLabels: { app: gateway.id } },
          policyTypes: ['Ingress'],
          ingress: [{ from: [fromNamespace('ingress-nginx')], ports: http }],
        },
      ),
    );
  return out;
}

/** A one-replica batch worker of media-transcoder with a 58-character name. */
function longNamedWorker(
  services: Services,
  progressDeadlineSeconds: number,
): KubeObject[] {
  const svc = services.get(LONG_NAMED_WORKER.service);
  if (!svc) return [];
  const labels = { app: LONG_NAMED_WORKER.name, [ID]: svc.id };
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: LONG_NAMED_WORKER.name,
        namespace: svc.namespace,
        labels,
      },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: LONG_NAMED_WORKER.name } },
        progressDeadlineSeconds,
        template: {
          metadata: { labels },
          spec: {
            containers: [
              {
                name: svc.id,
                image: `${svc.imageRepository}:${SEED_IMAGE_TAG}`,
                args: ['reencode', '--source=legacy-archive'],
                resources: {
                  requests: { cpu: '500m', memory: '512Mi' },
                  limits: { cpu: '1', memory: '1Gi' },
                },
              },
            ],
          },
        },
      },
    },
  ];
}
