import fs from 'node:fs';
import path from 'node:path';
import { TestDatabases, mockCredentials } from '@backstage/backend-test-utils';
import {
  AUDITOR,
  OWNER,
  STRANGER,
  as,
  startRunbookBackend,
} from '../__testUtils__/testBackend';
import { startSeededSandbox } from '../__testUtils__/sandbox';
import {
  eventually,
  finishedRun,
  securityEntities,
} from './__testUtils__/securityFixtures';
import { trivyNameHash } from './vulnerabilities';

jest.setTimeout(300_000);

const REPORT = JSON.parse(
  fs.readFileSync(
    path.join(__dirname, '__fixtures__/trivy-image-report.json'),
    'utf8',
  ),
);
const SERVICE = { Authorization: mockCredentials.service.header() };
const MAX_REPORT_BYTES = 256 * 1024;
const entities = securityEntities();
const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const entity = (name: string) =>
  `/api/runbook/entities/component/default/${name}`;

describe.each(databases.eachSupportedId())(
  'security operations against the sandbox, engine on %p',
  databaseId => {
    let sandbox: Awaited<ReturnType<typeof startSeededSandbox>>;
    let started: Awaited<ReturnType<typeof startRunbookBackend>>;
    let http: typeof started.http;
    let knex: Awaited<ReturnType<typeof databases.init>>;
    const get = (p: string, headers: Record<string, string> = as(OWNER)) =>
      http.get(p).set(headers);
    const run = (
      name: string,
      body: object,
      headers: Record<string, string> = as(OWNER),
    ) =>
      http
        .post(`${entity(name)}/runs`)
        .set(headers)
        .send(body);

    beforeAll(async () => {
      sandbox = await startSeededSandbox(entities);
      knex = await databases.init(databaseId);
      started = await startRunbookBackend({
        knex,
        entities,
        clusterUrl: sandbox.url,
        config: {
          security: {
            refreshIntervalSeconds: 2,
            vulnerabilityReports: { maxBodyBytes: MAX_REPORT_BYTES },
          },
        },
      });
      http = started.http;
    });

    afterAll(async () => {
      await started?.backend.stop();
      await sandbox?.stop();
    });

    it('lists certificates: the near-expiry Certificate, the unmanaged TLS Secret, an internal one', async () => {
      const payments = await get(`${entity('payment-gateway')}/certificates`);
      expect(payments.status).toBe(200);
      expect(payments.body.warningDays).toBe(30);
      expect(payments.body.items).toEqual([
        expect.objectContaining({
          name: 'payment-gateway',
          namespace: 'nexus-payments',
          source: 'cert-manager',
          secretName: 'payment-gateway-tls',
          dnsNames: ['pay.nexus-cos.example'],
          issuer: 'CN=Nexus COS Sandbox Root CA',
          issuerRef: { kind: 'ClusterIssuer', name: 'nexus-cos-ca' },
          // notAfter 7 days after the sandbox started: 6 whole days left.
          daysLeft: 6,
          status: 'warning',
          keyMatches: true,
          ready: true,
          renewalTime: expect.any(String),
          hosts: ['pay.nexus-cos.example'],
          verification: expect.objectContaining({ ok: true }),
        }),
      ]);
      const admin = await get(`${entity('admin-console')}/certificates`);
      expect(admin.body.items).toEqual([
        expect.objectContaining({
          name: 'admin-console-tls',
          source: 'secret',
          secretName: 'admin-console-tls',
          issuer: 'CN=admin.nexus-cos.example, O=Nexus COS',
          // A year's certificate, 300 days old.
          daysLeft: 64,
          status: 'ok',
          keyMatches: true,
          verification: expect.objectContaining({
            ok: true,
            chainPresent: true,
          }),
        }),
      ]);
      const internal = await get(`${entity('config-service')}/certificates`);
      expect(internal.body.items.map((i: any) => [i.name, i.hosts])).toEqual([
        ['config-service-internal', []],
      ]);
    });

    it('turns the expiring certificate and the criticals into health reasons', async () => {
      const health = await eventually(
        async () => (await get(`${entity('payment-gateway')}/health`)).body,
        h => h.status !== 'unknown',
      );
      const codes = health.reasons.map((r: any) => r.code);
      expect(codes).toEqual(
        expect.arrayContaining([
          'certificate-expiring',
          'critical-vulnerabilities',
        ]),
      );
      const expiring = health.reasons.find(
        (r: any) => r.code === 'certificate-expiring',
      );
      expect(expiring).toMatchObject({
        status: 'degraded',
        message:
          'Certificate payment-gateway expires in 6 day(s) (warning below 30 days)',
        checklist: { title: 'Certificate Expiring' },
      });
      const clean = (await get(`${entity('api-gateway')}/health`)).body;
      expect(
        clean.reasons.filter((r: any) =>
          /certificate|vulnerabilities/.test(r.code),
        ),
      ).toEqual([]);
    });

    it('finds each risky RBAC seed, and nothing in the clean namespace', async () => {
      const codes = async (name: string) => {
        const res = await get(`${entity(name)}/access`);
        expect(res.status).toBe(200);
        return res.body.findings.map((f: any) => [f.severity, f.code, f.via]);
      };
      expect(await codes('analytics-pipeline')).toEqual([
        [
          'high',
          'wildcard',
          'RoleBinding/analytics-pipeline-operator → Role/analytics-pipeline-operator',
        ],
      ]);
      expect(await codes('config-service')).toEqual([
        [
          'critical',
          'cluster-admin',
          'ClusterRoleBinding/nexus-platform-default-cluster-admin → ClusterRole/cluster-admin',
        ],
        [
          'high',
          'default-service-account',
          'ClusterRoleBinding/nexus-platform-default-cluster-admin → ClusterRole/cluster-admin',
        ],
      ]);
      expect(await codes('payment-gateway')).toEqual([
        [
          'medium',
          'secret-read',
          'RoleBinding/payment-gateway-secret-reader → Role/payment-gateway-secret-reader',
        ],
      ]);
      expect(await codes('auth-service')).toEqual([
        // ClusterRole edit reads Secrets too.
        [
          'medium',
          'secret-read',
          'RoleBinding/legacy-deployer-edit → ClusterRole/edit',
        ],
        [
          'medium',
          'missing-subject',
          'RoleBinding/legacy-deployer-edit → ClusterRole/edit',
        ],
      ]);
      expect(await codes('search-api')).toEqual([]);

      const analytics = (await get(`${entity('analytics-pipeline')}/access`))
        .body;
      expect(analytics).toMatchObject({
        namespace: 'nexus-analytics',
        reviewMaxAgeDays: 90,
        subjects: [
          {
            kind: 'ServiceAccount',
            name: 'analytics-pipeline',
            namespace: 'nexus-analytics',
            exists: true,
            rules: [
              {
                apiGroups: ['*'],
                resources: ['*'],
                verbs: ['*'],
                via: 'RoleBinding/analytics-pipeline-operator → Role/analytics-pipeline-operator',
              },
            ],
          },
        ],
      });
      expect(analytics.review).toBeUndefined();
      const search = (await get(`${entity('search-api')}/access`)).body;
      expect(search.subjects.map((s: any) => `${s.kind}/${s.name}`)).toEqual([
        'Group/team-discovery',
        'ServiceAccount/search-api',
      ]);
    });

    it('reads trivy-operator reports: summary counts, ReplicaSet → Deployment, the name-hash case', async () => {
      const payments = await eventually(
        async () =>
          (
            await get(`${entity('payment-gateway')}/vulnerabilities`)
          ).body,
        b => b.images.length > 0,
      );
      expect(payments.images).toEqual([
        expect.objectContaining({
          image: 'nexus-cos/payment-gateway:1.0.0',
          source: 'trivy-operator',
          scannedAt: expect.any(String),
          // The summary counts more than the report lists.
          counts: { CRITICAL: 2, HIGH: 5, MEDIUM: 14, LOW: 31, UNKNOWN: 2 },
          workloads: ['Deployment/payment-gateway/payment-gateway'],
        }),
      ]);
      expect(payments.images[0].top.map((f: any) => f.severity)).toEqual([
        'CRITICAL',
        'CRITICAL',
        'HIGH',
        'HIGH',
        'HIGH',
      ]);
      expect(payments.images[0].top[0]).toEqual({
        id: 'CVE-2024-45337',
        package: 'golang.org/x/crypto',
        installedVersion: 'v0.26.0',
        fixedVersion: '0.31.0',
        severity: 'CRITICAL',
        title:
          'golang.org/x/crypto/ssh: Misuse of ServerConfig.PublicKeyCallback may cause authorization bypass',
        link: 'https://avd.aquasec.com/nvd/cve-2024-45337',
      });

      const media = await eventually(
        async () =>
          (
            await get(`${entity('media-transcoder')}/vulnerabilities`)
          ).body,
        b => b.images[0]?.workloads.length === 2,
      );
      expect(media.images).toEqual([
        expect.objectContaining({
          image: 'nexus-cos/media-transcoder:1.0.0',
          counts: { CRITICAL: 1, HIGH: 1, MEDIUM: 0, LOW: 1, UNKNOWN: 0 },
          workloads: [
            'Deployment/media-transcoder-legacy-archive-reencode-batch-worker-pool/media-transcoder',
            'Deployment/media-transcoder/media-transcoder',
          ],
        }),
      ]);
      // The long-named ReplicaSet's report carries a name-hash, as trivy-operator computes it.
      const reports = await sandbox.get(
        '/apis/aquasecurity.github.io/v1alpha1/namespaces/nexus-media/vulnerabilityreports',
      );
      const hashed = reports.items.filter(
        (r: any) => r.metadata.labels['trivy-operator.resource.name-hash'],
      );
      expect(hashed).toHaveLength(1);
      expect(
        trivyNameHash(
          hashed[0].metadata.annotations['trivy-operator.resource.name'],
        ),
      ).toBe(hashed[0].metadata.labels['trivy-operator.resource.name-hash']);
      const clean = (await get(`${entity('api-gateway')}/vulnerabilities`))
        .body;
      expect(clean.images.map((i: any) => i.counts)).toEqual([
        { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0 },
      ]);
    });

    it('computes configuration findings from live pods, with NetworkPolicies', async () => {
      const checks = async (name: string) =>
        (await get(`${entity(name)}/security-findings`)).body.items;
      const payments = await checks('payment-gateway');
      expect(payments.map((f: any) => [f.check, f.severity, f.object])).toEqual(
        [
          [
            'run-as-non-root',
            'medium',
            'Deployment/payment-gateway/payment-gateway',
          ],
          [
            'read-only-root-filesystem',
            'low',
            'Deployment/payment-gateway/payment-gateway',
          ],
          [
            'missing-probes',
            'low',
            'Deployment/payment-gateway/payment-gateway',
          ],
        ],
      );
      expect(payments[2]).toMatchObject({
        message: 'No liveness probe',
        fix: 'Add livenessProbe',
      });
      expect((await checks('search-api')).map((f: any) => f.check)).toContain(
        'no-network-policy',
      );

      await sandbox.send(
        'POST',
        '/apis/apps/v1/namespaces/nexus-search/deployments',
        {
          metadata: {
            name: 'search-api-debug',
            labels: { 'backstage.io/kubernetes-id': 'search-api' },
          },
          spec: {
            replicas: 1,
            selector: { matchLabels: { app: 'search-api-debug' } },
            template: {
              metadata: {
                labels: {
                  app: 'search-api-debug',
                  'backstage.io/kubernetes-id': 'search-api',
                },
              },
              spec: {
                hostNetwork: true,
                volumes: [
                  {
                    name: 'docker',
                    hostPath: { path: '/var/run/docker.sock' },
                  },
                ],
                containers: [
                  {
                    name: 'shell',
                    image: 'busybox:latest',
                    securityContext: { privileged: true },
                  },
                ],
              },
            },
          },
        },
      );
      const debug = await eventually(
        async () =>
          (
            await checks('search-api')
          ).filter((f: any) =>
            f.object.startsWith('Deployment/search-api-debug'),
          ),
        found => found.length > 0,
      );
      expect(debug.map((f: any) => [f.check, f.severity])).toEqual([
        ['privileged', 'critical'],
        ['host-network', 'high'],
        ['host-path', 'high'],
        ['no-network-policy', 'medium'],
        ['run-as-non-root', 'medium'],
        ['missing-limits', 'medium'],
        ['latest-tag', 'medium'],
        ['missing-probes', 'medium'],
        ['read-only-root-filesystem', 'low'],
      ]);
      expect(debug.find((f: any) => f.check === 'host-path')).toMatchObject({
        object: 'Deployment/search-api-debug',
        message: 'Volume docker mounts /var/run/docker.sock from the node',
      });
    });

    it('gives an overview of what needs attention, only of services the caller may read', async () => {
      const overview = (await get('/api/runbook/security/overview')).body;
      expect(overview.hidden).toBe(0);
      expect(overview.certificates).toEqual([
        expect.objectContaining({
          entityRef: 'component:default/payment-gateway',
          name: 'payment-gateway',
          daysLeft: 6,
          status: 'warning',
        }),
      ]);
      expect(
        overview.vulnerabilities.map((v: any) => [
          v.entityRef,
          v.counts.CRITICAL,
        ]),
      ).toEqual([
        ['component:default/payment-gateway', 2],
        ['component:default/media-transcoder', 1],
      ]);
      // Nothing is reviewed yet: every namespace is listed, the risky ones with counts.
      expect(overview.access).toHaveLength(8);
      expect(
        overview.access.find((a: any) => a.namespace === 'nexus-platform'),
      ).toEqual({
        namespace: 'nexus-platform',
        entityRefs: ['component:default/config-service'],
        findings: { critical: 1, high: 1, medium: 0, low: 0 },
        reviewOverdue: true,
      });
      expect(overview.rotations).toEqual([]);
      expect(overview.thresholds).toEqual({
        certificateWarningDays: 30,
        criticalVulnerabilities: 0,
        reviewMaxAgeDays: 90,
        rotationMaxAgeDays: 90,
      });

      const stranger = (
        await get('/api/runbook/security/overview', as(STRANGER))
      ).body;
      expect(stranger).toMatchObject({
        hidden: 8,
        certificates: [],
        vulnerabilities: [],
        access: [],
      });
    });

    it.each(['certificates', 'access', 'vulnerabilities', 'security-findings'])(
      'refuses GET %s to a user without runbook.security.read',
      async route => {
        const res = await get(
          `${entity('payment-gateway')}/${route}`,
          as(STRANGER),
        );
        expect({
          status: res.status,
          message: res.body.error?.message,
        }).toEqual({
          status: 403,
          message:
            'You may not read the security state of component:default/payment-gateway (runbook.security.read)',
        });
      },
    );

    it.each([
      ['a security reader', as(AUDITOR)],
      ['a service token', SERVICE],
    ])('answers GET certificates to %s', async (_, headers) => {
      const res = await get(
        `${entity('payment-gateway')}/certificates`,
        headers,
      );
      expect(res.status).toBe(200);
      expect(res.body.items).toHaveLength(1);
    });

    it.each([
      [
        'component:default/nope',
        404,
        'No entity component:default/nope in the catalog',
      ],
      ['resource:default/nexus-db', 404, 'No entity resource:default/nexus-db'],
    ])('answers an unknown entity %s with %i', async (ref, status, message) => {
      const [kind, rest] = ref.split(':');
      const [ns, name] = rest.split('/');
      const res = await get(
        `/api/runbook/entities/${kind}/${ns}/${name}/certificates`,
      );
      expect(res.status).toBe(status);
      expect(res.body.error.message).toContain(message);
    });

    it('marks access reviewed by security only, with a note, audited and without a lock', async () => {
      const refusals = [
        [
          as(STRANGER),
          403,
          'You may not run review-access on component:default/analytics-pipeline (runbook.access.review)',
        ],
        [SERVICE, 403, 'service principals may only read'],
        [as(AUDITOR), 400, 'input.note: must not be empty'],
      ] as const;
      for (const [headers, status, message] of refusals) {
        const res = await run(
          'analytics-pipeline',
          {
            action: 'review-access',
            input: { note: headers === refusals[2][0] ? '  ' : 'ok' },
          },
          headers,
        );
        expect({
          status: res.status,
          message: res.body.error?.message,
        }).toEqual({
          status,
          message: expect.stringContaining(message),
        });
      }
      const long = await run(
        'analytics-pipeline',
        { action: 'review-access', input: { note: 'x'.repeat(2001) } },
        as(AUDITOR),
      );
      expect(long.status).toBe(400);
      expect(long.body.error.message).toBe(
        'input.note: must be at most 2000 characters',
      );

      const note =
        'Wildcard role kept for the migration job; ticket SEC-412 removes it';
      const started_ = await run(
        'analytics-pipeline',
        {
          action: 'review-access',
          input: { note },
          reason: 'quarterly review',
        },
        as(AUDITOR),
      );
      expect(started_.status).toBe(202);
      const done = await finishedRun(p => get(p), started_.body.id);
      expect(done).toMatchObject({
        status: 'succeeded',
        actor: AUDITOR,
        input: { note },
        result: {
          namespace: 'nexus-analytics',
          subjects: 1,
          findings: { critical: 0, high: 1, medium: 0, low: 0 },
        },
      });
      const access = (await get(`${entity('analytics-pipeline')}/access`)).body;
      expect(access.review).toEqual({
        at: done.result.reviewedAt,
        by: AUDITOR,
        note,
        runId: done.id,
      });
      const audit = (
        await get(
          `/api/runbook/audit?entity=component:default/analytics-pipeline&action=review-access`,
        )
      ).body.items;
      expect(audit.map((r: any) => [r.event, r.actor, r.outcome])).toEqual([
        ['denied', STRANGER, 'runbook.access.review denied'],
        [
          'denied',
          expect.stringMatching(/^service:/),
          'a person must sign in; service principals may only read',
        ],
        ['requested', AUDITOR, 'accepted'],
        ['started', AUDITOR, 'running'],
        ['step', AUDITOR, 'applied'],
        ['succeeded', AUDITOR, 'succeeded'],
      ]);
      const overview = (await get('/api/runbook/security/overview')).body;
      expect(
        overview.access.find((a: any) => a.namespace === 'nexus-analytics'),
      ).toMatchObject({ reviewOverdue: false, review: { by: AUDITOR } });
    });

    describe('Trivy report uploads', () => {
      const upload = (
        body: unknown,
        headers: Record<string, string>,
        query = '',
      ) =>
        http
          .post(`/api/runbook/vulnerabilities/reports${query}`)
          .set(headers)
          .set('Content-Type', 'application/json')
          .send(typeof body === 'string' ? body : JSON.stringify(body));
      const rows = () =>
        knex('runbook_vulnerability_uploads').count({ n: '*' });

      it("counts a report in Trivy's published format by severity", async () => {
        const res = await upload(REPORT, as(AUDITOR));
        expect(res.status).toBe(201);
        expect(res.body).toEqual({
          image: 'registry.nexus-cos.example/nexus-cos/checkout:2.4.1',
          counts: { CRITICAL: 2, HIGH: 3, MEDIUM: 3, LOW: 1, UNKNOWN: 1 },
        });
      });

      it('takes a service token, names the image with ?image=, and shows the upload with the service', async () => {
        const res = await upload(
          REPORT,
          SERVICE,
          '?image=nexus-cos/payment-gateway:1.0.0',
        );
        expect(res.status).toBe(201);
        expect(res.body.image).toBe('nexus-cos/payment-gateway:1.0.0');
        const images = (
          await get(`${entity('payment-gateway')}/vulnerabilities`)
        ).body.images;
        expect(images.map((i: any) => [i.image, i.source])).toEqual([
          ['nexus-cos/payment-gateway:1.0.0', 'trivy-operator'],
          ['nexus-cos/payment-gateway:1.0.0', 'upload'],
        ]);
        expect(images[1]).toMatchObject({
          scannedAt: '2026-11-30T08:12:41.118Z',
          counts: { CRITICAL: 2, HIGH: 3, MEDIUM: 3, LOW: 1, UNKNOWN: 1 },
        });
        expect(images[1].top[0]).toMatchObject({
          id: 'CVE-2023-45853',
          severity: 'CRITICAL',
        });
        const audit = (
          await get(
            '/api/runbook/audit?entity=component:default/payment-gateway&action=vulnerability-upload',
          )
        ).body.items;
        expect(audit).toEqual([
          expect.objectContaining({
            event: 'succeeded',
            actor: expect.stringMatching(/^service:/),
            params: { image: 'nexus-cos/payment-gateway:1.0.0' },
          }),
        ]);
      });

      it('accepts reports far larger than the 64 KiB of the other routes, up to its own limit', async () => {
        const big = structuredClone(REPORT);
        const filler = big.Results[0].Vulnerabilities[5];
        big.Results[0].Vulnerabilities.push(
          ...Array.from({ length: 500 }, (_, i) => ({
            ...filler,
            VulnerabilityID: `CVE-2099-${10000 + i}`,
            Description: 'd'.repeat(200),
          })),
        );
        const size = Buffer.byteLength(JSON.stringify(big));
        expect(size).toBeGreaterThan(128 * 1024);
        expect(size).toBeLessThan(MAX_REPORT_BYTES);
        const res = await upload(big, as(AUDITOR), '?image=nexus-cos/big:1');
        expect(res.status).toBe(201);
        expect(res.body.counts.LOW).toBe(501);
      });

      it.each([
        [
          'a user without the permission',
          REPORT,
          as(OWNER),
          '',
          403,
          'runbook.vulnerability.upload',
        ],
        [
          'another user',
          REPORT,
          as(STRANGER),
          '',
          403,
          'runbook.vulnerability.upload',
        ],
        [
          'an old schema',
          { ...REPORT, SchemaVersion: 1 },
          as(AUDITOR),
          '',
          400,
          'report.SchemaVersion: must be 2 (the format of trivy image -f json)',
        ],
        [
          'no image at all',
          { ...REPORT, ArtifactName: undefined },
          as(AUDITOR),
          '',
          400,
          'image: the report has no ArtifactName; name the image with ?image=',
        ],
        [
          'an image with spaces',
          REPORT,
          as(AUDITOR),
          '?image=nexus cos',
          400,
          'image: image must be a container image reference',
        ],
        [
          'an image without a tag',
          REPORT,
          as(AUDITOR),
          '?image=nexus-cos/x',
          400,
          'image: image must name a tag or digest',
        ],
        [
          'two images',
          REPORT,
          as(AUDITOR),
          '?image=a:1&image=b:1',
          400,
          'image must be a single value of at most 255 characters',
        ],
        [
          'an unknown severity',
          {
            ...REPORT,
            Results: [
              {
                Target: 't',
                Vulnerabilities: [
                  { VulnerabilityID: 'CVE-1', Severity: 'SEVERE' },
                ],
              },
            ],
          },
          as(AUDITOR),
          '',
          400,
          'report.Results.0.Vulnerabilities.0.Severity: must be one of CRITICAL, HIGH, MEDIUM, LOW, UNKNOWN',
        ],
        ['an array', [REPORT], as(AUDITOR), '', 400, 'report: '],
        [
          'broken JSON',
          '{"SchemaVersion": 2,',
          as(AUDITOR),
          '',
          400,
          'The request body is not valid JSON',
        ],
        [
          'a body over the limit',
          { ...REPORT, padding: 'p'.repeat(MAX_REPORT_BYTES) },
          as(AUDITOR),
          '',
          413,
          `The request body must be at most ${MAX_REPORT_BYTES} bytes`,
        ],
      ])(
        'refuses %s and stores nothing',
        async (_name, body, headers, query, status, message) => {
          const before = (await rows())[0].n;
          const res = await upload(body, headers, query);
          expect({
            status: res.status,
            message: res.body.error?.message,
          }).toEqual({
            status,
            message: expect.stringContaining(message),
          });
          expect(res.body.error?.stack).toBeUndefined();
          expect((await rows())[0].n).toBe(before);
        },
      );

      it('refuses a body that is not JSON with 415', async () => {
        const res = await http
          .post('/api/runbook/vulnerabilities/reports')
          .set(as(AUDITOR))
          .set('Content-Type', 'text/plain')
          .send('trivy says hi');
        expect(res.status).toBe(415);
      });
    });

    describe('renew-certificate', () => {
      it.each([
        [
          'a stranger',
          as(STRANGER),
          { certificate: 'payment-gateway' },
          'payment-gateway',
          403,
          'runbook.action.execute',
        ],
        [
          'a service token',
          SERVICE,
          { certificate: 'payment-gateway' },
          'payment-gateway',
          403,
          'service principals may only read',
        ],
        [
          'an unknown Certificate',
          as(OWNER),
          { certificate: 'nope' },
          'payment-gateway',
          400,
          'certificate: there is no cert-manager Certificate nope in nexus-payments',
        ],
        [
          'a TLS Secret without a Certificate',
          as(OWNER),
          { certificate: 'admin-console-tls' },
          'admin-console',
          400,
          'certificate: admin-console-tls is a TLS Secret that cert-manager does not manage',
        ],
        [
          "another namespace's Certificate",
          as(OWNER),
          { certificate: 'payment-gateway' },
          'api-gateway',
          400,
          'certificate: there is no cert-manager Certificate payment-gateway in nexus-api-gateway',
        ],
        [
          'a name that is no name',
          as(OWNER),
          { certificate: 'Not A Name' },
          'payment-gateway',
          400,
          'input.certificate: must be a Certificate name',
        ],
        [
          'extra input',
          as(OWNER),
          { certificate: 'payment-gateway', force: true },
          'payment-gateway',
          400,
          'input: Unrecognized key: "force"',
        ],
      ])(
        'refuses %s',
        async (_name, headers, input, service, status, message) => {
          const res = await run(
            service,
            { action: 'renew-certificate', input },
            headers,
          );
          expect({
            status: res.status,
            message: res.body.error?.message,
          }).toEqual({
            status,
            message: expect.stringContaining(message),
          });
          const runs = (await get(`${entity(service)}/runs`)).body.items;
          expect(
            runs.filter((r: any) => r.action === 'renew-certificate'),
          ).toEqual([]);
        },
      );

      it('dry-runs the status change cmctl renew makes', async () => {
        const res = await run('payment-gateway', {
          action: 'renew-certificate',
          input: { certificate: 'payment-gateway' },
          dryRun: true,
        });
        expect(res.status).toBe(200);
        expect(res.body.diff).toEqual([
          expect.objectContaining({
            kind: 'Certificate',
            name: 'payment-gateway',
            operation: 'update',
            changes: expect.arrayContaining([
              expect.objectContaining({ after: 'ManuallyTriggered' }),
            ]),
          }),
        ]);
      });

      it('renews: a new revision whose certificate expires later, and the health reason goes', async () => {
        const before = (await get(`${entity('payment-gateway')}/certificates`))
          .body.items[0];
        const res = await run('payment-gateway', {
          action: 'renew-certificate',
          input: { certificate: 'payment-gateway' },
          reason: 'expires in 6 days',
        });
        expect(res.status).toBe(202);
        const done = await finishedRun(p => get(p), res.body.id);
        expect(done).toMatchObject({
          status: 'succeeded',
          result: {
            certificate: 'payment-gateway',
            previousNotAfter: before.notAfter,
          },
        });
        expect(Date.parse(done.result.notAfter)).toBeGreaterThan(
          Date.parse(before.notAfter) + 80 * 86_400_000,
        );
        const after = (await get(`${entity('payment-gateway')}/certificates`))
          .body.items[0];
        expect(after).toMatchObject({
          notAfter: done.result.notAfter,
          daysLeft: 89,
          status: 'ok',
          keyMatches: true,
          verification: expect.objectContaining({ ok: true }),
        });
        const health = await eventually(
          async () => (await get(`${entity('payment-gateway')}/health`)).body,
          h => !h.reasons.some((r: any) => r.code === 'certificate-expiring'),
        );
        expect(health.reasons.map((r: any) => r.code)).toContain(
          'critical-vulnerabilities',
        );
      });
    });
  },
);
