/** Severities of access and configuration findings, worst first. @public */
export const FINDING_SEVERITIES = [
  'critical',
  'high',
  'medium',
  'low',
] as const;
/** @public */
export type FindingSeverity = (typeof FINDING_SEVERITIES)[number];

/**
 * `ok`, `warning` (fewer days left than the warning threshold) or `expired`, from the
 * certificate itself; `missing` when its Secret holds no readable certificate.
 * @public
 */
export type CertificateStatus = 'ok' | 'warning' | 'expired' | 'missing';

/** The "verify TLS" check of one TLS Secret. @public */
export type TlsVerification = {
  ok: boolean;
  /** The private key belongs to the certificate. */
  keyMatches: boolean;
  /** Each certificate is signed by the next, up to a self-signed root (`ca.crt` counts). */
  chainPresent: boolean;
  /** Every host of the Ingresses that use the Secret is covered by a SAN. */
  hostsCovered: boolean;
  uncoveredHosts: string[];
  /** Each failed part, in words. */
  problems: string[];
};

/** One certificate of a service: a cert-manager Certificate, or a TLS Secret it does not manage. @public */
export type CertificateItem = {
  /** The Certificate's name, or the Secret's for `source: "secret"`. */
  name: string;
  namespace: string;
  source: 'cert-manager' | 'secret';
  secretName: string;
  subject?: string;
  dnsNames: string[];
  /** The issuer's distinguished name, from the certificate. */
  issuer?: string;
  /** The cert-manager issuer the Certificate names. */
  issuerRef?: { kind: string; name: string };
  notBefore?: string;
  notAfter?: string;
  /** Whole days until `notAfter`; negative once expired. */
  daysLeft?: number;
  status: CertificateStatus;
  keyMatches: boolean;
  /** When cert-manager will renew it. */
  renewalTime?: string;
  /** cert-manager's `Ready` condition, shown for comparison only: expiry comes from the certificate. */
  ready?: boolean;
  /** Hosts of the Ingresses whose `tls` names the Secret. */
  hosts: string[];
  verification: TlsVerification;
  /** Why the certificate could not be read. */
  error?: string;
};

/** `GET /entities/E/certificates`. @public */
export type CertificatesResponse = {
  items: CertificateItem[];
  /** Days left below which a certificate is a warning. */
  warningDays: number;
  /** When the cluster was last read. */
  observedAt?: string;
};

/** One thing a subject may do, and the binding that grants it. @public */
export type AccessRule = {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
  /** `RoleBinding/<name> → Role/<name>`, or the ClusterRoleBinding and ClusterRole. */
  via: string;
};

/** Who is bound to roles in a namespace. @public */
export type AccessSubject = {
  kind: string;
  name: string;
  namespace?: string;
  /** For ServiceAccounts: whether it exists. */
  exists?: boolean;
  rules: AccessRule[];
};

/** Codes of access findings. @public */
export type AccessFindingCode =
  | 'cluster-admin'
  | 'wildcard'
  | 'secret-read'
  | 'default-service-account'
  | 'missing-subject'
  | 'missing-role'
  | 'review-overdue';

/** A risky grant, or an overdue review. @public */
export type AccessFinding = {
  severity: FindingSeverity;
  code: AccessFindingCode;
  message: string;
  via: string;
};

/** The last "reviewed" mark of a namespace. @public */
export type AccessReview = {
  at: string;
  by: string;
  note: string;
  runId?: string;
};

/** `GET /entities/E/access`. @public */
export type AccessReport = {
  namespace: string;
  subjects: AccessSubject[];
  findings: AccessFinding[];
  review?: AccessReview;
  /** Days after which a review is overdue. */
  reviewMaxAgeDays: number;
  observedAt?: string;
};

/** Trivy's severities, worst first. @public */
export const VULNERABILITY_SEVERITIES = [
  'CRITICAL',
  'HIGH',
  'MEDIUM',
  'LOW',
  'UNKNOWN',
] as const;
/** @public */
export type VulnerabilitySeverity = (typeof VULNERABILITY_SEVERITIES)[number];
/** @public */
export type VulnerabilityCounts = Record<VulnerabilitySeverity, number>;

/** One listed vulnerability. @public */
export type VulnerabilityFinding = {
  id: string;
  package: string;
  installedVersion?: string;
  fixedVersion?: string;
  severity: VulnerabilitySeverity;
  title?: string;
  link?: string;
};

/** What a scan found in one image. @public */
export type ImageVulnerabilities = {
  image: string;
  source: 'trivy-operator' | 'upload';
  scannedAt: string;
  /** By severity, from the report's summary: it may count more than it lists. */
  counts: VulnerabilityCounts;
  /** The worst listed findings. */
  top: VulnerabilityFinding[];
  /** For trivy-operator: the Deployments and containers that run the image. */
  workloads?: string[];
};

/** `GET /entities/E/vulnerabilities`. @public */
export type VulnerabilitiesResponse = {
  images: ImageVulnerabilities[];
  observedAt?: string;
};

/** `POST /vulnerabilities/reports`. @public */
export type VulnerabilityUploadResult = {
  image: string;
  counts: VulnerabilityCounts;
};

/** One configuration finding on a workload, in the style of ConfigAuditReports and Polaris. @public */
export type ConfigFinding = {
  check: string;
  severity: FindingSeverity;
  /** `Deployment/<name>`, with `/<container>` for container checks. */
  object: string;
  message: string;
  fix: string;
};

/** `GET /entities/E/security-findings`. @public */
export type SecurityFindingsResponse = {
  items: ConfigFinding[];
  observedAt?: string;
};

/** `GET /security/overview`: what needs attention, across the services the caller may read. @public */
export type SecurityOverview = {
  generatedAt: string;
  observedAt?: string;
  /** Certificates below the warning threshold, expired, or unreadable. */
  certificates: Array<{
    entityRef: string;
    name: string;
    namespace: string;
    secretName: string;
    notAfter?: string;
    daysLeft?: number;
    status: CertificateStatus;
  }>;
  /** Images with CRITICAL findings. */
  vulnerabilities: Array<{
    entityRef: string;
    image: string;
    source: ImageVulnerabilities['source'];
    scannedAt: string;
    counts: VulnerabilityCounts;
  }>;
  /** Namespaces with risky grants, an overdue review or none at all. */
  access: Array<{
    namespace: string;
    /** The services in it that the caller may read. */
    entityRefs: string[];
    findings: Record<FindingSeverity, number>;
    review?: { at: string; by: string };
    reviewOverdue: boolean;
  }>;
  /** Secrets of services not rotated within the configured number of days. */
  rotations: Array<{
    entityRef: string;
    namespace: string;
    secret: string;
    /** When the portal last rotated it; else when it was created. */
    since: string;
    rotated: boolean;
    ageDays: number;
  }>;
  thresholds: {
    certificateWarningDays: number;
    criticalVulnerabilities: number;
    reviewMaxAgeDays: number;
    rotationMaxAgeDays: number;
  };
  /** Services left out because the caller may not read their security state. */
  hidden: number;
};
