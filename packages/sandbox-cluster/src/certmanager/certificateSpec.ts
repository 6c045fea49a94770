import { Causes } from '../api/fieldErrors';
import { KubeObject } from '../store/types';
import { formatGoDuration, parseGoDuration } from './goDuration';
import { PrivateKeySpec } from './x509';

const HOUR = 3_600_000;
/** cert-manager's `DefaultCertificateDuration` (90 days). */
const DEFAULT_DURATION_MS = 2160 * HOUR;
const MIN_DURATION_MS = HOUR;
const MIN_RENEW_BEFORE_MS = 5 * 60_000;

const CM_GROUP = 'cert-manager.io';

/** `spec.issuerRef` with cert-manager's defaults: kind `Issuer`, group `cert-manager.io`. */
export interface IssuerRef {
  name: string;
  kind: string;
  group: string;
}

export function issuerRefOf(cert: KubeObject): IssuerRef {
  const ref = cert.spec?.issuerRef ?? {};
  return {
    name: ref.name ?? '',
    kind: ref.kind || 'Issuer',
    group: ref.group || CM_GROUP,
  };
}

/** `spec.duration`, or cert-manager's 90-day default. */
export function durationOf(cert: KubeObject): number {
  const text = cert.spec?.duration;
  return (
    (typeof text === 'string' && parseGoDuration(text)) || DEFAULT_DURATION_MS
  );
}

/**
 * When cert-manager renews: `renewBefore` ahead of expiry when it is shorter than the
 * lifetime, else `renewBeforePercentage` of it, else a third of it; truncated to seconds.
 */
export function renewalTime(
  cert: KubeObject,
  notBefore: Date,
  notAfter: Date,
): Date {
  const lifetime = notAfter.getTime() - notBefore.getTime();
  const renewBefore = parseGoDuration(String(cert.spec?.renewBefore ?? ''));
  const percentage = cert.spec?.renewBeforePercentage;
  let before = lifetime / 3;
  if (renewBefore && renewBefore > 0 && renewBefore < lifetime)
    before = renewBefore;
  else if (Number.isInteger(percentage) && percentage > 0 && percentage < 100)
    before = (lifetime * percentage) / 100;
  return new Date(Math.floor((notAfter.getTime() - before) / 1000) * 1000);
}

/** `spec.privateKey` with cert-manager's defaults: RSA 2048 (ECDSA 256), PKCS1. */
export function privateKeyOf(cert: KubeObject): PrivateKeySpec {
  const pk = cert.spec?.privateKey ?? {};
  const algorithms: Record<string, PrivateKeySpec['algorithm']> = {
    rsa: 'RSA',
    ecdsa: 'ECDSA',
    ed25519: 'Ed25519',
  };
  const algorithm =
    algorithms[String(pk.algorithm ?? 'RSA').toLowerCase()] ?? 'RSA';
  const defaultSize = { RSA: 2048, ECDSA: 256, Ed25519: 0 }[algorithm];
  return {
    algorithm,
    size: algorithm === 'Ed25519' ? 0 : pk.size || defaultSize,
    encoding: pk.encoding === 'PKCS8' ? 'PKCS8' : 'PKCS1',
  };
}

/** What the Certificate asks to be in its X.509 certificate. */
export function requestedNames(cert: KubeObject) {
  const list = (v: unknown) =>
    Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  const spec = cert.spec ?? {};
  return {
    commonName:
      typeof spec.commonName === 'string' ? spec.commonName : undefined,
    organizations: list(spec.subject?.organizations),
    dnsNames: list(spec.dnsNames),
    ipAddresses: list(spec.ipAddresses),
    uris: list(spec.uris),
    emailAddresses: list(spec.emailAddresses),
    isCA: spec.isCA === true,
    usages: list(spec.usages),
  };
}

/** The checks of cert-manager's validating webhook that the sandbox models. */
export function validateCertManager(object: KubeObject, c: Causes) {
  if (object.kind === 'Certificate') validateCertificate(object, c);
  else validateIssuer(object, c);
}

function validateCertificate(cert: KubeObject, c: Causes) {
  const spec = cert.spec;
  if (!spec || typeof spec !== 'object') {
    c.required('spec');
    return;
  }
  if (!spec.secretName) c.required('spec.secretName', 'must be specified');
  const names = requestedNames(cert);
  if (
    !names.commonName &&
    ![names.dnsNames, names.ipAddresses, names.uris, names.emailAddresses].some(
      l => l.length,
    )
  ) {
    c.invalid(
      'spec',
      '',
      'at least one of commonName (from the commonName field or from a literalSubject), dnsNames, emailSANs, ipAddresses, otherNames, or uriSANs must be set',
    );
  }
  const ref = spec.issuerRef;
  if (!ref?.name) c.required('spec.issuerRef.name', 'must be specified');
  if (
    ref &&
    (!ref.group || ref.group === CM_GROUP) &&
    ref.kind &&
    !['Issuer', 'ClusterIssuer'].includes(ref.kind)
  ) {
    c.invalid(
      'spec.issuerRef.kind',
      ref.kind,
      'must be one of Issuer or ClusterIssuer',
    );
  }
  validatePrivateKey(spec.privateKey, c);
  validateDurations(spec, c);
}

function validatePrivateKey(pk: any, c: Causes) {
  if (!pk || typeof pk !== 'object') return;
  const algorithm = String(pk.algorithm ?? '').toLowerCase();
  if (algorithm && !['rsa', 'ecdsa', 'ed25519'].includes(algorithm)) {
    c.invalid(
      'spec.privateKey.algorithm',
      pk.algorithm,
      'must be either empty or one of rsa, ecdsa or ed25519',
    );
  } else if (
    (!algorithm || algorithm === 'rsa') &&
    pk.size !== undefined &&
    !(pk.size >= 2048 && pk.size <= 8192)
  ) {
    c.invalid(
      'spec.privateKey.size',
      pk.size,
      'must be between 2048 and 8192 for rsa keyAlgorithm',
    );
  } else if (
    algorithm === 'ecdsa' &&
    pk.size !== undefined &&
    ![256, 384, 521].includes(pk.size)
  ) {
    c.unsupported('spec.privateKey.size', pk.size, ['256', '384', '521']);
  }
}

function validateDurations(spec: any, c: Causes) {
  const read = (field: 'duration' | 'renewBefore') => {
    if (spec[field] === undefined) return undefined;
    const ms = parseGoDuration(String(spec[field]));
    if (ms === undefined)
      c.invalid(`spec.${field}`, spec[field], 'time: invalid duration');
    return ms;
  };
  const duration = read('duration');
  const renewBefore = read('renewBefore');
  const effective = duration ?? DEFAULT_DURATION_MS;
  if (duration !== undefined && duration < MIN_DURATION_MS) {
    c.invalid(
      'spec.duration',
      formatGoDuration(duration),
      `certificate duration must be greater than ${formatGoDuration(
        MIN_DURATION_MS,
      )}`,
    );
  }
  if (renewBefore === undefined) return;
  if (spec.renewBeforePercentage !== undefined) {
    c.invalid(
      'spec.renewBefore',
      formatGoDuration(renewBefore),
      'renewBefore and renewBeforePercentage are mutually exclusive and cannot both be set',
    );
  }
  if (renewBefore < MIN_RENEW_BEFORE_MS) {
    c.invalid(
      'spec.renewBefore',
      formatGoDuration(renewBefore),
      `certificate renewBefore must be greater than ${formatGoDuration(
        MIN_RENEW_BEFORE_MS,
      )}`,
    );
  }
  if (effective <= renewBefore) {
    c.invalid(
      'spec.renewBefore',
      formatGoDuration(renewBefore),
      `certificate duration ${formatGoDuration(
        effective,
      )} must be greater than renewBefore ${formatGoDuration(renewBefore)}`,
    );
  }
}

const ISSUER_TYPES = ['acme', 'ca', 'selfSigned', 'vault', 'venafi'];

function validateIssuer(issuer: KubeObject, c: Causes) {
  const spec = issuer.spec ?? {};
  const types = ISSUER_TYPES.filter(t => spec[t] !== undefined);
  if (types.length === 0)
    c.required('spec', 'at least one issuer must be configured');
  for (const extra of types.slice(1))
    c.forbidden(`spec.${extra}`, 'may not specify more than one issuer type');
  if (spec.ca !== undefined && !spec.ca?.secretName)
    c.required('spec.ca.secretName');
}
