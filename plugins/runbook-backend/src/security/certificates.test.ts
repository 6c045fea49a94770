import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { promisify } from 'node:util';
import { mockServices } from '@backstage/backend-test-utils';
import { component } from '../__testUtils__/testBackend';
import { startSeededSandbox } from '../__testUtils__/sandbox';
import { KubernetesClients } from '../kubernetes/KubernetesClients';
import {
  certificateExpiryCheck,
  criticalVulnerabilitiesCheck,
} from '../maintenance/checks/security';
import { OpenSslCa } from './__testUtils__/openssl';
import { eventually } from './__testUtils__/securityFixtures';
import { certificateItems, certificateStatus, daysLeft } from './certificates';
import { readSecurityConfig } from './config';
import { SecurityInventory } from './SecurityInventory';
import { SecurityService } from './SecurityService';
import { ConfigReader } from '@backstage/config';

jest.setTimeout(120_000);

const NS = 'nexus-shop';
const DAY = 86_400_000;
/** Every expectation below is about this instant, never the wall clock. */
const NOW = Date.parse('2030-01-01T00:00:00Z');
const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('certificates, made by openssl, as the portal reads them', () => {
  let sandbox: Awaited<ReturnType<typeof startSeededSandbox>>;
  let ca: OpenSslCa;
  let inventory: SecurityInventory;

  const tlsSecret = async (
    name: string,
    data: Record<string, string>,
    labels: Record<string, string> = { 'backstage.io/kubernetes-id': 'shop' },
  ) =>
    sandbox.send('POST', `/api/v1/namespaces/${NS}/secrets`, {
      metadata: { name, labels },
      type: 'kubernetes.io/tls',
      data: Object.fromEntries(
        Object.entries(data).map(([k, v]) => [k, b64(v)]),
      ),
    });

  beforeAll(async () => {
    sandbox = await startSeededSandbox([
      component('shop', { 'backstage.io/kubernetes-namespace': NS }),
      component('payment-gateway', {
        'backstage.io/kubernetes-namespace': 'nexus-payments',
      }),
    ]);
    ca = new OpenSslCa();
    // Operators make TLS Secrets with kubectl, which sends protobuf: the real thing.
    const ok = ca.issue({
      dnsNames: ['shop.example', '*.shop.example'],
      notBefore: '2029-06-01T00:00:00Z',
      notAfter: '2030-06-01T00:00:00Z',
    });
    const chained = `${ok.certFile}.chain`;
    fs.writeFileSync(chained, ok.certPem + ca.rootPem);
    // Asynchronously: the sandbox answers from this very process.
    await promisify(execFile)(
      'kubectl',
      [
        '--server',
        sandbox.url,
        '-n',
        NS,
        'create',
        'secret',
        'tls',
        'shop-tls',
        '--cert',
        chained,
        '--key',
        ok.keyFile,
      ],
      { env: { ...process.env, KUBECONFIG: '/dev/null' }, timeout: 30_000 },
    );
    const expiring = ca.issue({
      dnsNames: ['checkout.shop.example'],
      notBefore: '2029-01-10T12:00:00Z',
      notAfter: '2030-01-10T12:00:00Z',
      selfSigned: true,
    });
    await tlsSecret('shop-checkout-tls', {
      'tls.crt': expiring.certPem,
      'tls.key': expiring.keyPem,
    });
    const expired = ca.issue({
      dnsNames: ['old.shop.example'],
      notBefore: '2029-01-01T00:00:00Z',
      notAfter: '2029-12-01T00:00:00Z',
    });
    await tlsSecret('shop-old-tls', {
      'tls.crt': expired.certPem,
      'tls.key': expired.keyPem,
      'ca.crt': ca.rootPem,
    });
    const other = ca.issue({
      dnsNames: ['mixed.shop.example'],
      notBefore: '2029-06-01T00:00:00Z',
      notAfter: '2031-01-01T00:00:00Z',
    });
    // Certificate of one key pair, key of another; and no chain to a root.
    await tlsSecret('shop-mixed-tls', {
      'tls.crt': other.certPem,
      'tls.key': expiring.keyPem,
    });
    // Another service's Secret in the same namespace is not the shop's.
    await tlsSecret(
      'billing-tls',
      {
        'tls.crt': other.certPem,
        'tls.key': other.keyPem,
      },
      { 'backstage.io/kubernetes-id': 'billing' },
    );
    await sandbox.send(
      'POST',
      `/apis/networking.k8s.io/v1/namespaces/${NS}/ingresses`,
      {
        metadata: {
          name: 'shop',
          labels: { 'backstage.io/kubernetes-id': 'shop' },
        },
        spec: {
          ingressClassName: 'nginx',
          tls: [
            {
              hosts: ['shop.example', 'www.shop.example'],
              secretName: 'shop-tls',
            },
            {
              hosts: ['mixed.shop.example', 'pay.other.example'],
              secretName: 'shop-mixed-tls',
            },
          ],
          rules: [{ host: 'shop.example' }],
        },
      },
    );
    const clients = new KubernetesClients([
      { name: 'sandbox', url: sandbox.url, skipTLSVerify: true },
    ]);
    inventory = new SecurityInventory({
      cluster: { name: 'sandbox', clients: () => clients.for('sandbox') },
      logger: mockServices.logger.mock(),
    });
  });

  afterAll(async () => {
    ca?.remove();
    await sandbox?.stop();
  });

  it('reports days left, status and the TLS check of each, from the certificate itself', async () => {
    const snapshot = await inventory.refresh();
    const items = certificateItems(
      snapshot,
      { namespace: NS, service: 'shop' },
      NOW,
      30,
    );
    const byName = Object.fromEntries(items.map(i => [i.name, i]));
    expect(items.map(i => [i.name, i.source])).toEqual([
      ['shop-checkout-tls', 'secret'],
      ['shop-mixed-tls', 'secret'],
      ['shop-old-tls', 'secret'],
      // Unlabelled (kubectl made it), but the shop's Ingress names it.
      ['shop-tls', 'secret'],
    ]);
    expect(byName['shop-tls']).toMatchObject({
      notBefore: '2029-06-01T00:00:00.000Z',
      notAfter: '2030-06-01T00:00:00.000Z',
      daysLeft: 151,
      status: 'ok',
      subject: 'CN=shop.example',
      issuer: 'CN=Runbook Test Root CA',
      dnsNames: ['shop.example', '*.shop.example'],
      keyMatches: true,
      hosts: ['shop.example', 'www.shop.example'],
      verification: {
        ok: true,
        chainPresent: true,
        hostsCovered: true,
        problems: [],
      },
    });
    expect(byName['shop-checkout-tls']).toMatchObject({
      daysLeft: 9,
      status: 'warning',
      keyMatches: true,
      // Self-signed: the certificate is its own root.
      verification: { ok: true, chainPresent: true },
    });
    expect(byName['shop-old-tls']).toMatchObject({
      notAfter: '2029-12-01T00:00:00.000Z',
      daysLeft: -31,
      status: 'expired',
      verification: { chainPresent: true },
    });
    expect(byName['shop-mixed-tls']).toMatchObject({
      status: 'ok',
      keyMatches: false,
      verification: {
        ok: false,
        keyMatches: false,
        chainPresent: false,
        hostsCovered: false,
        uncoveredHosts: ['pay.other.example'],
        problems: [
          'tls.key does not belong to the certificate',
          'the chain to a root is incomplete (tls.crt and ca.crt)',
          'no SAN covers pay.other.example',
        ],
      },
    });
  });

  it("takes expiry from the certificate, not from cert-manager's Ready condition", async () => {
    const snapshot = await inventory.refresh();
    const ref = { namespace: 'nexus-payments', service: 'payment-gateway' };
    // The seeded near-expiry Certificate, issued 83 of its 90 days before the sandbox started.
    const [live] = certificateItems(snapshot, ref, Date.now(), 30);
    expect(live).toMatchObject({
      name: 'payment-gateway',
      source: 'cert-manager',
      issuerRef: { kind: 'ClusterIssuer', name: 'nexus-cos-ca' },
      ready: true,
      daysLeft: 6,
      status: 'warning',
      keyMatches: true,
      hosts: ['pay.nexus-cos.example'],
      verification: { ok: true },
    });
    // A day past notAfter, Ready (as cert-manager last wrote it) still says True.
    const [later] = certificateItems(
      snapshot,
      ref,
      Date.parse(live.notAfter!) + DAY,
      30,
    );
    expect(later).toMatchObject({
      ready: true,
      status: 'expired',
      daysLeft: -1,
    });
  });

  it.each([
    ['2030-01-31T00:00:00Z', 30, 'ok'],
    ['2030-01-30T23:59:59Z', 29, 'warning'],
    ['2030-01-01T00:00:01Z', 0, 'warning'],
    ['2030-01-01T00:00:00Z', 0, 'expired'],
  ])(
    'a certificate ending %s has %i days left and is %s',
    (notAfter, days, status) => {
      expect(daysLeft(notAfter, NOW)).toBe(days);
      expect(certificateStatus(notAfter, NOW, 30)).toBe(status);
    },
  );

  it('lists what maintenance checks need across the cluster: expiring certificates and criticals', async () => {
    await inventory.refresh();
    const service = new SecurityService({
      // Only the sweep and the config are read here: no request, no permission.
      catalog: undefined as never,
      permissions: undefined as never,
      audit: undefined as never,
      reviews: undefined as never,
      uploads: undefined as never,
      inventory,
      config: readSecurityConfig(new ConfigReader({})),
      now: () => NOW,
    });
    const expiring = await service.expiringCertificates();
    expect(
      expiring.map(e => [
        e.namespace,
        e.service,
        e.certificate.name,
        e.certificate.status,
      ]),
    ).toEqual([
      // The seeded near-expiry certificate, long expired by 2030.
      ['nexus-payments', 'payment-gateway', 'payment-gateway', 'expired'],
      ['nexus-shop', 'shop', 'shop-checkout-tls', 'warning'],
      ['nexus-shop', 'shop', 'shop-old-tls', 'expired'],
    ]);
    const criticals = await eventually(
      async () => {
        await inventory.refresh();
        return service.criticalVulnerabilities();
      },
      list => list.length > 0,
    );
    expect(
      criticals.map(c => [
        c.service,
        c.vulnerabilities.image,
        c.vulnerabilities.counts.CRITICAL,
      ]),
    ).toEqual([['payment-gateway', 'nexus-cos/payment-gateway:1.0.0', 2]]);

    // The routine-maintenance checks record the same, as evidence.
    const ctx = {
      now: new Date(NOW),
      period: {
        name: 'daily' as const,
        from: new Date(NOW),
        to: new Date(NOW + DAY),
      },
      signal: new AbortController().signal,
      logger: mockServices.logger.mock(),
    };
    const certificates = await certificateExpiryCheck({
      security: service,
    }).run(ctx);
    expect(certificates).toMatchObject({
      status: 'fail',
      summary: '2 certificate(s) expired or missing, 1 expiring soon',
      evidence: {
        expiring: [
          {
            service: 'nexus-shop/shop',
            certificate: 'shop-checkout-tls',
            daysLeft: 9,
          },
        ],
      },
    });
    const vulnerabilities = await criticalVulnerabilitiesCheck({
      security: service,
    }).run(ctx);
    expect(vulnerabilities).toMatchObject({
      status: 'fail',
      summary:
        '1 image(s) with CRITICAL vulnerabilities: nexus-cos/payment-gateway:1.0.0',
      evidence: {
        images: [
          {
            service: 'nexus-payments/payment-gateway',
            image: 'nexus-cos/payment-gateway:1.0.0',
            critical: 2,
          },
        ],
      },
    });
  });
});
