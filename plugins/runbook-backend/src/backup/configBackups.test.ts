import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestDatabases } from '@backstage/backend-test-utils';
import type {
  BackupItem,
  ConfigRestoreReport,
} from '@nexus-cos/plugin-runbook-common';
import { recordingSinks } from '../__testUtils__/recording';
import { startSeededSandbox } from '../__testUtils__/sandbox';
import {
  AUDITOR,
  OWNER,
  as,
  component,
  startRunbookBackend,
} from '../__testUtils__/testBackend';
import { waitForRun } from './__testUtils__/drTarget';

jest.setTimeout(120_000);

const NS = 'nexus-media';
const MARKER = 'Pl4nted-marker-9f3c1e-never-to-be-seen';
const SEEDED_SECRETS = ['sandbox-media-db-password', 'sandbox-media-api-key'];

/** Every form in which a Secret value could leak: plain, base64, JSON-escaped. */
const forms = (value: string) => [
  value,
  Buffer.from(value).toString('base64'),
  JSON.stringify(value).slice(1, -1),
];

/** The real kubectl, asynchronously: the sandbox answers in this very process. */
function kubectl(args: string[], input: string) {
  return new Promise<{ status: number | null; stderr: string }>(
    (done, fail) => {
      const child = spawn('/usr/bin/kubectl', args, {
        env: { ...process.env, KUBECONFIG: '/dev/null' },
      });
      let stderr = '';
      child.stderr.on('data', d => (stderr += d));
      child.on('error', fail);
      child.on('close', status => done({ status, stderr }));
      child.stdin.end(input);
    },
  );
}

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe('configuration backups of a service namespace', () => {
  let sandbox: Awaited<ReturnType<typeof startSeededSandbox>>;

  beforeAll(async () => {
    sandbox = await startSeededSandbox([
      component('media', { 'backstage.io/kubernetes-namespace': NS }),
    ]);
  });
  afterAll(() => sandbox?.stop());

  /** Plants the marker with the real kubectl: the last-applied annotation carries it too. */
  async function plant() {
    const applied = await kubectl(
      [
        '--server',
        sandbox.url,
        '--insecure-skip-tls-verify=true',
        '-n',
        NS,
        'apply',
        '-f',
        '-',
      ],
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'media-planted', labels: { app: 'media' } },
        stringData: { PLANTED_TOKEN: MARKER },
      }),
    );
    expect({ code: applied.status, stderr: applied.stderr }).toEqual({
      code: 0,
      stderr: '',
    });
    const planted = await sandbox.get(
      `/api/v1/namespaces/${NS}/secrets/media-planted`,
    );
    expect(
      planted.metadata.annotations[
        'kubectl.kubernetes.io/last-applied-configuration'
      ],
    ).toContain(MARKER);
  }

  describe.each(databases.eachSupportedId())(
    'with the engine on %p',
    databaseId => {
      let started: Awaited<ReturnType<typeof startRunbookBackend>>;
      let sinks: ReturnType<typeof recordingSinks>;
      let storeDir: string;

      beforeAll(async () => {
        await plant();
        storeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'runbook-config-'));
        sinks = recordingSinks();
        started = await startRunbookBackend({
          knex: await databases.init(databaseId),
          entities: [
            component('media', { 'backstage.io/kubernetes-namespace': NS }),
          ],
          clusterUrl: sandbox.url,
          config: { backup: { store: { directory: storeDir } } },
          features: sinks.features,
        });
      });
      afterAll(async () => {
        await started?.backend.stop();
        fs.rmSync(storeDir, { recursive: true, force: true });
      });

      const get = (p: string, user = OWNER) =>
        started.http.get(`/api/runbook${p}`).set(as(user));
      const post = (body: object) =>
        started.http
          .post('/api/runbook/entities/component/default/media/runs')
          .set(as(OWNER))
          .send(body);
      const finished = (id: string) =>
        waitForRun(async i => (await get(`/runs/${i}`)).body, id);

      it('bundles ConfigMaps and Secret names and keys, and no Secret value reaches any sink', async () => {
        const texts: string[] = [];
        const dry = await post({ action: 'config-backup', dryRun: true });
        expect(dry.status).toBe(200);
        texts.push(dry.text);

        const res = await post({ action: 'config-backup', reason: 'weekly' });
        expect(res.status).toBe(202);
        texts.push(res.text);
        const done = await finished(res.body.id);
        expect({ status: done.status, error: done.error }).toEqual({
          status: 'succeeded',
          error: undefined,
        });
        const made = done.after.backup as BackupItem;
        expect(made).toMatchObject({
          target: 'component:default/media',
          kind: 'config',
          namespace: NS,
          objects: { configMaps: 1, secrets: 2 },
        });

        const bundleText = fs.readFileSync(
          path.join(storeDir, 'config', NS, `${made.id}.json`),
          'utf8',
        );
        const bundle = JSON.parse(bundleText);
        expect(bundle.configMaps).toEqual([
          expect.objectContaining({
            name: 'media-config',
            data: expect.objectContaining({ SERVICE_NAME: 'media' }),
          }),
        ]);
        expect(bundle.secrets).toEqual([
          expect.objectContaining({
            name: 'media-planted',
            keys: ['PLANTED_TOKEN'],
            labels: { app: 'media' },
          }),
          expect.objectContaining({
            name: 'media-secrets',
            keys: ['API_KEY', 'DATABASE_PASSWORD'],
          }),
        ]);
        expect(bundleText).not.toContain('last-applied-configuration');
        expect(bundleText).not.toContain('managedFields');
        texts.push(bundleText);

        const listed = await get(`/backups?target=component:default/media`);
        expect(listed.body.items.map((b: BackupItem) => b.id)).toEqual([
          made.id,
        ]);
        texts.push(listed.text);
        texts.push((await get(`/runs/${done.id}`)).text);
        texts.push((await get(`/runs/${done.id}/log`)).text);
        texts.push((await get('/entities/component/default/media/runs')).text);
        for (const format of ['jsonl', 'csv']) {
          const exported = await get(`/audit/export?format=${format}`, AUDITOR)
            .buffer(true)
            .parse((r, callback) => {
              let text = '';
              r.on('data', (chunk: Buffer) => (text += chunk));
              r.on('end', () => callback(null, text));
            });
          expect(exported.status).toBe(200);
          expect(exported.body).toContain(made.id);
          texts.push(exported.body);
        }
        texts.push((await get('/audit?limit=500', AUDITOR)).text);
        texts.push(...sinks.lines);

        const everything = texts.join('\n');
        expect(everything).toContain('media-planted');
        for (const value of [MARKER, ...SEEDED_SECRETS]) {
          for (const form of forms(value)) {
            expect(everything).not.toContain(form);
          }
        }
      });

      it('restores the ConfigMaps of a bundle and says which Secrets are missing', async () => {
        const res = await post({ action: 'config-backup' });
        const made = (await finished(res.body.id)).after.backup as BackupItem;
        await sandbox.send(
          'PATCH',
          `/api/v1/namespaces/${NS}/configmaps/media-config`,
          { data: { LOG_LEVEL: 'debug' } },
          'application/merge-patch+json',
        );
        await sandbox.send(
          'DELETE',
          `/api/v1/namespaces/${NS}/secrets/media-planted`,
          {},
        );

        // `latest` is the bundle just made.
        const dry = await post({
          action: 'config-restore',
          input: { backupId: 'latest' },
          dryRun: true,
        });
        expect(dry.status).toBe(200);
        expect(dry.body.diff).toEqual([
          {
            kind: 'ConfigMap',
            name: 'media-config',
            namespace: NS,
            operation: 'update',
            changes: [
              { path: 'data.LOG_LEVEL', before: 'debug', after: 'info' },
            ],
          },
        ]);

        const restore = await post({
          action: 'config-restore',
          input: { backupId: made.id },
        });
        expect(restore.status).toBe(202);
        const done = await finished(restore.body.id);
        expect({ status: done.status, error: done.error }).toEqual({
          status: 'succeeded',
          error: undefined,
        });
        const report = done.after as ConfigRestoreReport;
        expect(report.configMaps).toEqual([
          { name: 'media-config', outcome: 'replaced' },
        ]);
        expect(report.secrets).toEqual([
          {
            name: 'media-planted',
            present: false,
            missingKeys: ['PLANTED_TOKEN'],
          },
          { name: 'media-secrets', present: true, missingKeys: [] },
        ]);
        const live = await sandbox.get(
          `/api/v1/namespaces/${NS}/configmaps/media-config`,
        );
        expect(live.data.LOG_LEVEL).toBe('info');
        const log = (await get(`/runs/${done.id}/log`)).body.items
          .map((l: { message: string }) => l.message)
          .join('\n');
        expect(log).toContain(
          'recreate from your secret store: media-planted (missing)',
        );
      });

      it('refuses a bundle id that is not this service’s', async () => {
        const res = await post({
          action: 'config-restore',
          input: { backupId: 'nexus-db-20261203-020000-abcd' },
        });
        expect(res.status).toBe(400);
        expect(res.body.error.message).toBe(
          'input.backupId: component:default/media has no config backup nexus-db-20261203-020000-abcd (see GET /backups?target=component:default/media)',
        );
      });
    },
  );
});
