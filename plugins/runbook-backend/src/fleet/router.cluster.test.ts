import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  AUDITOR,
  OWNER,
  STRANGER,
  as,
  component,
  startRunbookBackend,
} from '../__testUtils__/testBackend';
import { startSeededSandbox } from '../__testUtils__/sandbox';

jest.setTimeout(180_000);

const NS = 'nexus-fleet';
const ref = (name: string) => `component:default/${name}`;
const GRACE_SCALE = 0.02;

/** A service of `system` (written as given) that depends on the services `dependsOn`. */
function service(
  name: string,
  system: string,
  dependsOn: string[] = [],
  extra: { annotations?: Record<string, string>; spec?: object } = {},
): Entity {
  return component(
    name,
    {
      'backstage.io/kubernetes-namespace': NS,
      'nexus-cos.io/replicas': '2-6',
      ...extra.annotations,
    },
    {
      system,
      dependsOn: dependsOn.map(d => (d.includes(':') ? d : ref(d))),
      ...extra.spec,
    },
  );
}

const system = (name: string, domain = 'domain:default/other'): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'System',
  metadata: { name, namespace: 'default' },
  spec: { owner: 'group:default/team-a', domain },
});

const entities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Domain',
    metadata: { name: 'fleet', namespace: 'default' },
    spec: { owner: 'group:default/platform-lead' },
  },
  system('chain', 'fleet'),
  system('diamond', 'domain:default/fleet'),
  ...['loop', 'mixed', 'broken', 'halt', 'perm', 'empty'].map(n => system(n)),
  // A chain, its System named the short way; a Resource dependency is no service.
  service('c-db', 'chain'),
  service('c-api', 'chain', ['c-db', 'resource:default/nexus-db']),
  service('c-web', 'chain', ['c-api']),
  // A diamond with three in the middle; d-base also needs a service of another System.
  service('d-base', 'system:default/diamond', ['c-db']),
  ...['d-left', 'd-mid', 'd-right'].map(n =>
    service(n, 'system:default/diamond', ['d-base']),
  ),
  service('d-top', 'system:default/diamond', ['d-left', 'd-mid', 'd-right']),
  service('l-a', 'loop', ['l-b']),
  service('l-b', 'loop', ['l-c']),
  service('l-c', 'loop', ['l-a']),
  service('m-running', 'mixed'),
  service('m-stopped', 'mixed'),
  service('m-locked', 'mixed', [], {
    annotations: { 'nexus-cos.io/runbook-actions': 'scale,restart' },
  }),
  service('m-prod', 'mixed', [], { spec: { lifecycle: 'production' } }),
  service('b-base', 'broken'),
  service('b-side', 'broken'),
  service('b-missing', 'broken', ['b-base']),
  service('b-top', 'broken', ['b-missing']),
  service('h-1', 'halt'),
  service('h-2', 'halt', ['h-1']),
  service('h-3', 'halt', ['h-2']),
  service('h-4', 'halt', ['h-3']),
  service('p-1', 'perm'),
  service('p-2', 'perm'),
  service('p-3', 'perm'),
  // A Component without a workload is no service.
  {
    ...component('e-docs', {}, { system: 'empty' }),
    metadata: { name: 'e-docs', namespace: 'default' },
  },
];

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const TERMINAL = ['succeeded', 'failed', 'cancelled'];
const ms = (iso: string) => Date.parse(iso);

describe.each(databases.eachSupportedId())(
  'fleet runs against the sandbox cluster on %p',
  databaseId => {
    let sandbox: Awaited<ReturnType<typeof startSeededSandbox>>;
    let started: Awaited<ReturnType<typeof startRunbookBackend>>;
    let http: typeof started.http;

    const deploymentPath = (name: string) =>
      `/apis/apps/v1/namespaces/${NS}/deployments/${name}`;
    const deployment = (name: string) => sandbox.get(deploymentPath(name));
    const postFleet = (body: object, user = OWNER) =>
      http.post('/api/runbook/fleet/runs').set(as(user)).send(body);
    const getRun = async (id: string) =>
      (await http.get(`/api/runbook/runs/${id}`).set(as(OWNER))).body;
    const fleetRuns = async (scope: string) =>
      (
        await http
          .get(`/api/runbook/fleet/runs?scope=${encodeURIComponent(scope)}`)
          .set(as(OWNER))
      ).body.items;
    const runsOf = async (name: string) =>
      (
        await http
          .get(`/api/runbook/entities/component/default/${name}/runs`)
          .set(as(OWNER))
      ).body.items;

    async function waitForFleet(
      id: string,
      until: (fleet: any) => boolean = f => TERMINAL.includes(f.status),
    ) {
      const deadline = Date.now() + 90_000;
      for (;;) {
        const res = await http
          .get(`/api/runbook/fleet/runs/${id}`)
          .set(as(OWNER));
        if (until(res.body)) return res.body;
        if (Date.now() > deadline) {
          throw new Error(`fleet run ${id}: ${JSON.stringify(res.body)}`);
        }
        await new Promise(r => setTimeout(r, 50));
      }
    }

    /** Stops a service the way `stop` leaves it, behind the engine's back. */
    const stopInCluster = (name: string) =>
      sandbox.send(
        'PATCH',
        deploymentPath(name),
        {
          metadata: {
            annotations: { 'nexus-cos.io/stopped-replicas': '2' },
          },
          spec: { replicas: 0 },
        },
        'application/merge-patch+json',
      );

    /** Pod events of the namespace, as `kubectl get pods -w` sees them. */
    async function watchPods() {
      const events: Array<{ type: string; object: any }> = [];
      const controller = new AbortController();
      const res = await fetch(
        `${sandbox.url}/api/v1/namespaces/${NS}/pods?watch=true`,
        { signal: controller.signal },
      );
      const reading = (async () => {
        let buffer = '';
        const decoder = new TextDecoder();
        try {
          for await (const chunk of res.body as any) {
            buffer += decoder.decode(chunk, { stream: true });
            const lines = buffer.split('\n');
            buffer = lines.pop()!;
            for (const line of lines) {
              if (line.trim()) events.push(JSON.parse(line));
            }
          }
        } catch {
          // aborted
        }
      })();
      return {
        events,
        stop: async () => {
          controller.abort();
          await reading;
        },
      };
    }

    beforeAll(async () => {
      sandbox = await startSeededSandbox(entities, {
        timings: { gracePeriodScale: GRACE_SCALE },
      });
      started = await startRunbookBackend({
        knex: await databases.init(databaseId),
        entities,
        clusterUrl: sandbox.url,
        denyExecuteOn: [ref('p-2'), ref('p-3')],
        config: {
          defaults: { rolloutTimeoutSeconds: 20 },
          engine: {
            pollIntervalMs: 100,
            lockTtlSeconds: 5,
            janitorIntervalSeconds: 1,
          },
          fleet: { parallelism: 2 },
        },
      });
      http = started.http;
    });

    afterAll(async () => {
      await started?.backend.stop();
      await sandbox?.stop();
    });

    it('stops a chain dependents first, giving each pod the grace period, and starts it again dependencies first', async () => {
      const services = ['c-web', 'c-api', 'c-db'];
      const before = await sandbox.get(`/api/v1/namespaces/${NS}/pods`);
      const podsBefore = new Set<string>(
        before.items
          .filter((p: any) => services.includes(p.metadata.labels.app))
          .map((p: any) => p.metadata.name),
      );
      expect(podsBefore.size).toBe(6);
      const watch = await watchPods();

      const stop = await postFleet({
        action: 'stop-all',
        scope: 'system:default/chain',
        gracePeriodSeconds: 60,
        reason: 'maintenance window',
      });
      expect(stop.status).toBe(202);
      expect(stop.body).toMatchObject({
        action: 'stop-all',
        scope: 'system:default/chain',
        actor: OWNER,
        gracePeriodSeconds: 60,
        reason: 'maintenance window',
        plan: [
          { entityRef: ref('c-web'), depth: 0 },
          { entityRef: ref('c-api'), depth: 1 },
          { entityRef: ref('c-db'), depth: 2 },
        ],
      });
      const stopped = await waitForFleet(stop.body.id);
      await watch.stop();
      expect(stopped).toMatchObject({
        status: 'succeeded',
        children: services.map(s => ({
          entityRef: ref(s),
          status: 'succeeded',
          runId: expect.any(String),
        })),
      });
      const runs = await Promise.all(
        stopped.children.map((c: any) => getRun(c.runId)),
      );
      for (const run of runs) {
        expect(run).toMatchObject({
          action: 'stop',
          input: { gracePeriodSeconds: 60 },
          reason: `stop-all of system:default/chain (fleet run ${stop.body.id}): maintenance window`,
        });
        // A stop ends when its pods have used their grace period and exited.
        expect(ms(run.finishedAt) - ms(run.startedAt)).toBeGreaterThanOrEqual(
          60 * 1000 * GRACE_SCALE,
        );
      }
      // Each service stopped only after the ones that depend on it were gone.
      expect(ms(runs[1].createdAt)).toBeGreaterThanOrEqual(
        ms(runs[0].finishedAt),
      );
      expect(ms(runs[2].createdAt)).toBeGreaterThanOrEqual(
        ms(runs[1].finishedAt),
      );
      // Every pod that was serving got the grace period, as kubectl shows it.
      const graces = new Map<string, number>();
      for (const e of watch.events) {
        const meta = e.object.metadata;
        if (podsBefore.has(meta.name) && meta.deletionTimestamp) {
          graces.set(meta.name, meta.deletionGracePeriodSeconds);
        }
      }
      expect([...graces.keys()].sort()).toEqual([...podsBefore].sort());
      expect(new Set(graces.values())).toEqual(new Set([60]));
      for (const s of services) {
        const d = await deployment(s);
        expect([d.spec.replicas, d.status.replicas ?? 0]).toEqual([0, 0]);
        expect(d.metadata.annotations['nexus-cos.io/stopped-replicas']).toBe(
          '2',
        );
        // Never a delete, and the pods' own grace period is left as it was.
        expect(d.spec.template.spec.terminationGracePeriodSeconds).toBe(30);
      }
      const left = await sandbox.get(`/api/v1/namespaces/${NS}/pods`);
      expect(
        left.items.filter((p: any) => services.includes(p.metadata.labels.app)),
      ).toEqual([]);

      const start = await postFleet({
        action: 'start-all',
        scope: 'system:default/chain',
      });
      expect(start.status).toBe(202);
      expect(start.body.plan).toEqual([
        { entityRef: ref('c-db'), depth: 0 },
        { entityRef: ref('c-api'), depth: 1 },
        { entityRef: ref('c-web'), depth: 2 },
      ]);
      const startedFleet = await waitForFleet(start.body.id);
      expect(startedFleet.status).toBe('succeeded');
      const startRuns = await Promise.all(
        startedFleet.children.map((c: any) => getRun(c.runId)),
      );
      expect(startRuns.map(r => [r.entityRef, r.action, r.status])).toEqual([
        [ref('c-db'), 'start', 'succeeded'],
        [ref('c-api'), 'start', 'succeeded'],
        [ref('c-web'), 'start', 'succeeded'],
      ]);
      expect(ms(startRuns[1].createdAt)).toBeGreaterThanOrEqual(
        ms(startRuns[0].finishedAt),
      );
      expect(ms(startRuns[2].createdAt)).toBeGreaterThanOrEqual(
        ms(startRuns[1].finishedAt),
      );
      for (const s of services) {
        const d = await deployment(s);
        expect([d.spec.replicas, d.status.readyReplicas]).toEqual([2, 2]);
      }
    });

    it('starts a diamond dependencies first, its middle layer in parallel up to runbook.fleet.parallelism', async () => {
      const names = ['d-base', 'd-left', 'd-mid', 'd-right', 'd-top'];
      for (const name of names) await stopInCluster(name);

      const res = await postFleet({
        action: 'start-all',
        scope: 'system:default/diamond',
      });
      expect(res.status).toBe(202);
      // c-db belongs to another System: outside this plan.
      expect(res.body.plan).toEqual([
        { entityRef: ref('d-base'), depth: 0 },
        { entityRef: ref('d-left'), depth: 1 },
        { entityRef: ref('d-mid'), depth: 1 },
        { entityRef: ref('d-right'), depth: 1 },
        { entityRef: ref('d-top'), depth: 2 },
      ]);
      const fleet = await waitForFleet(res.body.id);
      expect(fleet.status).toBe('succeeded');
      const runs: Record<string, any> = {};
      for (const c of fleet.children) {
        runs[c.entityRef.split('/')[1]] = await getRun(c.runId);
      }
      const middle = ['d-left', 'd-mid', 'd-right'];
      for (const m of middle) {
        expect(ms(runs[m].createdAt)).toBeGreaterThanOrEqual(
          ms(runs['d-base'].finishedAt),
        );
        expect(ms(runs['d-top'].createdAt)).toBeGreaterThanOrEqual(
          ms(runs[m].finishedAt),
        );
      }
      // How many of the middle layer ran at once: two, the configured limit.
      const busy = middle.map(m => [
        ms(runs[m].createdAt),
        ms(runs[m].finishedAt),
      ]);
      const overlap = Math.max(
        ...busy.map(
          ([at]) => busy.filter(([from, to]) => from <= at && at < to).length,
        ),
      );
      expect(overlap).toBe(2);
      for (const name of names) {
        expect((await deployment(name)).status.readyReplicas).toBe(2);
      }

      // Audited: the fleet run itself, and each service's run names it.
      const audit = await http
        .get(`/api/runbook/audit?run=${res.body.id}`)
        .set(as(AUDITOR));
      expect(
        audit.body.items.map((i: any) => [i.event, i.entityRef, i.action]),
      ).toEqual([
        ['requested', 'system:default/diamond', 'start-all'],
        ['succeeded', 'system:default/diamond', 'start-all'],
      ]);
      expect(audit.body.items[1].summary).toEqual({
        succeeded: names.map(ref),
        failed: [],
        skipped: [],
        notStarted: [],
      });
      const top = await http
        .get(`/api/runbook/audit?entity=${ref('d-top')}`)
        .set(as(AUDITOR));
      expect(top.body.items.map((i: any) => i.event)).toEqual([
        'requested',
        'started',
        'step',
        'succeeded',
      ]);
      expect(top.body.items[0].summary.reason).toContain(
        `fleet run ${res.body.id}`,
      );
    });

    it('plans the Domain over the services of all its Systems, with dependencies across them', async () => {
      const res = await postFleet({
        action: 'stop-all',
        scope: 'domain:default/fleet',
        dryRun: true,
      });
      expect(res.status).toBe(200);
      expect(res.body.plan).toEqual([
        { entityRef: ref('c-web'), depth: 0 },
        { entityRef: ref('d-top'), depth: 0 },
        { entityRef: ref('c-api'), depth: 1 },
        { entityRef: ref('d-left'), depth: 1 },
        { entityRef: ref('d-mid'), depth: 1 },
        { entityRef: ref('d-right'), depth: 1 },
        { entityRef: ref('d-base'), depth: 2 },
        { entityRef: ref('c-db'), depth: 3 },
      ]);
      expect(await fleetRuns('domain:default/fleet')).toEqual([]);
    });

    it('answers a dependency cycle with a 400 that names it, and records nothing', async () => {
      for (const dryRun of [false, true]) {
        const res = await postFleet({
          action: 'start-all',
          scope: 'system:default/loop',
          dryRun,
        });
        expect(res.status).toBe(400);
        expect(res.body.error.message).toBe(
          'scope: the services of system:default/loop depend on each other in a cycle, so they have no start or stop order: component:default/l-a → component:default/l-b → component:default/l-c → component:default/l-a (spec.dependsOn)',
        );
      }
      expect(await fleetRuns('system:default/loop')).toEqual([]);
      expect(await runsOf('l-a')).toEqual([]);
    });

    it('shows the plan and the skips with their reasons in a dry run, and needs the System typed for production', async () => {
      await stopInCluster('m-stopped');
      await stopInCluster('m-prod');

      const dry = await postFleet({
        action: 'start-all',
        scope: 'system:default/mixed',
        dryRun: true,
      });
      expect(dry.status).toBe(200);
      expect(dry.body).toEqual({
        dryRun: true,
        action: 'start-all',
        scope: 'system:default/mixed',
        plan: ['m-locked', 'm-prod', 'm-running', 'm-stopped'].map(n => ({
          entityRef: ref(n),
          depth: 0,
        })),
        children: [
          {
            entityRef: ref('m-locked'),
            status: 'skipped',
            reason:
              'the nexus-cos.io/runbook-actions allow-list of component:default/m-locked does not include start',
          },
          { entityRef: ref('m-prod'), status: 'not-started' },
          {
            entityRef: ref('m-running'),
            status: 'skipped',
            reason: 'already running (m-running: 2 replicas)',
          },
          { entityRef: ref('m-stopped'), status: 'not-started' },
        ],
        confirmText: 'mixed',
      });
      const stopDry = await postFleet({
        action: 'stop-all',
        scope: 'system:default/mixed',
        dryRun: true,
      });
      expect(
        stopDry.body.children.map((c: any) => [
          c.entityRef,
          c.status,
          c.reason,
        ]),
      ).toEqual([
        [
          ref('m-locked'),
          'skipped',
          'the nexus-cos.io/runbook-actions allow-list of component:default/m-locked does not include stop',
        ],
        [ref('m-prod'), 'skipped', 'already stopped (m-prod: 0 replicas)'],
        [ref('m-running'), 'not-started', undefined],
        [
          ref('m-stopped'),
          'skipped',
          'already stopped (m-stopped: 0 replicas)',
        ],
      ]);
      expect(await fleetRuns('system:default/mixed')).toEqual([]);
      expect((await deployment('m-running')).spec.replicas).toBe(2);

      for (const confirm of [undefined, 'm-prod']) {
        const refused = await postFleet({
          action: 'start-all',
          scope: 'system:default/mixed',
          confirm,
        });
        expect([refused.status, refused.body.error.message]).toEqual([
          400,
          'confirm: system:default/mixed has production services (component:default/m-prod); type its name "mixed" to confirm',
        ]);
      }
      expect(await fleetRuns('system:default/mixed')).toEqual([]);

      const res = await postFleet({
        action: 'start-all',
        scope: 'system:default/mixed',
        confirm: 'mixed',
      });
      expect(res.status).toBe(202);
      const fleet = await waitForFleet(res.body.id);
      expect(
        fleet.children.map((c: any) => [c.entityRef, c.status, c.reason]),
      ).toEqual([
        [
          ref('m-locked'),
          'skipped',
          'the nexus-cos.io/runbook-actions allow-list of component:default/m-locked does not include start',
        ],
        [ref('m-prod'), 'succeeded', undefined],
        [
          ref('m-running'),
          'skipped',
          'already running (m-running: 2 replicas)',
        ],
        [ref('m-stopped'), 'succeeded', undefined],
      ]);
      expect(fleet.status).toBe('succeeded');
      expect((await deployment('m-prod')).status.readyReplicas).toBe(2);
      expect(await runsOf('m-running')).toEqual([]);
    });

    it('stops at the first failure and reports what ran, what failed and what was not started', async () => {
      for (const name of ['b-base', 'b-side', 'b-top']) {
        await stopInCluster(name);
      }
      await sandbox.send('DELETE', deploymentPath('b-missing'), {});

      const res = await postFleet({
        action: 'start-all',
        scope: 'system:default/broken',
      });
      expect(res.status).toBe(202);
      const fleet = await waitForFleet(res.body.id);
      const missing =
        'Deployment b-missing (the live blue colour) does not exist in nexus-fleet on sandbox';
      expect(fleet).toMatchObject({
        status: 'failed',
        error: `start of component:default/b-missing was refused: ${missing}. Not started: component:default/b-top.`,
        plan: [
          { entityRef: ref('b-base'), depth: 0 },
          { entityRef: ref('b-side'), depth: 0 },
          { entityRef: ref('b-missing'), depth: 1 },
          { entityRef: ref('b-top'), depth: 2 },
        ],
      });
      expect(
        fleet.children.map((c: any) => [
          c.entityRef,
          c.status,
          Boolean(c.runId),
          c.reason,
        ]),
      ).toEqual([
        [ref('b-base'), 'succeeded', true, undefined],
        [ref('b-side'), 'succeeded', true, undefined],
        [ref('b-missing'), 'failed', false, missing],
        [
          ref('b-top'),
          'not-started',
          false,
          'not started: component:default/b-missing failed first',
        ],
      ]);
      expect((await deployment('b-top')).spec.replicas).toBe(0);
      expect(await runsOf('b-top')).toEqual([]);
      const audit = await http
        .get(`/api/runbook/audit?run=${res.body.id}`)
        .set(as(AUDITOR));
      expect(audit.body.items.map((i: any) => i.event)).toEqual([
        'requested',
        'failed',
      ]);
      expect(audit.body.items[1].summary).toEqual({
        succeeded: [ref('b-base'), ref('b-side')],
        failed: [`${ref('b-missing')} (failed)`],
        skipped: [],
        notStarted: [ref('b-top')],
      });
    });

    it('stops between services when cancelled, and refuses a second fleet run over the same services', async () => {
      const names = ['h-1', 'h-2', 'h-3', 'h-4'];
      for (const name of names) await stopInCluster(name);
      const res = await postFleet({
        action: 'start-all',
        scope: 'system:default/halt',
      });
      expect(res.status).toBe(202);
      await waitForFleet(res.body.id, f => Boolean(f.children[0].runId));

      const second = await postFleet({
        action: 'start-all',
        scope: 'system:default/halt',
      });
      expect([second.status, second.body.error.message]).toEqual([
        409,
        expect.stringMatching(
          new RegExp(
            `^Fleet run ${res.body.id} \\(start-all of system:default/halt by ${OWNER}, running\\) already covers component:default/h-1, .*component:default/h-4; try again when it has ended$`,
          ),
        ),
      ]);

      // Reading the same services is no conflict.
      const reads = await postFleet({
        action: 'diagnostics',
        scope: 'system:default/halt',
      });
      expect(reads.status).toBe(202);

      const cancel = await http
        .post(`/api/runbook/fleet/runs/${res.body.id}/cancel`)
        .set(as(OWNER));
      expect(cancel.status).toBe(202);
      expect(cancel.body.cancelRequested).toBe(true);
      const fleet = await waitForFleet(res.body.id);
      expect(fleet.status).toBe('cancelled');
      const ran = fleet.children.filter((c: any) => c.runId);
      const rest = fleet.children.filter((c: any) => !c.runId);
      // The service in progress finished; none started after the cancel.
      expect(ran.length).toBeGreaterThanOrEqual(1);
      expect(ran.map((c: any) => c.status)).toEqual(ran.map(() => 'succeeded'));
      expect(rest.map((c: any) => c.entityRef)).toContain(ref('h-4'));
      expect(fleet.children).toEqual([...ran, ...rest]);
      for (const c of rest) {
        expect(c).toMatchObject({
          status: 'not-started',
          reason: 'not started: the fleet run was cancelled',
        });
        expect(
          (await deployment(c.entityRef.split('/')[1])).spec.replicas,
        ).toBe(0);
      }
      expect(fleet.error).toBe(
        `Cancelled on request. Not started: ${rest
          .map((c: any) => c.entityRef)
          .join(', ')}.`,
      );

      const again = await http
        .post(`/api/runbook/fleet/runs/${res.body.id}/cancel`)
        .set(as(OWNER));
      expect([again.status, again.body.error.message]).toEqual([
        409,
        `Fleet run ${res.body.id} has already ended (cancelled)`,
      ]);
      expect(await waitForFleet(reads.body.id)).toMatchObject({
        status: 'succeeded',
      });
      expect(
        (await fleetRuns('system:default/halt')).map((f: any) => f.id),
      ).toEqual([reads.body.id, res.body.id]);
    });

    it('denies a fleet run before anything runs when a service lacks permission, listing those services', async () => {
      const cases: Array<[string, string, boolean | undefined, string]> = [
        [
          OWNER,
          'owner',
          undefined,
          'You may not run start-all on system:default/perm: runbook.action.execute is denied on component:default/p-2, component:default/p-3',
        ],
        [
          OWNER,
          'owner',
          true,
          'You may not run start-all on system:default/perm: runbook.action.execute is denied on component:default/p-2, component:default/p-3',
        ],
        [
          STRANGER,
          'stranger',
          undefined,
          'You may not run start-all on system:default/perm: runbook.action.execute is denied on component:default/p-1, component:default/p-2, component:default/p-3',
        ],
        [
          'service',
          'service',
          undefined,
          'Only a signed-in person may run start-all on system:default/perm; service principals may only read',
        ],
      ];
      for (const [user, , dryRun, message] of cases) {
        const res = await http
          .post('/api/runbook/fleet/runs')
          .set(
            user === 'service'
              ? { Authorization: mockCredentials.service.header() }
              : as(user),
          )
          .send({ action: 'start-all', scope: 'system:default/perm', dryRun });
        expect([res.status, res.body.error?.message]).toEqual([403, message]);
      }
      expect(await fleetRuns('system:default/perm')).toEqual([]);
      for (const name of ['p-1', 'p-2', 'p-3']) {
        expect(await runsOf(name)).toEqual([]);
      }
      const audit = await http
        .get('/api/runbook/audit?entity=system:default/perm')
        .set(as(AUDITOR));
      expect(
        audit.body.items.map((i: any) => [
          i.event,
          i.actor,
          i.action,
          i.summary.denied,
        ]),
      ).toEqual([
        ['denied', OWNER, 'start-all', [ref('p-2'), ref('p-3')]],
        ['denied', OWNER, 'start-all', [ref('p-2'), ref('p-3')]],
        ['denied', STRANGER, 'start-all', [ref('p-1'), ref('p-2'), ref('p-3')]],
        ['denied', 'service:external:test-service', 'start-all', undefined],
      ]);
    });

    it('answers malformed requests with the contracted 4xx and records nothing', async () => {
      type Case = {
        name: string;
        status: number;
        message: string;
        body?: object;
        raw?: { type: string; data: string };
        path?: string;
        method?: 'get' | 'post';
      };
      const cases: Case[] = [
        {
          name: 'unknown action',
          body: { action: 'reboot-all', scope: 'system:default/chain' },
          status: 400,
          message:
            'action: action must be one of: start-all, stop-all, diagnostics',
        },
        {
          name: 'a Component as scope',
          body: { action: 'start-all', scope: ref('c-db') },
          status: 400,
          message:
            'scope: must be the entity ref of a System or the Domain, like "system:default/media"',
        },
        {
          name: 'grace period on start-all',
          body: {
            action: 'start-all',
            scope: 'system:default/chain',
            gracePeriodSeconds: 60,
          },
          status: 400,
          message: 'gracePeriodSeconds: applies only to stop-all',
        },
        {
          name: 'grace period over an hour',
          body: {
            action: 'stop-all',
            scope: 'system:default/chain',
            gracePeriodSeconds: 3601,
          },
          status: 400,
          message: 'gracePeriodSeconds: must be at most 3600',
        },
        {
          name: 'unknown field',
          body: { action: 'stop-all', scope: 'system:default/chain', all: 1 },
          status: 400,
          message: '(body): Unrecognized key: "all"',
        },
        {
          name: 'a System without services',
          body: { action: 'start-all', scope: 'system:default/empty' },
          status: 400,
          message:
            'scope: system:default/empty has no services (Components with the backstage.io/kubernetes-id annotation)',
        },
        {
          name: 'unknown System',
          body: { action: 'start-all', scope: 'system:default/nowhere' },
          status: 404,
          message: 'No entity system:default/nowhere in the catalog',
        },
        {
          name: 'body over 64 KiB',
          body: {
            action: 'stop-all',
            scope: 'system:default/chain',
            reason: 'x'.repeat(70_000),
          },
          status: 413,
          message: 'The request body must be at most 65536 bytes',
        },
        {
          name: 'not JSON',
          raw: { type: 'text/plain', data: 'stop-all chain' },
          status: 415,
          message: 'The request body must be JSON',
        },
        {
          name: 'unknown fleet run',
          method: 'get',
          path: '/api/runbook/fleet/runs/nope',
          status: 404,
          message: 'No fleet run nope',
        },
        {
          name: 'cancel an unknown fleet run',
          path: '/api/runbook/fleet/runs/nope/cancel',
          status: 404,
          message: 'No fleet run nope',
        },
        {
          name: 'history of a bad scope',
          method: 'get',
          path: '/api/runbook/fleet/runs?scope=system:',
          status: 400,
          message: 'scope must be an entity ref like "system:default/media"',
        },
        {
          name: 'history limit 0',
          method: 'get',
          path: '/api/runbook/fleet/runs?limit=0',
          status: 400,
          message: 'limit must be a whole number between 1 and 100',
        },
      ];
      const answers = [];
      for (const c of cases) {
        let req = http[c.method ?? 'post'](
          c.path ?? '/api/runbook/fleet/runs',
        ).set(as(OWNER));
        if (c.raw) req = req.set('Content-Type', c.raw.type).send(c.raw.data);
        else if (c.body) req = req.send(c.body);
        const res = await req;
        answers.push({
          name: c.name,
          status: res.status,
          message: res.body?.error?.message ?? '',
          stack: JSON.stringify(res.body).includes('    at '),
        });
      }
      expect(answers).toEqual(
        cases.map(c => ({
          name: c.name,
          status: c.status,
          message: expect.stringContaining(c.message),
          stack: false,
        })),
      );
      for (const scope of ['system:default/chain', 'system:default/empty']) {
        expect(
          (await fleetRuns(scope)).filter(
            (f: any) => !TERMINAL.includes(f.status),
          ),
        ).toEqual([]);
      }
      expect(await fleetRuns('system:default/empty')).toEqual([]);
    });

    it('runs diagnostics over a System as reads: for anyone who may read, nothing skipped, each report with its run', async () => {
      const dry = await postFleet(
        { action: 'diagnostics', scope: 'system:default/chain', dryRun: true },
        STRANGER,
      );
      expect(dry.status).toBe(200);
      expect(dry.body.confirmText).toBeUndefined();
      expect(dry.body.children.map((c: any) => c.status)).toEqual([
        'not-started',
        'not-started',
        'not-started',
      ]);

      const res = await http
        .post('/api/runbook/fleet/runs')
        .set({ Authorization: mockCredentials.service.header() })
        .send({ action: 'diagnostics', scope: 'system:default/chain' });
      expect(res.status).toBe(202);
      expect(res.body).toMatchObject({
        actor: 'service:external:test-service',
        plan: [
          { entityRef: ref('c-db'), depth: 0 },
          { entityRef: ref('c-api'), depth: 1 },
          { entityRef: ref('c-web'), depth: 2 },
        ],
      });
      const fleet = await waitForFleet(res.body.id);
      expect(fleet.status).toBe('succeeded');
      for (const child of fleet.children) {
        const run = await getRun(child.runId);
        expect(run).toMatchObject({
          entityRef: child.entityRef,
          action: 'diagnostics',
          status: 'succeeded',
          result: { verdict: expect.stringMatching(/^(ok|warn|fail)$/) },
        });
        expect(run.result.checks.length).toBeGreaterThan(0);
      }
    });
  },
);
