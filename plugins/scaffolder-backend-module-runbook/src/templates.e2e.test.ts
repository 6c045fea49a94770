import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { parse } from 'yaml';
import { createFakeRunbookBackend } from './__testUtils__/fakeRunbookBackend';
import runbookModule from './index';

// Each template, run by the real scaffolder backend with this module against a runbook
// backend that serves the run API from memory; templates.engine.e2e.test.ts uses the real one.

const templatesDir = resolve(__dirname, '../../../templates');
const templates = readdirSync(templatesDir)
  .filter(f => f !== 'all.yaml')
  .map(f => parse(readFileSync(resolve(templatesDir, f), 'utf8')));

const service = 'component:default/media-upload';

async function startPortal() {
  const engine = createFakeRunbookBackend();
  const { server } = await startTestBackend({
    features: [
      scaffolderPlugin,
      runbookModule,
      engine.plugin,
      catalogServiceMock.factory({ entities: templates }),
      mockServices.rootConfig.factory({
        data: { app: { baseUrl: 'http://portal.test' } },
      }),
    ],
  });
  const api = async (path: string, init?: RequestInit) => {
    const res = await fetch(
      `http://localhost:${server.port()}/api/scaffolder/v2${path}`,
      {
        ...init,
        headers: {
          Authorization: mockCredentials.user.header(),
          'Content-Type': 'application/json',
        },
      },
    );
    return { status: res.status, body: await res.json() };
  };
  return { engine, api };
}

/** Runs a template as the mock user and returns its task id and its final events. */
async function runTemplate(
  api: Awaited<ReturnType<typeof startPortal>>['api'],
  name: string,
  values: object,
) {
  const created = await api('/tasks', {
    method: 'POST',
    body: JSON.stringify({ templateRef: `template:default/${name}`, values }),
  });
  expect(created.status).toBe(201);
  const taskId: string = created.body.id;
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; ) {
    const { body: task } = await api(`/tasks/${taskId}`);
    if (!['open', 'processing'].includes(task.status)) {
      const { body: events } = await api(`/tasks/${taskId}/events`);
      return { taskId, status: task.status, events };
    }
    await new Promise(r => setTimeout(r, 100));
  }
  throw new Error(`task ${taskId} did not finish`);
}

describe('templates run through the scaffolder', () => {
  it.each([
    [
      'deploy-service',
      {
        entityRef: service,
        image: 'nexus-cos/media-upload:2.4.1',
        confirmations: ['review-change-request', 'prepare-rollback-plan'],
        reason: 'CHG-1042',
        confirm: 'media-upload',
      },
      [
        ['checklist', 'checklist'],
        ['deploy', 'set-image'],
        ['smoke-tests', 'diagnostics'],
      ],
    ],
    [
      'blue-green-release',
      {
        entityRef: service,
        image: 'nexus-cos/media-upload:2.5.0',
        monitorWindowSeconds: 2,
        reason: 'CHG-1043',
      },
      [
        ['deploy-idle', 'blue-green-deploy'],
        ['switch', 'blue-green-switch'],
        ['decommission', 'blue-green-decommission'],
      ],
    ],
    [
      'dr-drill',
      { entityRef: 'resource:default/nexus-db', reason: 'Monthly DR drill' },
      [['drill', 'dr-drill']],
    ],
    [
      'scale-or-restart',
      { entityRef: service, operation: 'scale', replicas: 3, reason: 'load' },
      [['scale', 'scale']],
    ],
    [
      'scale-or-restart',
      { entityRef: service, operation: 'restart', reason: 'leak' },
      [['restart', 'restart']],
    ],
  ])(
    '%s starts one run per step on behalf of the user and links to each run and its audit entries',
    async (name, values, steps) => {
      const { engine, api } = await startPortal();

      const { taskId, status, events } = await runTemplate(api, name, values);
      const log: string[] = events.map((e: any) => e.body.message);
      if (status !== 'completed') {
        throw new Error(`the task ended ${status}:\n${log.join('\n')}`);
      }
      expect(
        engine.received.map(r => [r.idempotencyKey, r.body.action, r.user]),
      ).toEqual(
        steps.map(([step, action]) => [
          `${taskId}:${step}`,
          action,
          'user:default/mock',
        ]),
      );
      expect(engine.received.map(r => r.entityRef)).toEqual(
        steps.map(() => (values as { entityRef: string }).entityRef),
      );
      const output = events.find((e: any) => e.type === 'completion').body
        .output;
      const runIds = steps.map(([step]) =>
        encodeURIComponent(`run-${taskId}:${step}`),
      );
      expect(output.links).toEqual(
        expect.arrayContaining(
          runIds.flatMap(id => [
            expect.objectContaining({
              url: `http://portal.test/runbook/runs/${id}`,
            }),
            expect.objectContaining({
              url: `http://portal.test/runbook/audit?run=${id}`,
            }),
          ]),
        ),
      );
      // The engine's run log reaches the task log.
      expect(log).toEqual(
        expect.arrayContaining([
          expect.stringMatching(
            new RegExp(`info.*: ${steps[0][1]}: converged$`),
          ),
        ]),
      );
    },
  );

  it("shows the DR drill's summary as its report", async () => {
    const { api } = await startPortal();

    const { status, events } = await runTemplate(api, 'dr-drill', {
      entityRef: 'resource:default/nexus-db',
      reason: 'Monthly DR drill',
    });

    expect(status).toBe('completed');
    const { text } = events.find((e: any) => e.type === 'completion').body
      .output;
    expect(text[0].title).toBe('Drill report');
    expect(text[0].content).toContain('"action": "dr-drill"');
  });
});
