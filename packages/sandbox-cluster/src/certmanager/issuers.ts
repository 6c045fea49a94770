import { ObjectStore } from '../store/ObjectStore';
import { KubeObject } from '../store/types';
import { issuerRefOf } from './certificateSpec';
import { Condition } from './conditions';
import { SigningKey, importKey, readCertificate } from './x509';

/** Where ClusterIssuers read their Secrets: cert-manager's `--cluster-resource-namespace`. */
export const CLUSTER_RESOURCE_NAMESPACE = 'cert-manager';

export const ISSUERS = 'cert-manager.io/issuers';
export const CLUSTER_ISSUERS = 'cert-manager.io/clusterissuers';

/** The Issuer or ClusterIssuer a Certificate names, if it exists. */
export function findIssuer(store: ObjectStore, cert: KubeObject) {
  const ref = issuerRefOf(cert);
  if (ref.group !== 'cert-manager.io') return undefined;
  return ref.kind === 'ClusterIssuer'
    ? store.get(CLUSTER_ISSUERS, '', ref.name)
    : store.get(ISSUERS, cert.metadata.namespace ?? '', ref.name);
}

/** The namespace an issuer reads its Secrets from. */
export function secretNamespaceOf(issuer: KubeObject) {
  return issuer.kind === 'ClusterIssuer'
    ? CLUSTER_RESOURCE_NAMESPACE
    : issuer.metadata.namespace ?? '';
}

const b64 = (s: string | undefined) =>
  s === undefined ? undefined : Buffer.from(s, 'base64').toString('utf8');

/**
 * The CA key pair of a `ca` issuer, read from its Secret; throws with cert-manager's
 * wording when it cannot sign.
 */
function caKeyPair(store: ObjectStore, issuer: KubeObject) {
  const namespace = secretNamespaceOf(issuer);
  const name = issuer.spec.ca.secretName;
  const secret = store.get('/secrets', namespace, name);
  if (!secret) throw new Error(`secrets "${name}" not found`);
  const certificatePem = b64(secret.data?.['tls.crt']);
  const keyPem = b64(secret.data?.['tls.key']);
  if (!certificatePem || !keyPem)
    throw new Error(
      `no data for "tls.crt" or "tls.key" in secret '${namespace}/${name}'`,
    );
  // The root the issued certificates chain to: the Secret's `ca.crt`, else the CA itself.
  const caPem = b64(secret.data?.['ca.crt']) ?? certificatePem;
  return { certificatePem, keyPem, caPem };
}

/** The issuer's Ready condition as cert-manager's issuer setup decides it. */
export function issuerReadiness(
  store: ObjectStore,
  issuer: KubeObject,
): Omit<Condition, 'lastTransitionTime'> {
  const generation = issuer.metadata.generation;
  const spec = issuer.spec ?? {};
  if (spec.selfSigned !== undefined)
    return {
      type: 'Ready',
      status: 'True',
      reason: 'IsReady',
      message: '',
      observedGeneration: generation,
    };
  if (spec.ca !== undefined) {
    try {
      const { certificatePem } = caKeyPair(store, issuer);
      if (!readCertificate(certificatePem).isCA) {
        return {
          type: 'Ready',
          status: 'False',
          reason: 'ErrInvalidKeyPair',
          message:
            'Error getting keypair for CA issuer: certificate is not a CA',
          observedGeneration: generation,
        };
      }
    } catch (error) {
      return {
        type: 'Ready',
        status: 'False',
        reason: 'ErrGetKeyPair',
        message: `Error getting keypair for CA issuer: ${
          (error as Error).message
        }`,
        observedGeneration: generation,
      };
    }
    return {
      type: 'Ready',
      status: 'True',
      reason: 'KeyPairVerified',
      message: 'Signing CA verified',
      observedGeneration: generation,
    };
  }
  return {
    type: 'Ready',
    status: 'False',
    reason: 'SandboxUnsupported',
    message:
      'the sandbox cluster issues certificates from selfSigned and ca issuers only',
    observedGeneration: generation,
  };
}

/**
 * Who signs for an issuer: nobody for `selfSigned` (the certificate signs itself), the
 * CA's certificate and key for `ca`, with the root to put in `ca.crt`.
 */
export async function signerOf(
  store: ObjectStore,
  issuer: KubeObject,
): Promise<
  { certificatePem: string; key: SigningKey; caPem: string } | undefined
> {
  if (issuer.spec?.selfSigned !== undefined) return undefined;
  if (issuer.spec?.ca === undefined)
    throw new Error(issuerReadiness(store, issuer).message);
  const { certificatePem, keyPem, caPem } = caKeyPair(store, issuer);
  return { certificatePem, key: await importKey(keyPem), caPem };
}
