import { X509Certificate, createPrivateKey } from 'node:crypto';
import { SandboxCluster } from '../startSandboxCluster';
import { call, eventually, startTestCluster } from './testCluster';

/**
 * The in-sandbox cert-manager: issuers become Ready, Certificates get real key pairs in
 * `kubernetes.io/tls` Secrets, and renewals happen the way `cmctl renew` and
 * `status.renewalTime` trigger them. Certificates are read back with node:crypto.
 */
const CM = '/apis/cert-manager.io/v1';
const NS = 'default';
const CERTS = `${CM}/namespaces/${NS}/certificates`;
const DAY = 86_400_000;

const decode = (b64: string) => Buffer.from(b64, 'base64').toString('utf8');

function condition(object: any, type: string) {
  return (object.status?.conditions ?? []).find((c: any) => c.type === type);
}

describe('cert-manager in the sandbox', () => {
  let cluster: SandboxCluster;

  const get = async (path: string) => (await call(cluster, 'GET', path)).body;
  const secret = (name: string) =>
    get(`/api/v1/namespaces/${NS}/secrets/${name}`);

  /** Creates a Certificate and waits until it is Ready at the given revision. */
  async function issued(name: string, spec: object, revision = 1) {
    const created = await call(cluster, 'POST', CERTS, {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name },
      spec,
    });
    expect(created.status).toBe(201);
    return readyAt(name, revision);
  }

  async function readyAt(name: string, revision: number) {
    return eventually(async () => {
      const cert = await get(`${CERTS}/${name}`);
      expect(cert.status?.revision).toBe(revision);
      expect(condition(cert, 'Ready')?.status).toBe('True');
      expect(condition(cert, 'Issuing')).toBeUndefined();
      return cert;
    });
  }

  beforeAll(async () => {
    cluster = await startTestCluster({ seed: false });
    await call(cluster, 'POST', `${CM}/clusterissuers`, {
      apiVersion: 'cert-manager.io/v1',
      kind: 'ClusterIssuer',
      metadata: { name: 'selfsigned' },
      spec: { selfSigned: {} },
    });
  });
  afterAll(() => cluster.stop());

  it('marks issuers Ready as cert-manager does', async () => {
    const issuer = await eventually(async () => {
      const got = await get(`${CM}/clusterissuers/selfsigned`);
      expect(condition(got, 'Ready')?.status).toBe('True');
      return got;
    });
    expect(condition(issuer, 'Ready')).toMatchObject({
      reason: 'IsReady',
      observedGeneration: 1,
    });
  });

  it('writes a real self-signed certificate and its key into a kubernetes.io/tls Secret', async () => {
    const cert = await issued('web', {
      secretName: 'web-tls',
      commonName: 'web.example.com',
      dnsNames: ['web.example.com', 'www.example.com'],
      issuerRef: { name: 'selfsigned', kind: 'ClusterIssuer' },
      secretTemplate: { labels: { 'backstage.io/kubernetes-id': 'web' } },
    });
    expect(condition(cert, 'Ready')).toMatchObject({
      reason: 'Ready',
      message: 'Certificate is up to date and has not expired',
    });

    const s = await secret('web-tls');
    expect(s.type).toBe('kubernetes.io/tls');
    expect(Object.keys(s.data).sort()).toEqual([
      'ca.crt',
      'tls.crt',
      'tls.key',
    ]);
    expect(s.metadata.labels).toEqual({
      'backstage.io/kubernetes-id': 'web',
      'controller.cert-manager.io/fao': 'true',
    });
    expect(s.metadata.annotations).toMatchObject({
      'cert-manager.io/certificate-name': 'web',
      'cert-manager.io/issuer-name': 'selfsigned',
      'cert-manager.io/issuer-kind': 'ClusterIssuer',
      'cert-manager.io/common-name': 'web.example.com',
      'cert-manager.io/alt-names': 'web.example.com,www.example.com',
    });

    const x509 = new X509Certificate(decode(s.data['tls.crt']));
    expect(x509.subjectAltName).toBe(
      'DNS:web.example.com, DNS:www.example.com',
    );
    expect(x509.subject).toBe('CN=web.example.com');
    expect(x509.issuer).toBe(x509.subject);
    expect(
      x509.checkPrivateKey(createPrivateKey(decode(s.data['tls.key']))),
    ).toBe(true);
    // cert-manager's default key: RSA 2048 in PKCS#1.
    expect(decode(s.data['tls.key'])).toMatch(
      /^-----BEGIN RSA PRIVATE KEY-----/,
    );
    expect(decode(s.data['ca.crt'])).toBe(decode(s.data['tls.crt']));

    const notBefore = Date.parse(x509.validFrom);
    const notAfter = Date.parse(x509.validTo);
    expect(Date.parse(cert.status.notAfter)).toBe(notAfter);
    expect(Date.parse(cert.status.notBefore)).toBe(notBefore);
    // Defaults: 2160h (90 days), renewed when a third of it is left.
    expect(notAfter - notBefore).toBe(90 * DAY);
    expect(Date.parse(cert.status.renewalTime)).toBe(notAfter - 30 * DAY);
  });

  it('re-issues when cmctl renew sets Issuing=True/ManuallyTriggered through the status subresource', async () => {
    const first = await issued('renewed', {
      secretName: 'renewed-tls',
      dnsNames: ['renewed.example.com'],
      privateKey: { algorithm: 'ECDSA', size: 256 },
      issuerRef: { name: 'selfsigned', kind: 'ClusterIssuer' },
    });
    const firstKey = (await secret('renewed-tls')).data['tls.key'];
    // Certificates carry whole seconds: let the clock pass the first one's notBefore.
    await eventually(() =>
      expect(Math.floor(Date.now() / 1000) * 1000).toBeGreaterThan(
        Date.parse(first.status.notBefore),
      ),
    );
    const conditions = [
      ...first.status.conditions,
      {
        type: 'Issuing',
        status: 'True',
        reason: 'ManuallyTriggered',
        message: 'Certificate re-issuance manually triggered',
        observedGeneration: first.metadata.generation,
        lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      },
    ];
    const patched = await call(
      cluster,
      'PATCH',
      `${CERTS}/renewed/status`,
      { status: { conditions } },
      { 'content-type': 'application/merge-patch+json' },
    );
    expect(patched.status).toBe(200);

    const second = await readyAt('renewed', 2);
    expect(Date.parse(second.status.notAfter)).toBeGreaterThan(
      Date.parse(first.status.notAfter),
    );
    const s = await secret('renewed-tls');
    const x509 = new X509Certificate(decode(s.data['tls.crt']));
    expect(Date.parse(x509.validTo)).toBe(Date.parse(second.status.notAfter));
    // rotationPolicy Always (the default): a new key, matching the new certificate.
    expect(s.data['tls.key']).not.toBe(firstKey);
    expect(
      x509.checkPrivateKey(createPrivateKey(decode(s.data['tls.key']))),
    ).toBe(true);
    const events = (
      await get(
        `/api/v1/namespaces/${NS}/events?fieldSelector=involvedObject.name%3Drenewed`,
      )
    ).items.map((e: any) => `${e.reason}: ${e.message}`);
    expect(events).toContain(
      'Issuing: The certificate has been successfully issued',
    );
  });

  it('renews by itself at status.renewalTime', async () => {
    // Renew one second after issuance: 1h lifetime, renewBefore 59m59s.
    const first = await issued('short', {
      secretName: 'short-tls',
      dnsNames: ['short.example.com'],
      duration: '1h',
      renewBefore: '59m59s',
      privateKey: { algorithm: 'ECDSA' },
      issuerRef: { name: 'selfsigned', kind: 'ClusterIssuer' },
    });
    expect(
      Date.parse(first.status.renewalTime) - Date.parse(first.status.notBefore),
    ).toBe(1000);
    await eventually(async () => {
      const cert = await get(`${CERTS}/short`);
      expect(cert.status.revision).toBeGreaterThanOrEqual(2);
    });
    const events = (
      await get(
        `/api/v1/namespaces/${NS}/events?fieldSelector=involvedObject.name%3Dshort`,
      )
    ).items.map((e: any) => e.message);
    expect(events).toContain(
      `Renewing certificate as renewal was scheduled at ${first.status.renewalTime
        .replace('T', ' ')
        .replace('Z', '')} +0000 UTC`,
    );
    await call(cluster, 'DELETE', `${CERTS}/short`);
  });

  it('issues from a CA issuer whose CA is itself a cert-manager Certificate', async () => {
    await call(cluster, 'POST', '/api/v1/namespaces', {
      metadata: { name: 'cert-manager' },
    });
    await call(cluster, 'POST', `${CM}/clusterissuers`, {
      apiVersion: 'cert-manager.io/v1',
      kind: 'ClusterIssuer',
      metadata: { name: 'ca' },
      spec: { ca: { secretName: 'root-ca' } },
    });
    const waiting = await eventually(async () => {
      const got = await get(`${CM}/clusterissuers/ca`);
      expect(condition(got, 'Ready')?.status).toBe('False');
      return got;
    });
    expect(condition(waiting, 'Ready')).toMatchObject({
      reason: 'ErrGetKeyPair',
      message:
        'Error getting keypair for CA issuer: secrets "root-ca" not found',
    });

    await call(cluster, 'POST', `${CM}/namespaces/cert-manager/certificates`, {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name: 'root-ca' },
      spec: {
        isCA: true,
        commonName: 'Sandbox Root CA',
        secretName: 'root-ca',
        privateKey: { algorithm: 'ECDSA', size: 256 },
        issuerRef: { name: 'selfsigned', kind: 'ClusterIssuer' },
      },
    });
    await eventually(async () =>
      expect(
        condition(await get(`${CM}/clusterissuers/ca`), 'Ready'),
      ).toMatchObject({ status: 'True', reason: 'KeyPairVerified' }),
    );

    await issued('leaf', {
      secretName: 'leaf-tls',
      dnsNames: ['leaf.example.com'],
      issuerRef: { name: 'ca', kind: 'ClusterIssuer' },
    });
    const s = await secret('leaf-tls');
    const leaf = new X509Certificate(decode(s.data['tls.crt']));
    const ca = new X509Certificate(decode(s.data['ca.crt']));
    expect(ca.subject).toBe('CN=Sandbox Root CA');
    expect(ca.ca).toBe(true);
    expect(leaf.issuer).toBe('CN=Sandbox Root CA');
    expect(leaf.verify(ca.publicKey)).toBe(true);
    expect(leaf.ca).toBe(false);
  });

  it('re-issues when the spec or the Secret no longer fit, and reports why', async () => {
    await issued('changing', {
      secretName: 'changing-tls',
      dnsNames: ['a.example.com'],
      privateKey: { algorithm: 'ECDSA' },
      issuerRef: { name: 'selfsigned', kind: 'ClusterIssuer' },
    });
    const patched = await call(
      cluster,
      'PATCH',
      `${CERTS}/changing`,
      { spec: { dnsNames: ['a.example.com', 'b.example.com'] } },
      { 'content-type': 'application/merge-patch+json' },
    );
    expect(patched.body.metadata.generation).toBe(2);
    const second = await readyAt('changing', 2);
    expect(condition(second, 'Ready')?.observedGeneration).toBe(2);
    expect(
      new X509Certificate(
        decode((await secret('changing-tls')).data['tls.crt']),
      ).subjectAltName,
    ).toBe('DNS:a.example.com, DNS:b.example.com');

    await call(
      cluster,
      'DELETE',
      `/api/v1/namespaces/${NS}/secrets/changing-tls`,
    );
    await readyAt('changing', 3);
    const events = (
      await get(
        `/api/v1/namespaces/${NS}/events?fieldSelector=involvedObject.name%3Dchanging`,
      )
    ).items.map((e: any) => e.message);
    expect(events).toEqual(
      expect.arrayContaining([
        'Issuing certificate as Existing issued Secret is not up to date for spec: [spec.dnsNames]',
        'Issuing certificate as Secret does not exist',
      ]),
    );
  });

  it('waits for a missing issuer with Ready=False, then issues once it exists', async () => {
    await call(cluster, 'POST', CERTS, {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name: 'orphan' },
      spec: {
        secretName: 'orphan-tls',
        dnsNames: ['orphan.example.com'],
        privateKey: { algorithm: 'ECDSA' },
        issuerRef: { name: 'later' },
      },
    });
    const pending = await eventually(async () => {
      const got = await get(`${CERTS}/orphan`);
      expect(condition(got, 'Issuing')?.status).toBe('True');
      expect(condition(got, 'Ready')?.status).toBe('False');
      return got;
    });
    expect(condition(pending, 'Ready')).toMatchObject({
      reason: 'DoesNotExist',
      message: 'Issuing certificate as Secret does not exist',
    });
    await call(cluster, 'POST', `${CM}/namespaces/${NS}/issuers`, {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Issuer',
      metadata: { name: 'later' },
      spec: { selfSigned: {} },
    });
    await readyAt('orphan', 1);
    expect(
      (await secret('orphan-tls')).metadata.annotations[
        'cert-manager.io/issuer-kind'
      ],
    ).toBe('');
  });

  it("rejects what cert-manager's webhook rejects", async () => {
    const reply = await call(cluster, 'POST', CERTS, {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name: 'invalid' },
      spec: { duration: '30m', issuerRef: {} },
    });
    expect(reply.status).toBe(422);
    expect(reply.body.details.causes.map((c: any) => c.message)).toEqual([
      'Required value: must be specified',
      'Invalid value: "": at least one of commonName (from the commonName field or from a literalSubject), dnsNames, emailSANs, ipAddresses, otherNames, or uriSANs must be set',
      'Required value: must be specified',
      'Invalid value: "30m0s": certificate duration must be greater than 1h0m0s',
    ]);
  });
});
