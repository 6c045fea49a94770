import { TestDatabases } from '@backstage/backend-test-utils';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { component } from '../__testUtils__/testBackend';
import { eventually } from '../__testUtils__/eventually';
import { startExternalAccessBackend } from '../__testUtils__/externalAccessBackend';

jest.setTimeout(120_000);

const ALERTMANAGER = '/usr/bin/prometheus-alertmanager';
const FREE_PORT = resolve(__dirname, '../../../../scripts/free-port');
const TOKEN = 'alertmanager-0123456789abcdef';
const READER = 'reader-0123456789abcdef';

/**
 * Debian's Alertmanager, configured as the README's production section shows, delivers its
 * webhook to the incident route with a static token that may only create incidents.
 */
describe('the real Alertmanager', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  const dir = mkdtempSync(join(tmpdir(), 'alertmanager-'));
  let alertmanager: ChildProcess | undefined;

  afterAll(async () => {
    // Alertmanager writes its data until it has exited.
    if (alertmanager && alertmanager.exitCode === null) {
      const exited = new Promise(r => alertmanager!.once('exit', r));
      alertmanager.kill();
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('opens an incident from a firing alert and notes its resolution', async () => {
    const { server } = await startExternalAccessBackend({
      knex: await databases.init('SQLITE_3'),
      entities: [component('ledger')],
      externalAccess: [
        {
          type: 'static',
          options: { token: TOKEN, subject: 'alertmanager' },
          accessRestrictions: [
            { plugin: 'runbook', permission: 'runbook.incident.create' },
          ],
        },
        // The test's own eyes, with no restriction.
        { type: 'static', options: { token: READER, subject: 'test-reader' } },
      ],
    });
    const portal = `http://127.0.0.1:${server.port()}`;
    const asReader = { Authorization: `Bearer ${READER}` };

    const port = execFileSync(FREE_PORT).toString().trim();
    writeFileSync(
      join(dir, 'alertmanager.yml'),
      stringify({
        route: {
          receiver: 'portal',
          group_by: ['alertname', 'service'],
          group_wait: '1s',
          group_interval: '1s',
          repeat_interval: '1h',
        },
        receivers: [
          {
            name: 'portal',
            webhook_configs: [
              {
                url: `${portal}/api/runbook/alerts/alertmanager`,
                send_resolved: true,
                http_config: {
                  authorization: { type: 'Bearer', credentials: TOKEN },
                },
              },
            ],
          },
        ],
      }),
    );
    alertmanager = spawn(
      ALERTMANAGER,
      [
        `--config.file=${join(dir, 'alertmanager.yml')}`,
        `--storage.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--cluster.listen-address=',
      ],
      { stdio: 'ignore' },
    );
    const am = `http://127.0.0.1:${port}`;
    await eventually(
      () =>
        fetch(`${am}/-/ready`).then(
          r => r.ok,
          () => false,
        ),
      ready => ready,
    );

    const alert = (endsAt?: string) =>
      fetch(`${am}/api/v2/alerts`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify([
          {
            labels: {
              alertname: 'HighErrorRate',
              service: 'ledger',
              severity: 'critical',
            },
            annotations: { summary: 'ledger 5xx above 5%' },
            startsAt: '2026-12-01T00:00:00Z',
            ...(endsAt ? { endsAt } : {}),
          },
        ]),
      });
    expect((await alert()).status).toBe(200);

    const incidents = async () =>
      (
        await (
          await fetch(
            `${portal}/api/runbook/incidents?entity=component:default/ledger`,
            { headers: asReader },
          )
        ).json()
      ).items;
    const [opened] = await eventually(incidents, items => items?.length > 0);
    expect(opened).toMatchObject({
      title: 'ledger 5xx above 5%',
      severity: 'P1',
      source: 'alertmanager',
      reporter: 'alertmanager',
    });

    // Resolved: an endsAt in the past, which Alertmanager sends on with send_resolved.
    expect((await alert('2026-12-01T00:05:00Z')).status).toBe(200);
    const timeline = await eventually(
      async () =>
        (
          await (
            await fetch(`${portal}/api/runbook/incidents/${opened.id}`, {
              headers: asReader,
            })
          ).json()
        ).timeline as Array<{ message: string }>,
      entries => entries.some(e => e.message.includes('resolved')),
    );
    expect(timeline.map(e => e.message)).toContain(
      'Alert HighErrorRate resolved at 2026-12-01T00:05:00Z',
    );

    // The token may create incidents and nothing else; without it the route is closed.
    const read = await fetch(`${portal}/api/runbook/incidents`, {
      headers: { Authorization: `Bearer ${TOKEN}` },
    });
    expect(read.status).toBe(403);
    const anonymous = await fetch(`${portal}/api/runbook/alerts/alertmanager`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(anonymous.status).toBe(401);
  });
});
