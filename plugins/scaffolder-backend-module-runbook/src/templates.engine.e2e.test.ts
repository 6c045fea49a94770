import { execFileSync, spawn } from 'node:child_process';
import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  chmodSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { mockCredentials } from '@backstage/backend-test-utils';
import type { DrDrillReport } from '@nexus-cos/plugin-runbook-common';
import {
  SandboxCluster,
  startSandboxCluster,
  testClock,
} from '@nexus-cos/sandbox-cluster';
import knexFactory from 'knex';
import { parse } from 'yaml';
import { startPortal } from './__testUtils__/portal';

// Each template, run by the real scaffolder backend with this module against the real
// runbook backend, which acts on a sandbox cluster and drills a real PostgreSQL.

jest.setTimeout(300_000);

const ROOT = resolve(__dirname, '../../..');
const USER = 'user:default/mock';
const templates = readdirSync(join(ROOT, 'templates'))
  .filter(f => f !== 'all.yaml')
  .map(f => parse(readFileSync(join(ROOT, 'templates', f), 'utf8')));

const NS = 'nexus-e2e';
const service = (name: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: {
      'backstage.io/kubernetes-id': name,
      'backstage.io/kubernetes-namespace': NS,
      'nexus-cos.io/staging-namespace': `${NS}-staging`,
      'nexus-cos.io/replicas': '2-4',
      'nexus-cos.io/image-repository': `nexus-cos/${name}`,
    },
  },
  spec: {
    type: 'service',
    lifecycle: 'experimental',
    owner: 'group:default/team-a',
  },
});
const database = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'nexus-db',
    namespace: 'default',
    annotations: { 'nexus-cos.io/dr-target': 'nexus-db' },
  },
  spec: { type: 'database', owner: 'group:default/database-admin' },
};
/** Services of a System whose template deploys wait for a platform lead's approval. */
const gated = (name: string) => ({
  ...service(name),
  spec: { ...service(name).spec, system: 'gated' },
});
const LEAD = 'user:default/lead';
const lead = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name: 'lead', namespace: 'default' },
  spec: { memberOf: ['group:default/platform-lead'] },
  relations: [{ type: 'memberOf', targetRef: 'group:default/platform-lead' }],
};
const approvals = {
  rules: [
    {
      name: 'gated deploys',
      initiators: ['scaffolder'],
      entities: { system: 'system:default/gated' },
      approvers: { from: ['platform-lead'] },
    },
  ],
};
const services = [
  gated('gated'),
  gated('gated-rejected'),
  service('good'),
  service('never-ready'),
  service('bluegreen'),
  service('badgreen'),
  service('cancelled'),
  service('restarted'),
];

describe('templates end to end through the scaffolder and the runbook engine', () => {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-e2e-'));
  let cluster: SandboxCluster;
  let port: number;
  let pgServer: string;

  const scaffolder = async (path: string, init?: RequestInit) => {
    const res = await fetch(
      `http://localhost:${port}/api/scaffolder/v2${path}`,
      {
        ...init,
        headers: {
          Authorization: mockCredentials.user.header(USER),
          'Content-Type': 'application/json',
        },
      },
    );
    return { status: res.status, body: await res.json() };
  };
  const runbook = async (path: string) =>
    (
      await fetch(`http://localhost:${port}/api/runbook${path}`, {
        headers: { Authorization: mockCredentials.user.header(USER) },
      })
    ).json();
  const kube = async (path: string) => {
    const res = await fetch(`${cluster.url}${path}`);
    return res.status === 404 ? undefined : res.json();
  };
  const image = (d: any) => d.spec.template.spec.containers[0].image;
  /** A decision on a waiting run, as the lead in the portal makes it. */
  const decide = async (runId: string, verb: string, comment: string) =>
    (
      await fetch(
        `http://localhost:${port}/api/runbook/runs/${runId}/${verb}`,
        {
          method: 'POST',
          headers: {
            Authorization: mockCredentials.user.header(LEAD),
            'Content-Type': 'application/json',
          },
          body: JSON.stringify({ comment }),
        },
      )
    ).status;
  /** The entity's run of `action` once it awaits approval. */
  async function awaitingRun(entityRef: string, action: string) {
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; ) {
      const run = (await runsOf(entityRef)).find(
        r => r.action === action && r.status === 'awaiting-approval',
      );
      if (run) return run;
      await new Promise(r => setTimeout(r, 250));
    }
    throw new Error(`no ${action} of ${entityRef} awaits approval`);
  }
  /** The task's log so far. */
  const taskLog = async (taskId: string) =>
    (await scaffolder(`/tasks/${taskId}/events`)).body
      .map((e: any) => e.body.message)
      .join('\n');

  async function startTemplate(name: string, values: object) {
    const created = await scaffolder('/tasks', {
      method: 'POST',
      body: JSON.stringify({ templateRef: `template:default/${name}`, values }),
    });
    expect(created.status).toBe(201);
    return created.body.id as string;
  }

  async function runTemplate(name: string, values: object) {
    return finished(await startTemplate(name, values));
  }

  async function finished(taskId: string) {
    for (const deadline = Date.now() + 90_000; Date.now() < deadline; ) {
      const { body: task } = await scaffolder(`/tasks/${taskId}`);
      if (!['open', 'processing'].includes(task.status)) {
        const { body: events } = await scaffolder(`/tasks/${taskId}/events`);
        return { taskId, status: task.status as string, events };
      }
      await new Promise(r => setTimeout(r, 250));
    }
    const { body: task } = await scaffolder(`/tasks/${taskId}`);
    const { body: events } = await scaffolder(`/tasks/${taskId}/events`);
    throw new Error(
      `task ${taskId} did not finish (${task.status}):\n${events
        .map(
          (e: any) => `${e.type}: ${e.body.message ?? JSON.stringify(e.body)}`,
        )
        .join('\n')}`,
    );
  }

  /** The runs of an entity, oldest first, with their audit outcomes. */
  async function runsOf(entityRef: string) {
    const [kind, rest] = entityRef.split(':');
    const { items } = await runbook(`/entities/${kind}/${rest}/runs`);
    return [...items].reverse();
  }

  beforeAll(async () => {
    chmodSync(dir, 0o755);
    const catalogDir = join(dir, 'catalog');
    execFileSync('mkdir', ['-p', catalogDir]);
    writeFileSync(
      join(catalogDir, 'services.yaml'),
      services.map(e => JSON.stringify(e)).join('\n---\n'),
    );
    cluster = await startSandboxCluster({
      port: 0,
      seed: { catalogDir },
      traffic: { startAt: testClock() },
    });
    await cluster.waitForRollouts();
    const pgPort = execFileSync(join(ROOT, 'scripts/free-port'))
      .toString()
      .trim();
    const connection = execFileSync(
      join(ROOT, 'scripts/services/dr-target.sh'),
      ['start', join(dir, 'pg'), pgPort],
    )
      .toString()
      .trim();
    pgServer = connection.replace(/\/nexus_db$/, '');
    ({ port } = await startPortal({
      clusterUrl: cluster.url,
      entities: [...templates, ...services, database, lead],
      runbook: {
        drTargets: { 'nexus-db': { connection, namespace: NS } },
        approvals,
      },
    }));
  });

  afterAll(async () => {
    await cluster?.stop();
    execFileSync(join(ROOT, 'scripts/services/dr-target.sh'), [
      'stop',
      join(dir, 'pg'),
    ]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('deploys a good image after the checklist', async () => {
    const { taskId, status, events } = await runTemplate('deploy-service', {
      entityRef: 'component:default/good',
      image: 'nexus-cos/good:2.0.0',
      confirmations: ['review-change-request', 'notify-stakeholders'],
      reason: 'CHG-1',
    });
    const log = events.map((e: any) => e.body.message).join('\n');
    expect({ status, log }).toEqual({
      status: 'completed',
      log: expect.any(String),
    });
    expect(
      image(await kube(`/apis/apps/v1/namespaces/${NS}/deployments/good`)),
    ).toBe('nexus-cos/good:2.0.0');
    const runs = await runsOf('component:default/good');
    expect(runs.map(r => [r.action, r.status, r.actor])).toEqual([
      ['checklist', 'succeeded', USER],
      ['set-image', 'succeeded', USER],
      // The runbook's step 6: smoke tests after the rollout.
      ['diagnostics', 'succeeded', USER],
    ]);
    expect(runs[2].result.verdict).not.toBe('fail');
    expect(runs[0].after.verdict).toBe('pass');
    // Each step's run is on the audit trail with the user and its outcome.
    const audit = await runbook('/audit?entity=component:default/good');
    for (const run of runs) {
      expect(
        audit.items
          .filter((i: any) => i.runId === run.id && i.event === 'succeeded')
          .map((i: any) => i.actor),
      ).toEqual([USER]);
    }
    expect(log).toContain(`Started run ${runs[1].id}`);
    // The template and task name the origin of each run, here and in the audit trail.
    expect(runs.map(r => r.reason)).toEqual(
      ['checklist', 'deploy', 'smoke-tests'].map(
        step =>
          `CHG-1 (template:default/deploy-service, task ${taskId}, step ${step})`,
      ),
    );
    expect(
      audit.items
        .filter((i: any) => i.event === 'requested')
        .map((i: any) => [i.actor, i.summary.reason]),
    ).toEqual(runs.map(r => [USER, r.reason]));
  });

  it('waits for approval in the step, says by whom, and deploys once a lead approves', async () => {
    const taskId = await startTemplate('deploy-service', {
      entityRef: 'component:default/gated',
      image: 'nexus-cos/gated:2.0.0',
      confirmations: ['review-change-request', 'notify-stakeholders'],
      reason: 'CHG-7',
    });
    const run = await awaitingRun('component:default/gated', 'set-image');
    for (const deadline = Date.now() + 30_000; ; ) {
      if ((await taskLog(taskId)).includes(`Run ${run.id} is awaiting`)) break;
      if (Date.now() > deadline) throw new Error(await taskLog(taskId));
      await new Promise(r => setTimeout(r, 250));
    }
    expect(await taskLog(taskId)).toContain(
      `Run ${run.id} is awaiting approval by members of group:default/platform-lead (rule "gated deploys")`,
    );
    expect(
      image(await kube(`/apis/apps/v1/namespaces/${NS}/deployments/gated`)),
    ).not.toBe('nexus-cos/gated:2.0.0');
    expect(await decide(run.id, 'approve', 'CHG-7 reviewed')).toBe(200);
    const { status } = await finished(taskId);
    expect(status).toBe('completed');
    expect(
      image(await kube(`/apis/apps/v1/namespaces/${NS}/deployments/gated`)),
    ).toBe('nexus-cos/gated:2.0.0');
    const audit = await runbook(`/audit?run=${run.id}`);
    expect(audit.items.map((i: any) => [i.event, i.actor])).toEqual(
      expect.arrayContaining([
        ['requested', USER],
        ['approved', LEAD],
        ['succeeded', USER],
      ]),
    );
  });

  it("fails the step with the approver's comment when the deploy is rejected", async () => {
    const path = `/apis/apps/v1/namespaces/${NS}/deployments/gated-rejected`;
    const previous = image(await kube(path));
    const taskId = await startTemplate('deploy-service', {
      entityRef: 'component:default/gated-rejected',
      image: 'nexus-cos/gated-rejected:2.0.0',
      confirmations: ['review-change-request', 'notify-stakeholders'],
      reason: 'CHG-8',
    });
    const run = await awaitingRun(
      'component:default/gated-rejected',
      'set-image',
    );
    expect(await decide(run.id, 'reject', 'not during the sale')).toBe(200);
    const { status, events } = await finished(taskId);
    expect(status).toBe('failed');
    expect(events.map((e: any) => e.body.message).join('\n')).toContain(
      `ended rejected: Rejected by ${LEAD}: not during the sale`,
    );
    expect(image(await kube(path))).toBe(previous);
  });

  it('rolls a never-ready image back, leaving the previous image serving', async () => {
    const path = `/apis/apps/v1/namespaces/${NS}/deployments/never-ready`;
    const previous = image(await kube(path));
    const { status } = await runTemplate('deploy-service', {
      entityRef: 'component:default/never-ready',
      image: 'nexus-cos/never-ready:broken-1',
      confirmations: ['review-change-request', 'notify-stakeholders'],
      reason: 'CHG-2',
    });
    expect(status).toBe('failed');
    const runs = await runsOf('component:default/never-ready');
    expect(runs.map(r => [r.action, r.status])).toEqual([
      ['checklist', 'succeeded'],
      ['set-image', 'rolled-back'],
    ]);
    const after = await kube(path);
    expect(image(after)).toBe(previous);
    expect(after.status.readyReplicas).toBe(after.spec.replicas);
  });

  it('releases blue-green: the Service selects green and blue is gone', async () => {
    const { status, events } = await runTemplate('blue-green-release', {
      entityRef: 'component:default/bluegreen',
      image: 'nexus-cos/bluegreen:3.0.0',
      monitorWindowSeconds: 1,
      reason: 'CHG-3',
    });
    expect({
      status,
      log: status === 'completed' ? '' : events.map((e: any) => e.body.message),
    }).toEqual({
      status: 'completed',
      log: '',
    });
    const svc = await kube(`/api/v1/namespaces/${NS}/services/bluegreen`);
    expect(svc.spec.selector.version).toBe('green');
    const green = await kube(
      `/apis/apps/v1/namespaces/${NS}/deployments/bluegreen-green`,
    );
    expect(image(green)).toBe('nexus-cos/bluegreen:3.0.0');
    const blue = await kube(
      `/apis/apps/v1/namespaces/${NS}/deployments/bluegreen`,
    );
    expect(blue?.spec.replicas ?? 0).toBe(0);
  });

  it('never switches to a green that did not become ready', async () => {
    const { status } = await runTemplate('blue-green-release', {
      entityRef: 'component:default/badgreen',
      image: 'nexus-cos/badgreen:broken-2',
      monitorWindowSeconds: 1,
      reason: 'CHG-4',
    });
    expect(status).toBe('failed');
    const runs = await runsOf('component:default/badgreen');
    expect(runs.map(r => r.action)).toEqual(['blue-green-deploy']);
    expect(runs[0].status).not.toBe('succeeded');
    const svc = await kube(`/api/v1/namespaces/${NS}/services/badgreen`);
    expect(svc.spec.selector.version).toBe('blue');
  });

  it('a cancelled release leaves no lock and traffic on blue', async () => {
    const taskId = await startTemplate('blue-green-release', {
      entityRef: 'component:default/cancelled',
      image: 'nexus-cos/cancelled:3.0.0',
      monitorWindowSeconds: 120,
      reason: 'CHG-5',
    });
    const svcPath = `/api/v1/namespaces/${NS}/services/cancelled`;
    for (const deadline = Date.now() + 120_000; ; ) {
      const switched = (await kube(svcPath)).spec.selector.version === 'green';
      if (switched) break;
      if (Date.now() > deadline) throw new Error('never switched to green');
      await new Promise(r => setTimeout(r, 200));
    }
    const cancel = await scaffolder(`/tasks/${taskId}/cancel`, {
      method: 'POST',
    });
    expect(cancel.status).toBe(200);
    // The step ends by throwing once its run is cancelled, which the scaffolder may
    // record as a failure of the task rather than a cancellation.
    const { status } = await finished(taskId);
    expect(['cancelled', 'failed']).toContain(status);
    // The run ends once its switch-back is done; the task may end first.
    let runs: any[] = [];
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; ) {
      runs = await runsOf('component:default/cancelled');
      if (runs.every(r => r.finishedAt)) break;
      await new Promise(r => setTimeout(r, 200));
    }
    expect(runs.map(r => [r.action, r.status])).toEqual([
      ['blue-green-deploy', 'succeeded'],
      ['blue-green-switch', 'cancelled'],
    ]);
    expect((await kube(svcPath)).spec.selector.version).toBe('blue');
    const resolution = await runbook(
      '/entities/component/default/cancelled/runbook',
    );
    expect(resolution.activeRunId).toBeUndefined();
  });

  it('drills the database and reports matching checksums, RTO and RPO', async () => {
    const { status, events } = await runTemplate('dr-drill', {
      entityRef: 'resource:default/nexus-db',
      reason: 'Monthly DR drill',
    });
    expect(status).toBe('completed');
    const { text } = events.find((e: any) => e.type === 'completion').body
      .output;
    const report: DrDrillReport = JSON.parse(
      /```json\n([\s\S]*)\n```/.exec(text[0].content)![1],
    );
    expect(report.verdict).toBe('pass');
    expect(report.tables).toHaveLength(5);
    expect(report.tables.every(t => t.match)).toBe(true);
    expect(report.rtoSeconds).toBeGreaterThan(0);
    expect(report.rpoSeconds).toBeGreaterThan(0);
    expect(report.applicationState?.secrets).toContain('good-secrets');
    expect(JSON.stringify(report)).not.toContain('sandbox-good-db-password');
  });

  /** The portal in a child process on databases that outlive it. */
  function startChildPortal(options: object) {
    const child = spawn(
      process.execPath,
      [
        '--require',
        require.resolve('@backstage/cli/config/nodeTransform.cjs'),
        join(__dirname, '__testUtils__/portalProcess.ts'),
      ],
      {
        env: { ...process.env, PORTAL_TEST: JSON.stringify(options) },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr!.on('data', chunk => {
      stderr += chunk;
    });
    return new Promise<{ port: number; kill(): Promise<void> }>(
      (done, fail) => {
        let stdout = '';
        child.stdout!.on('data', chunk => {
          stdout += chunk;
          const m = /READY (\d+)/.exec(stdout);
          if (m)
            done({
              port: Number(m[1]),
              kill: () =>
                new Promise(exited => {
                  child.once('exit', () => exited());
                  child.kill('SIGKILL');
                }),
            });
        });
        child.once('exit', code =>
          fail(new Error(`portal exited with ${code}: ${stderr}`)),
        );
      },
    );
  }

  it('a task resumed after a backend restart follows its run instead of starting a second', async () => {
    const admin = knexFactory({
      client: 'pg',
      connection: `${pgServer}/postgres`,
    });
    await admin.raw('CREATE DATABASE e2e_scaffolder');
    await admin.raw('CREATE DATABASE e2e_runbook');
    await admin.destroy();
    const options = {
      clusterUrl: cluster.url,
      entities: [...templates, ...services, database],
      databases: {
        scaffolder: `${pgServer}/e2e_scaffolder`,
        runbook: `${pgServer}/e2e_runbook`,
      },
    };
    const path = `/apis/apps/v1/namespaces/${NS}/deployments/restarted`;
    const previous = image(await kube(path));
    const inProcess = port;
    const first = await startChildPortal(options);
    port = first.port;
    try {
      const taskId = await startTemplate('deploy-service', {
        entityRef: 'component:default/restarted',
        image: 'nexus-cos/restarted:broken-3',
        confirmations: ['review-change-request', 'notify-stakeholders'],
        reason: 'CHG-6',
      });
      // Kill it mid-rollout: the new image applied, the run still waiting for it. A run
      // killed before it applied anything has nothing to roll back, and ends failed.
      for (const deadline = Date.now() + 60_000; ; ) {
        const runs = await runsOf('component:default/restarted');
        if (
          runs.some(r => r.action === 'set-image' && r.status === 'running') &&
          image(await kube(path)) === 'nexus-cos/restarted:broken-3'
        )
          break;
        if (Date.now() > deadline) throw new Error('set-image never applied');
        await new Promise(r => setTimeout(r, 200));
      }
      await first.kill();

      const second = await startChildPortal(options);
      port = second.port;
      try {
        const { status, events } = await finished(taskId);
        // The stopped backend's run was rolled back by the new one; the step followed it.
        expect(status).toBe('failed');
        const runs = await runsOf('component:default/restarted');
        expect(runs.map(r => [r.action, r.status])).toEqual([
          ['checklist', 'succeeded'],
          ['set-image', 'rolled-back'],
        ]);
        expect(events.map((e: any) => e.body.message).join('\n')).toContain(
          `Resuming run ${runs[1].id}`,
        );
        expect(image(await kube(path))).toBe(previous);
      } finally {
        await second.kill();
      }
    } finally {
      port = inProcess;
    }
  });
});
