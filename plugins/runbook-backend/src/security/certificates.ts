import { X509Certificate, createPrivateKey } from 'node:crypto';
import {
  ANNOTATION_KUBERNETES_ID,
  CertificateItem,
  CertificateStatus,
  TlsVerification,
} from '@nexus-cos/plugin-runbook-common';
import type {
  SecuritySnapshot,
  ServiceRef,
  TlsSecret,
} from './SecurityInventory';

const DAY_MS = 86_400_000;
const PEM_CERTIFICATE =
  /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** What a TLS Secret's certificate says, read once per sweep; the key is not kept. */
export type ParsedCertificate = {
  subject: string;
  issuer: string;
  dnsNames: string[];
  notBefore: string;
  notAfter: string;
  keyMatches: boolean;
  chainPresent: boolean;
  /** The leaf, for host checks (public data only). */
  leaf: X509Certificate;
};

const decode = (value: string | undefined) =>
  value === undefined
    ? undefined
    : Buffer.from(value, 'base64').toString('utf8');

const distinguishedName = (dn: string) =>
  dn.split('\n').filter(Boolean).join(', ');

/** The DNS names of a certificate's subjectAltName. */
function dnsNamesOf(cert: X509Certificate): string[] {
  return (cert.subjectAltName ?? '')
    .split(', ')
    .filter(entry => entry.startsWith('DNS:'))
    .map(entry => entry.slice(4).replace(/^"|"$/g, ''));
}

/**
 * Whether `parent` signed `cert`: its subject is the issuer, and its key verifies the
 * signature. (X509Certificate.checkIssued also wants keyCertSign, which a self-signed
 * leaf rightly lacks.)
 */
const signedBy = (cert: X509Certificate, parent: X509Certificate) =>
  cert.issuer === parent.subject && cert.verify(parent.publicKey);

/**
 * Whether the certificates lead from the leaf to a self-signed root: each one signed by
 * the next, found in `tls.crt` after the leaf or in `ca.crt`.
 */
function chainPresent(leaf: X509Certificate, pool: X509Certificate[]): boolean {
  const parentOf = (cert: X509Certificate) =>
    pool.find(c => c !== cert && signedBy(cert, c));
  let current: X509Certificate | undefined = leaf;
  for (let depth = 0; current && depth <= pool.length; depth++) {
    if (signedBy(current, current)) return true;
    current = parentOf(current);
  }
  return false;
}

/**
 * Reads a `kubernetes.io/tls` Secret's data with node:crypto: the leaf's names and
 * dates, whether `tls.key` belongs to it and whether its chain is present. Throws with
 * a message that names what is wrong, never the data.
 */
export function parseTlsData(
  data: Record<string, string> | undefined,
): ParsedCertificate {
  const crt = decode(data?.['tls.crt']);
  if (!crt) throw new Error('the Secret has no tls.crt');
  const pems = crt.match(PEM_CERTIFICATE) ?? [];
  if (!pems.length) throw new Error('tls.crt holds no PEM certificate');
  let chain: X509Certificate[];
  try {
    chain = pems.map(pem => new X509Certificate(pem));
  } catch {
    throw new Error('tls.crt holds a certificate node:crypto cannot parse');
  }
  const leaf = chain[0];
  const ca = (decode(data?.['ca.crt'])?.match(PEM_CERTIFICATE) ?? []).flatMap(
    pem => {
      try {
        return [new X509Certificate(pem)];
      } catch {
        return [];
      }
    },
  );
  let keyMatches = false;
  const key = decode(data?.['tls.key']);
  if (key) {
    try {
      keyMatches = leaf.checkPrivateKey(createPrivateKey(key));
    } catch {
      keyMatches = false;
    }
  }
  return {
    subject: distinguishedName(leaf.subject),
    issuer: distinguishedName(leaf.issuer),
    dnsNames: dnsNamesOf(leaf),
    notBefore: new Date(leaf.validFrom).toISOString(),
    notAfter: new Date(leaf.validTo).toISOString(),
    keyMatches,
    chainPresent: chainPresent(leaf, [...chain.slice(1), ...ca]),
    leaf,
  };
}

/** Whole days until `notAfter`, rounded down; negative once it has passed. */
export const daysLeft = (notAfter: string, now: number) =>
  Math.floor((Date.parse(notAfter) - now) / DAY_MS);

/**
 * From the certificate's own `notAfter`, never from cert-manager's `Ready` condition,
 * which can stay True after expiry.
 */
export function certificateStatus(
  notAfter: string,
  now: number,
  warningDays: number,
): CertificateStatus {
  if (Date.parse(notAfter) <= now) return 'expired';
  return daysLeft(notAfter, now) < warningDays ? 'warning' : 'ok';
}

/** The TLS check: key and certificate match, chain present, SANs cover the Ingress hosts. */
export function verifyTls(
  parsed: ParsedCertificate | undefined,
  hosts: string[],
  error?: string,
): TlsVerification {
  if (!parsed) {
    return {
      ok: false,
      keyMatches: false,
      chainPresent: false,
      hostsCovered: hosts.length === 0,
      uncoveredHosts: hosts,
      problems: [error ?? 'no certificate'],
    };
  }
  const uncoveredHosts = hosts.filter(h => !parsed.leaf.checkHost(h));
  const problems = [
    ...(parsed.keyMatches
      ? []
      : ['tls.key does not belong to the certificate']),
    ...(parsed.chainPresent
      ? []
      : ['the chain to a root is incomplete (tls.crt and ca.crt)']),
    ...(uncoveredHosts.length
      ? [`no SAN covers ${uncoveredHosts.join(', ')}`]
      : []),
  ];
  return {
    ok: problems.length === 0,
    keyMatches: parsed.keyMatches,
    chainPresent: parsed.chainPresent,
    hostsCovered: uncoveredHosts.length === 0,
    uncoveredHosts,
    problems,
  };
}

const labelled = (
  o: { metadata?: { labels?: Record<string, string> } },
  service: string,
) => o.metadata?.labels?.[ANNOTATION_KUBERNETES_ID] === service;

/** Hosts of the namespace's Ingresses whose `tls` names each Secret. */
function ingressHosts(snapshot: SecuritySnapshot, namespace: string) {
  const hosts = new Map<string, Set<string>>();
  for (const ingress of snapshot.ingresses) {
    if (ingress.metadata?.namespace !== namespace) continue;
    for (const tls of ingress.spec?.tls ?? []) {
      if (!tls.secretName) continue;
      const set = hosts.get(tls.secretName) ?? new Set<string>();
      for (const h of tls.hosts ?? []) set.add(h);
      hosts.set(tls.secretName, set);
    }
  }
  return hosts;
}

/**
 * A service's certificates: its cert-manager Certificates, then the TLS Secrets that
 * belong to it and no listed Certificate manages. A TLS Secret belongs to the service
 * when it carries `backstage.io/kubernetes-id=<svc>`, or a Certificate or Ingress of the
 * service names it.
 */
export function certificateItems(
  snapshot: SecuritySnapshot,
  { namespace, service }: ServiceRef,
  now: number,
  warningDays: number,
): CertificateItem[] {
  const secrets = new Map(
    snapshot.tlsSecrets
      .filter(s => s.namespace === namespace)
      .map(s => [s.name, s] as const),
  );
  const hostsBySecret = ingressHosts(snapshot, namespace);
  const named = new Set<string>([
    ...[...secrets.values()]
      .filter(s => s.labels[ANNOTATION_KUBERNETES_ID] === service)
      .map(s => s.name),
    ...snapshot.ingresses
      .filter(i => i.metadata?.namespace === namespace && labelled(i, service))
      .flatMap(i => (i.spec?.tls ?? []).map(t => t.secretName))
      .filter((n): n is string => Boolean(n)),
  ]);
  const certificates = snapshot.certificates.filter(
    c =>
      c.metadata?.namespace === namespace &&
      (labelled(c, service) || named.has(c.spec?.secretName)),
  );
  const managed = new Set(certificates.map(c => c.spec?.secretName as string));
  const item = (
    base: Pick<
      CertificateItem,
      'name' | 'source' | 'secretName' | 'issuerRef' | 'renewalTime' | 'ready'
    >,
  ): CertificateItem => {
    const secret: TlsSecret | undefined = secrets.get(base.secretName);
    const hosts = [...(hostsBySecret.get(base.secretName) ?? [])].sort();
    const parsed = secret?.certificate;
    const error = secret
      ? secret.error
      : `Secret ${base.secretName} does not exist in ${namespace}`;
    return {
      ...base,
      namespace,
      subject: parsed?.subject,
      dnsNames: parsed?.dnsNames ?? [],
      issuer: parsed?.issuer,
      notBefore: parsed?.notBefore,
      notAfter: parsed?.notAfter,
      daysLeft: parsed ? daysLeft(parsed.notAfter, now) : undefined,
      status: parsed
        ? certificateStatus(parsed.notAfter, now, warningDays)
        : 'missing',
      keyMatches: parsed?.keyMatches ?? false,
      hosts,
      verification: verifyTls(parsed, hosts, error),
      ...(parsed ? {} : { error }),
    };
  };
  const strip = <T extends object>(o: T) =>
    Object.fromEntries(
      Object.entries(o).filter(([, v]) => v !== undefined),
    ) as T;
  return [
    ...certificates
      .map(c =>
        item({
          name: c.metadata.name,
          source: 'cert-manager',
          secretName: c.spec?.secretName,
          issuerRef: c.spec?.issuerRef && {
            kind: c.spec.issuerRef.kind ?? 'Issuer',
            name: c.spec.issuerRef.name,
          },
          renewalTime: c.status?.renewalTime,
          ready: readyOf(c),
        }),
      )
      .sort((a, b) => a.name.localeCompare(b.name)),
    ...[...named]
      .filter(name => !managed.has(name) && secrets.has(name))
      .sort()
      .map(name => item({ name, source: 'secret', secretName: name })),
  ].map(strip);
}

function readyOf(certificate: any): boolean | undefined {
  const ready = (certificate.status?.conditions ?? []).find(
    (c: any) => c.type === 'Ready',
  );
  return ready ? ready.status === 'True' : undefined;
}
