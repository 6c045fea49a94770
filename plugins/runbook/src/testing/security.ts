import type {
  AccessReport,
  CertificatesResponse,
  SecurityFindingsResponse,
  SecurityOverview,
  VulnerabilitiesResponse,
} from '@nexus-cos/plugin-runbook-common';
import { fakeRunbookApi, resolution, SERVICE_REF } from './fakeRunbookApi';

const counts = (c: number, h: number, m: number, l: number, u: number) => ({
  CRITICAL: c,
  HIGH: h,
  MEDIUM: m,
  LOW: l,
  UNKNOWN: u,
});

/** media-upload's certificates: a cert-manager one near expiry, a hand-made one with problems. */
export const certificates = (): CertificatesResponse => ({
  warningDays: 30,
  items: [
    {
      name: 'media-upload',
      namespace: 'nexus-media',
      source: 'cert-manager',
      secretName: 'media-upload-tls',
      dnsNames: ['upload.nexus-cos.example'],
      issuer: 'CN=Nexus COS Sandbox Root CA',
      issuerRef: { kind: 'ClusterIssuer', name: 'nexus-cos-ca' },
      notBefore: '2026-09-01T00:00:00Z',
      notAfter: '2026-12-10T00:00:00Z',
      daysLeft: 9,
      status: 'warning',
      keyMatches: true,
      ready: true,
      hosts: ['upload.nexus-cos.example'],
      verification: {
        ok: true,
        keyMatches: true,
        chainPresent: true,
        hostsCovered: true,
        uncoveredHosts: [],
        problems: [],
      },
    },
    {
      name: 'media-upload-legacy-tls',
      namespace: 'nexus-media',
      source: 'secret',
      secretName: 'media-upload-legacy-tls',
      dnsNames: ['old.nexus-cos.example'],
      notAfter: '2026-11-20T00:00:00Z',
      daysLeft: -11,
      status: 'expired',
      keyMatches: false,
      hosts: [],
      verification: {
        ok: false,
        keyMatches: false,
        chainPresent: true,
        hostsCovered: true,
        uncoveredHosts: [],
        problems: ['tls.key does not belong to the certificate'],
      },
    },
  ],
});

export const access = (): AccessReport => ({
  namespace: 'nexus-media',
  reviewMaxAgeDays: 90,
  review: {
    at: '2026-08-29T10:00:00Z',
    by: 'user:default/carol',
    note: 'Checked after the media migration',
  },
  findings: [
    {
      severity: 'critical',
      code: 'cluster-admin',
      message:
        'ServiceAccount nexus-media/default is bound to cluster-admin in every namespace',
      via: 'ClusterRoleBinding/media-admin → ClusterRole/cluster-admin',
    },
    {
      severity: 'low',
      code: 'review-overdue',
      message:
        'Last reviewed 94 days ago by user:default/carol; reviews are due every 90 days',
      via: 'review of nexus-media',
    },
  ],
  subjects: [
    {
      kind: 'ServiceAccount',
      name: 'default',
      namespace: 'nexus-media',
      exists: true,
      rules: [
        {
          apiGroups: ['*'],
          resources: ['*'],
          verbs: ['*'],
          via: 'ClusterRoleBinding/media-admin → ClusterRole/cluster-admin',
        },
      ],
    },
  ],
});

export const vulnerabilities = (): VulnerabilitiesResponse => ({
  images: [
    {
      image: 'nexus-cos/media-upload:1.4.0',
      source: 'trivy-operator',
      scannedAt: '2026-11-30T08:00:00Z',
      counts: counts(2, 5, 14, 31, 2),
      workloads: ['Deployment/media-upload/media-upload'],
      top: [
        {
          id: 'CVE-2024-3094',
          package: 'liblzma5',
          installedVersion: '5.6.0-0.2',
          fixedVersion: '5.6.1+really5.4.5-1',
          severity: 'CRITICAL',
          title: 'xz: malicious code in distributed source',
          link: 'https://avd.aquasec.com/nvd/cve-2024-3094',
        },
      ],
    },
    {
      image: 'nexus-cos/media-upload:1.4.0',
      source: 'upload',
      scannedAt: '2026-11-30T09:00:00Z',
      counts: counts(0, 1, 0, 0, 0),
      top: [],
    },
  ],
});

export const findings = (): SecurityFindingsResponse => ({
  items: [
    {
      check: 'privileged',
      severity: 'critical',
      object: 'Deployment/media-upload/media-upload',
      message:
        'The container runs privileged: it has every capability of the node',
      fix: 'Remove securityContext.privileged, or set it to false',
    },
  ],
});

export const overview = (
  changes: Partial<SecurityOverview> = {},
): SecurityOverview => ({
  generatedAt: '2026-12-01T10:00:00Z',
  certificates: [
    {
      entityRef: SERVICE_REF,
      name: 'media-upload',
      namespace: 'nexus-media',
      secretName: 'media-upload-tls',
      notAfter: '2026-12-10T00:00:00Z',
      daysLeft: 9,
      status: 'warning',
    },
  ],
  vulnerabilities: [
    {
      entityRef: SERVICE_REF,
      image: 'nexus-cos/media-upload:1.4.0',
      source: 'trivy-operator',
      scannedAt: '2026-11-30T08:00:00Z',
      counts: counts(2, 5, 14, 31, 2),
    },
  ],
  access: [
    {
      namespace: 'nexus-media',
      entityRefs: [SERVICE_REF],
      findings: { critical: 1, high: 0, medium: 0, low: 0 },
      review: { at: '2026-08-29T10:00:00Z', by: 'user:default/carol' },
      reviewOverdue: true,
    },
  ],
  rotations: [
    {
      entityRef: SERVICE_REF,
      namespace: 'nexus-media',
      secret: 'media-upload-secrets',
      since: '2026-06-01T00:00:00Z',
      rotated: false,
      ageDays: 183,
    },
  ],
  thresholds: {
    certificateWarningDays: 30,
    criticalVulnerabilities: 0,
    reviewMaxAgeDays: 90,
    rotationMaxAgeDays: 90,
  },
  hidden: 0,
  ...changes,
});

/** A backend answering the Security tab's reads for media-upload, every action allowed. */
export const securityApi = (
  changes: Parameters<typeof fakeRunbookApi>[0] = {},
) =>
  fakeRunbookApi({
    getRunbook: jest.fn(async () =>
      resolution({
        actions: [
          { action: 'renew-certificate', allowed: true },
          { action: 'rotate-secret', allowed: true },
          { action: 'review-access', allowed: true },
        ],
      }),
    ),
    getCertificates: jest.fn(async () => certificates()),
    getAccess: jest.fn(async () => access()),
    getVulnerabilities: jest.fn(async () => vulnerabilities()),
    getSecurityFindings: jest.fn(async () => findings()),
    ...changes,
  });
