import { TestDatabases, mockCredentials } from '@backstage/backend-test-utils';
import {
  OWNER,
  STRANGER,
  as,
  component,
  startRunbookBackend,
} from '../__testUtils__/testBackend';
import { startSeededSandbox } from '../__testUtils__/sandbox';
import { HIDDEN_SECRET_VALUE } from '../kubernetes/diff';
import { KubernetesClients } from '../kubernetes/KubernetesClients';
import { deleteStaleStagedValues } from './rotationSteps';
import { eventually, finishedRun } from './__testUtils__/securityFixtures';
import { capturingSinks, everyRow, formsOf } from './__testUtils__/sinks';

jest.setTimeout(300_000);

const NS = 'nexus-wallet';
const SECRETS = `/api/v1/namespaces/${NS}/secrets`;
const VERSION_ANNOTATION = 'secret-version.nexus-cos.io/wallet-secrets';
const SERVICE = { Authorization: mockCredentials.service.header() };
const entities = ['wallet', 'ledger'].map(name =>
  component(name, { 'backstage.io/kubernetes-namespace': NS }),
);
/** Values that must never reach a sink; each is supplied to some request below. */
const MARKERS = [
  'Rotation-Marker-1-qx7Kp2vW9zR4mT8b',
  'Rotation-Marker-2-Lh3Nc6Yd0Fs5Jg1u',
  'Rotation-Marker-3-Ea9Wo4Ub7Ti2Xr6m',
  'Rotation-Marker-4-Pz5Qk8Vn1Gc3Hy0d',
];
const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe.each(databases.eachSupportedId())(
  'rotate-secret against the sandbox, engine on %p',
  databaseId => {
    let sandbox: Awaited<ReturnType<typeof startSeededSandbox>>;
    let started: Awaited<ReturnType<typeof startRunbookBackend>>;
    let knex: Awaited<ReturnType<typeof databases.init>>;
    const sinks = capturingSinks();
    /** Every answer the API gave in this suite. */
    const answers: string[] = [];
    const call = async (
      method: 'get' | 'post',
      p: string,
      headers: Record<string, string>,
      body?: object,
    ) => {
      const req = started.http[method](p).set(headers);
      const res = await (body ? req.send(body) : req);
      answers.push(res.text);
      return res;
    };
    const get = (p: string, headers: Record<string, string> = as(OWNER)) =>
      call('get', p, headers);
    const rotate = (
      input: object,
      headers: Record<string, string> = as(OWNER),
      extra: object = {},
    ) =>
      call(
        'post',
        `/api/runbook/entities/component/default/wallet/runs`,
        headers,
        {
          action: 'rotate-secret',
          input,
          ...extra,
        },
      );
    const secret = async (name = 'wallet-secrets') =>
      sandbox.get(`${SECRETS}/${name}`);
    const value = async (key: string) =>
      Buffer.from((await secret()).data[key], 'base64').toString('utf8');
    const leftovers = async () =>
      (
        await sandbox.get(`${SECRETS}?labelSelector=nexus-cos.io/rotation`)
      ).items.map((s: any) => s.metadata.name);
    const deployment = () =>
      sandbox.get(`/apis/apps/v1/namespaces/${NS}/deployments/wallet`);

    beforeAll(async () => {
      sandbox = await startSeededSandbox(entities);
      await sandbox.send('POST', SECRETS, {
        metadata: {
          name: 'wallet-tls',
          labels: { 'backstage.io/kubernetes-id': 'wallet' },
        },
        type: 'kubernetes.io/tls',
        data: { 'tls.crt': '', 'tls.key': '' },
      });
      knex = await databases.init(databaseId);
      started = await startRunbookBackend({
        knex,
        entities,
        clusterUrl: sandbox.url,
        config: { defaults: { rolloutTimeoutSeconds: 6 } },
        features: sinks.features,
      });
    });

    afterAll(async () => {
      await started?.backend.stop();
      await sandbox?.stop();
    });

    it('dry-runs: which key changes and which consumers roll, never the value', async () => {
      const res = await rotate(
        { secret: 'wallet-secrets', key: 'API_KEY', value: MARKERS[0] },
        as(OWNER),
        { dryRun: true },
      );
      expect(res.status).toBe(200);
      const [secretDiff, consumer] = res.body.diff;
      expect(secretDiff).toMatchObject({
        kind: 'Secret',
        name: 'wallet-secrets',
        operation: 'update',
      });
      expect(secretDiff.changes).toEqual(
        expect.arrayContaining([
          {
            path: 'data.API_KEY',
            before: HIDDEN_SECRET_VALUE,
            after: HIDDEN_SECRET_VALUE,
          },
          expect.objectContaining({
            path: 'metadata.annotations.nexus-cos.io/rotated-at',
          }),
        ]),
      );
      expect(consumer).toMatchObject({
        kind: 'Deployment',
        name: 'wallet',
        changes: [
          expect.objectContaining({
            path: `spec.template.metadata.annotations.${VERSION_ANNOTATION}`,
          }),
        ],
      });
      expect(await leftovers()).toEqual([]);
      expect(await value('API_KEY')).toBe('sandbox-wallet-api-key');
    });

    it('rotates a supplied value: staged first, the Secret updated, consumers rolled and healthy, nothing left behind', async () => {
      const before = (await deployment()).status.observedGeneration;
      const res = await rotate(
        { secret: 'wallet-secrets', key: 'API_KEY', value: MARKERS[1] },
        as(OWNER),
        { reason: 'key leaked in a ticket' },
      );
      expect(res.status).toBe(202);
      // The run keeps a reference to the staged value, never the value.
      expect(res.body.input).toEqual({
        secret: 'wallet-secrets',
        key: 'API_KEY',
        stagedValue: expect.stringMatching(
          /^wallet-secrets-rotation-staged-[0-9a-f]{6}$/,
        ),
      });
      const done = await finishedRun(p => get(p), res.body.id);
      expect(done).toMatchObject({
        status: 'succeeded',
        result: {
          secret: 'wallet-secrets',
          key: 'API_KEY',
          generated: false,
          consumers: ['wallet'],
        },
      });
      expect(await value('API_KEY')).toBe(MARKERS[1]);
      expect(await value('DATABASE_PASSWORD')).toBe(
        'sandbox-wallet-db-password',
      );
      const s = await secret();
      expect(s.metadata.annotations['nexus-cos.io/rotated-at']).toBe(
        done.after.rotatedAt,
      );
      const d = await deployment();
      expect(d.spec.template.metadata.annotations[VERSION_ANNOTATION]).toEqual(
        expect.any(String),
      );
      expect(d.status.observedGeneration).toBeGreaterThan(before);
      expect(d.status).toMatchObject({
        replicas: d.spec.replicas,
        readyReplicas: d.spec.replicas,
        updatedReplicas: d.spec.replicas,
      });
      expect(await leftovers()).toEqual([]);
    });

    it('generates a value of the asked length from the alphabet', async () => {
      const res = await rotate({
        secret: 'wallet-secrets',
        key: 'DATABASE_PASSWORD',
        length: 40,
      });
      expect(res.status).toBe(202);
      expect(res.body.input).toEqual({
        secret: 'wallet-secrets',
        key: 'DATABASE_PASSWORD',
        length: 40,
      });
      expect((await finishedRun(p => get(p), res.body.id)).status).toBe(
        'succeeded',
      );
      expect(await value('DATABASE_PASSWORD')).toMatch(/^[A-Za-z0-9]{40}$/);
    });

    it('rolls back when a consumer fails its health check; the service is healthy again', async () => {
      const oldValue = await value('API_KEY');
      const old = await secret();
      const oldTemplate = (await deployment()).spec.template;
      // New pods of the consumer never become ready; the running one is untouched.
      const fault = await sandbox.send('POST', '/sandbox/faults', {
        kind: 'never-ready',
        image: 'nexus-cos/wallet:*',
      });
      try {
        const res = await rotate({
          secret: 'wallet-secrets',
          key: 'API_KEY',
          value: MARKERS[2],
        });
        expect(res.status).toBe(202);
        // The new value reaches the Secret before the consumers fail.
        await eventually(
          () => value('API_KEY'),
          v => v === MARKERS[2],
        );
        const done = await finishedRun(p => get(p), res.body.id);
        expect(done).toMatchObject({
          status: 'rolled-back',
          error: expect.stringContaining(
            'wallet did not finish rolling out within 6 s',
          ),
        });
        expect(await value('API_KEY')).toBe(oldValue);
        expect(
          (await secret()).metadata.annotations['nexus-cos.io/rotated-at'],
        ).toBe(old.metadata.annotations['nexus-cos.io/rotated-at']);
        expect((await deployment()).spec.template).toEqual(oldTemplate);
        expect(await leftovers()).toEqual([]);
        const log = (
          await get(`/api/runbook/runs/${done.id}/log`)
        ).body.items.map((e: any) => e.message);
        expect(log).toEqual(
          expect.arrayContaining([
            'Kept the previous value in Secret wallet-secrets-rotation-backup',
            'Key API_KEY of Secret wallet-secrets has its previous value again',
            'Rolled back',
          ]),
        );
      } finally {
        await fetch(`${sandbox.url}/sandbox/faults/${fault.id}`, {
          method: 'DELETE',
        });
      }
      const health = await eventually(
        async () =>
          (
            await get('/api/runbook/entities/component/default/wallet/health')
          ).body,
        h => h.status === 'healthy',
      );
      expect(health.reasons).toEqual([]);
      const d = await deployment();
      expect(d.status).toMatchObject({
        readyReplicas: d.spec.replicas,
        updatedReplicas: d.spec.replicas,
      });
    });

    it('discards a staged value when the run is not recorded (the lock is held)', async () => {
      const fault = await sandbox.send('POST', '/sandbox/faults', {
        kind: 'never-ready',
        image: 'nexus-cos/wallet:*',
      });
      try {
        const holder = await call(
          'post',
          '/api/runbook/entities/component/default/wallet/runs',
          as(OWNER),
          {
            action: 'restart',
          },
        );
        expect(holder.status).toBe(202);
        const res = await rotate({
          secret: 'wallet-secrets',
          key: 'API_KEY',
          value: MARKERS[3],
        });
        expect(res.status).toBe(409);
        expect(res.body.error.message).toContain(
          `is locked by run ${holder.body.id}`,
        );
        expect(await leftovers()).toEqual([]);
        await finishedRun(p => get(p), holder.body.id);
      } finally {
        await fetch(`${sandbox.url}/sandbox/faults/${fault.id}`, {
          method: 'DELETE',
        });
      }
    });

    it('deletes staged values a dead backend left behind, once no run can need them', async () => {
      const staged = (name: string, of: string) =>
        sandbox.send('POST', SECRETS, {
          metadata: {
            name,
            labels: { 'nexus-cos.io/rotation': 'staged' },
            annotations: { 'nexus-cos.io/rotation-of': of },
          },
          type: 'Opaque',
          data: { value: Buffer.from('left behind').toString('base64') },
        });
      await staged('wallet-secrets-rotation-staged-dead01', 'wallet-secrets');
      await staged('ledger-secrets-rotation-staged-dead02', 'ledger-secrets');
      const c = new KubernetesClients([
        { name: 'sandbox', url: sandbox.url, skipTLSVerify: true },
      ]).for('sandbox');
      await deleteStaleStagedValues(c, NS, 'wallet-secrets');
      expect(await leftovers()).toHaveLength(2);
      const dayAndAnHourLater = Date.now() + 25 * 3_600_000;
      await deleteStaleStagedValues(c, NS, 'wallet-secrets', dayAndAnHourLater);
      expect(await leftovers()).toEqual([
        'ledger-secrets-rotation-staged-dead02',
      ]);
      await deleteStaleStagedValues(c, NS, 'ledger-secrets', dayAndAnHourLater);
      expect(await leftovers()).toEqual([]);
    });

    it.each([
      [
        'an unknown Secret',
        { secret: 'nope', key: 'API_KEY', value: MARKERS[0] },
        as(OWNER),
        400,
        'secret: there is no Secret nope in nexus-wallet',
      ],
      [
        'an unknown key',
        { secret: 'wallet-secrets', key: 'NOPE', value: MARKERS[0] },
        as(OWNER),
        400,
        'key: Secret wallet-secrets has no key NOPE (it has API_KEY, DATABASE_PASSWORD)',
      ],
      [
        'a TLS Secret',
        { secret: 'wallet-tls', key: 'tls.key', value: MARKERS[0] },
        as(OWNER),
        400,
        'secret: wallet-tls is a TLS Secret; renew its certificate instead',
      ],
      [
        "another service's Secret",
        { secret: 'ledger-secrets', key: 'API_KEY', value: MARKERS[0] },
        as(OWNER),
        400,
        'secret: ledger-secrets is not a Secret of wallet',
      ],
      [
        'a value and a length',
        {
          secret: 'wallet-secrets',
          key: 'API_KEY',
          value: MARKERS[0],
          length: 32,
        },
        as(OWNER),
        400,
        'input.length: give a value or the length of a generated one, not both',
      ],
      [
        'a short length',
        { secret: 'wallet-secrets', key: 'API_KEY', length: 8 },
        as(OWNER),
        400,
        'input.length: must be at least 16',
      ],
      [
        'a long value',
        {
          secret: 'wallet-secrets',
          key: 'API_KEY',
          value: `${MARKERS[0]}${'x'.repeat(4096)}`,
        },
        as(OWNER),
        400,
        'input.value: must be at most 4096 characters',
      ],
      [
        'an empty value',
        { secret: 'wallet-secrets', key: 'API_KEY', value: '' },
        as(OWNER),
        400,
        'input.value: must not be empty',
      ],
      [
        'a key with a slash',
        { secret: 'wallet-secrets', key: 'a/b', value: MARKERS[0] },
        as(OWNER),
        400,
        'input.key: must be a Secret data key',
      ],
      [
        'a stranger',
        { secret: 'wallet-secrets', key: 'API_KEY', value: MARKERS[0] },
        as(STRANGER),
        403,
        'You may not run rotate-secret on component:default/wallet (runbook.action.execute)',
      ],
      [
        'a service token',
        { secret: 'wallet-secrets', key: 'API_KEY', value: MARKERS[0] },
        SERVICE,
        403,
        'service principals may only read',
      ],
    ])(
      'refuses %s, staging and recording nothing',
      async (_name, input, headers, status, message) => {
        const runs = (
          await get('/api/runbook/entities/component/default/wallet/runs')
        ).body.items.length;
        const res = await rotate(input, headers);
        expect({
          status: res.status,
          message: res.body.error?.message,
        }).toEqual({
          status,
          message: expect.stringContaining(message),
        });
        expect(await leftovers()).toEqual([]);
        expect(
          (await get('/api/runbook/entities/component/default/wallet/runs'))
            .body.items,
        ).toHaveLength(runs);
      },
    );

    it('leaves no planted value in any sink: tables, audit export, runs and logs, answers, backend log', async () => {
      const runs = (
        await get('/api/runbook/entities/component/default/wallet/runs')
      ).body.items;
      for (const r of runs) {
        await get(`/api/runbook/runs/${r.id}`);
        await get(`/api/runbook/runs/${r.id}/log`);
      }
      const exported = async (format: string) => {
        const res = await started.http
          .get(`/api/runbook/audit/export?format=${format}`)
          .set(as(OWNER))
          .buffer(true)
          .parse((stream, done) => {
            let text = '';
            stream.on('data', (chunk: Buffer) => {
              text += chunk.toString('utf8');
            });
            stream.on('end', () => done(null, text));
          });
        expect(res.status).toBe(200);
        answers.push(res.body);
        return res.body as string;
      };
      expect(await exported('jsonl')).toContain('rotate-secret');
      expect(await exported('csv')).toContain('rotate-secret');
      const sinksByName: Record<string, string> = {
        'database rows': await everyRow(knex),
        'API answers': answers.join('\n'),
        'backend log and auditor': sinks.lines.join('\n'),
      };
      // The sinks did receive the rotations; only the values are missing.
      expect(sinksByName['database rows']).toContain(
        'wallet-secrets-rotation-staged-',
      );
      expect(sinksByName['backend log and auditor']).toContain('rotate-secret');
      for (const [name, text] of Object.entries(sinksByName)) {
        for (const marker of MARKERS) {
          for (const form of formsOf(marker)) {
            expect({ sink: name, contains: text.includes(form) }).toEqual({
              sink: name,
              contains: false,
            });
          }
        }
      }
    });
  },
);
