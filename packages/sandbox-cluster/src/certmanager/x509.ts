import {
  KeyObject,
  X509Certificate,
  createPrivateKey,
  createPublicKey,
  webcrypto,
} from 'node:crypto';
import * as x509 from '@peculiar/x509';

// node:crypto parses certificates but cannot build them; @peculiar/x509 builds them on
// node's WebCrypto.
x509.cryptoProvider.set(webcrypto as unknown as Crypto);

/** `spec.privateKey` of a Certificate, with cert-manager's defaults filled in. */
export interface PrivateKeySpec {
  algorithm: 'RSA' | 'ECDSA' | 'Ed25519';
  size: number;
  /** How `tls.key` is encoded: PKCS1 (cert-manager's default; SEC1 for EC keys) or PKCS8. */
  encoding: 'PKCS1' | 'PKCS8';
}

/** A private key: WebCrypto handles to sign with, and the PEM that goes into `tls.key`. */
export interface SigningKey {
  privateKey: webcrypto.CryptoKey;
  publicKey: webcrypto.CryptoKey;
  pem: string;
}

/** What the certificate says about its subject; cert-manager takes it from the Certificate's spec. */
export interface CertificateTemplate {
  commonName?: string;
  organizations?: string[];
  dnsNames?: string[];
  ipAddresses?: string[];
  uris?: string[];
  emailAddresses?: string[];
  isCA?: boolean;
  /** cert-manager's names: `digital signature`, `key encipherment`, `server auth`, ... */
  usages?: string[];
  notBefore: Date;
  notAfter: Date;
}

const CURVES: Record<number, { namedCurve: string; hash: string }> = {
  256: { namedCurve: 'P-256', hash: 'SHA-256' },
  384: { namedCurve: 'P-384', hash: 'SHA-384' },
  521: { namedCurve: 'P-521', hash: 'SHA-512' },
};

/** The WebCrypto algorithm of a key, for generating, importing and signing. */
function algorithmOf(spec: Pick<PrivateKeySpec, 'algorithm' | 'size'>) {
  if (spec.algorithm === 'ECDSA')
    return { name: 'ECDSA', ...(CURVES[spec.size] ?? CURVES[256]) };
  if (spec.algorithm === 'Ed25519') return { name: 'Ed25519' };
  return {
    name: 'RSASSA-PKCS1-v1_5',
    hash: 'SHA-256',
    modulusLength: spec.size,
    publicExponent: new Uint8Array([1, 0, 1]),
  };
}

function toPem(key: KeyObject, encoding: PrivateKeySpec['encoding']) {
  let type: 'pkcs8' | 'sec1' | 'pkcs1' = 'pkcs1';
  if (encoding === 'PKCS8' || key.asymmetricKeyType === 'ed25519')
    type = 'pkcs8';
  else if (key.asymmetricKeyType === 'ec') type = 'sec1';
  return key.export({ type, format: 'pem' }).toString();
}

/** A new private key, as cert-manager generates one for each issuance. */
export async function generateKey(spec: PrivateKeySpec): Promise<SigningKey> {
  const pair = (await webcrypto.subtle.generateKey(algorithmOf(spec), true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
  return {
    ...pair,
    pem: toPem(KeyObject.from(pair.privateKey), spec.encoding),
  };
}

/** The algorithm and size of a PEM private key (PKCS1, SEC1 or PKCS8). */
export function describeKey(
  pem: string,
): Pick<PrivateKeySpec, 'algorithm' | 'size'> {
  const key = createPrivateKey(pem);
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'ec') {
    const curve = Object.entries(CURVES).find(
      ([, c]) =>
        c.namedCurve ===
        { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' }[
          details.namedCurve ?? ''
        ],
    );
    return { algorithm: 'ECDSA', size: Number(curve?.[0] ?? 256) };
  }
  if (key.asymmetricKeyType === 'ed25519')
    return { algorithm: 'Ed25519', size: 0 };
  return { algorithm: 'RSA', size: details.modulusLength ?? 0 };
}

/** A PEM private key (e.g. an existing `tls.key`) as a key to sign with. */
export async function importKey(pem: string): Promise<SigningKey> {
  const key = createPrivateKey(pem);
  const algorithm = algorithmOf(describeKey(pem));
  const [privateKey, publicKey] = await Promise.all([
    webcrypto.subtle.importKey(
      'pkcs8',
      key.export({ type: 'pkcs8', format: 'der' }),
      algorithm,
      true,
      ['sign'],
    ),
    webcrypto.subtle.importKey(
      'spki',
      createPublicKey(key).export({ type: 'spki', format: 'der' }),
      algorithm,
      true,
      ['verify'],
    ),
  ]);
  return { privateKey, publicKey, pem };
}

const KEY_USAGES: Record<string, x509.KeyUsageFlags> = {
  'digital signature': x509.KeyUsageFlags.digitalSignature,
  'content commitment': x509.KeyUsageFlags.nonRepudiation,
  'key encipherment': x509.KeyUsageFlags.keyEncipherment,
  'data encipherment': x509.KeyUsageFlags.dataEncipherment,
  'key agreement': x509.KeyUsageFlags.keyAgreement,
  'cert sign': x509.KeyUsageFlags.keyCertSign,
  'crl sign': x509.KeyUsageFlags.cRLSign,
  'encipher only': x509.KeyUsageFlags.encipherOnly,
  'decipher only': x509.KeyUsageFlags.decipherOnly,
};

const EXTENDED_KEY_USAGES: Record<string, string> = {
  'server auth': x509.ExtendedKeyUsage.serverAuth,
  'client auth': x509.ExtendedKeyUsage.clientAuth,
  'code signing': x509.ExtendedKeyUsage.codeSigning,
  'email protection': x509.ExtendedKeyUsage.emailProtection,
  timestamping: x509.ExtendedKeyUsage.timeStamping,
  'ocsp signing': x509.ExtendedKeyUsage.ocspSigning,
};

/** Key usage extensions as cert-manager derives them from `spec.usages` and `spec.isCA`. */
function usageExtensions(template: CertificateTemplate, key: SigningKey) {
  const usages = template.usages?.length
    ? template.usages
    : ['digital signature', 'key encipherment'];
  let flags = usages.reduce((f, u) => f | (KEY_USAGES[u] ?? 0), 0);
  if (template.isCA) flags |= x509.KeyUsageFlags.keyCertSign;
  // Only RSA keys can encipher other keys.
  if (key.privateKey.algorithm.name !== 'RSASSA-PKCS1-v1_5')
    flags &= ~x509.KeyUsageFlags.keyEncipherment;
  const extended = usages
    .map(u => EXTENDED_KEY_USAGES[u])
    .filter((u): u is string => u !== undefined);
  return [
    new x509.KeyUsagesExtension(flags, true),
    ...(extended.length
      ? [new x509.ExtendedKeyUsageExtension(extended, false)]
      : []),
  ];
}

/**
 * Builds and signs a certificate for `subjectKey`: self-signed without an issuer,
 * otherwise signed by the issuer's CA certificate and key. Returns the PEM.
 */
export async function signCertificate(
  template: CertificateTemplate,
  subjectKey: SigningKey,
  issuer?: { certificatePem: string; key: SigningKey },
): Promise<string> {
  const subject: x509.JsonName = [];
  if (template.commonName) subject.push({ CN: [template.commonName] });
  if (template.organizations?.length)
    subject.push({ O: template.organizations });
  const altNames: x509.JsonGeneralName[] = [
    ...(template.dnsNames ?? []).map(value => ({
      type: 'dns' as const,
      value,
    })),
    ...(template.ipAddresses ?? []).map(value => ({
      type: 'ip' as const,
      value,
    })),
    ...(template.uris ?? []).map(value => ({ type: 'url' as const, value })),
    ...(template.emailAddresses ?? []).map(value => ({
      type: 'email' as const,
      value,
    })),
  ];
  const signer = issuer?.key ?? subjectKey;
  const issuerCertificate = issuer
    ? new x509.X509Certificate(issuer.certificatePem)
    : undefined;
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(!!template.isCA, undefined, true),
    ...usageExtensions(template, subjectKey),
    await x509.SubjectKeyIdentifierExtension.create(subjectKey.publicKey),
    await x509.AuthorityKeyIdentifierExtension.create(signer.publicKey),
  ];
  if (altNames.length) {
    // An empty subject makes the SANs the certificate's only names: RFC 5280 wants them critical.
    extensions.push(
      new x509.SubjectAlternativeNameExtension(altNames, subject.length === 0),
    );
  }
  const certificate = await x509.X509CertificateGenerator.create({
    subject,
    issuer: issuerCertificate?.subject ?? subject,
    notBefore: template.notBefore,
    notAfter: template.notAfter,
    publicKey: subjectKey.publicKey,
    signingKey: signer.privateKey,
    signingAlgorithm: signer.privateKey.algorithm,
    extensions,
  });
  return certificate.toString('pem');
}

/** What a PEM certificate (the first of a chain) says, read with node:crypto. */
export function readCertificate(pem: string) {
  const cert = new X509Certificate(pem);
  const dnsNames = (cert.subjectAltName ?? '')
    .split(', ')
    .filter(n => n.startsWith('DNS:'))
    .map(n => n.slice(4));
  return {
    certificate: cert,
    notBefore: new Date(cert.validFrom),
    notAfter: new Date(cert.validTo),
    dnsNames,
    isCA: cert.ca,
  };
}

/** Whether a PEM private key belongs to a PEM certificate. */
export function keyMatches(certificatePem: string, keyPem: string) {
  try {
    return new X509Certificate(certificatePem).checkPrivateKey(
      createPrivateKey(keyPem),
    );
  } catch {
    return false;
  }
}
