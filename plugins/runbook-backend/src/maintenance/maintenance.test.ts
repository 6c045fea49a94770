import { TestDatabases, mockCredentials } from '@backstage/backend-test-utils';
import type {
  MaintenanceCalendar,
  MaintenanceItem,
} from '@nexus-cos/plugin-runbook-common';
import {
  AUDITOR,
  OWNER,
  STRANGER,
  as,
  startRunbookBackend,
} from '../__testUtils__/testBackend';
import { notificationsRecorder, pinnedClock } from '../__testUtils__/services';
import { countingCheck } from './__testUtils__/maintenanceBackend';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

/** Berlin is an hour ahead of UTC in December: days start at 23:00 UTC. */
const MAINTENANCE = {
  timezone: 'Europe/Berlin',
  owner: 'group:default/ops',
  checkIntervalSeconds: 1,
  tasks: [
    {
      id: 'counted',
      title: 'Counted check',
      period: 'daily',
      check: 'counting',
      due: 'PT6H',
    },
    {
      id: 'review-metrics',
      title: 'Review metrics',
      period: 'daily',
      due: 'PT10H',
      owner: 'group:default/team-a',
    },
    { id: 'update-runbooks', title: 'Update runbooks', period: 'monthly' },
    {
      id: 'patch-assessment',
      title: 'Security patch assessment',
      period: 'weekly',
    },
  ],
};

async function eventually<T>(probe: () => Promise<T | undefined>, ms = 30_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise(r => setTimeout(r, 200));
  }
}

const pause = (ms: number) => new Promise(r => setTimeout(r, ms));

describe.each(databases.eachSupportedId())(
  'routine maintenance on %p, two backend instances',
  databaseId => {
    const clock = pinnedClock('2026-12-03T07:00:00Z');
    const notifications = notificationsRecorder();
    const runs: Array<{ backend: string; now: Date; from: Date }> = [];
    let backends: Array<Awaited<ReturnType<typeof startRunbookBackend>>> = [];

    beforeAll(async () => {
      const knex = await databases.init(databaseId);
      for (const name of ['one', 'two']) {
        backends.push(
          await startRunbookBackend({
            knex,
            entities: [],
            clusterUrl: 'http://127.0.0.1:9',
            config: { maintenance: MAINTENANCE },
            features: [
              clock.factory,
              notifications.factory,
              countingCheck(name, runs),
            ],
          }),
        );
      }
    });
    afterAll(async () => {
      await Promise.all(backends.map(b => b.backend.stop()));
      backends = [];
    });

    const calendar = async (query: string, user = OWNER) => {
      const res = await backends[1].http
        .get(`/api/runbook/maintenance?${query}`)
        .set(as(user));
      expect(res.status).toBe(200);
      return res.body as MaintenanceCalendar;
    };
    const item = async (id: string, query = 'period=daily') =>
      (await calendar(query)).items.find(i => i.id === id)!;
    const complete = (id: string, body: unknown, headers = as(OWNER)) =>
      backends[0].http
        .post(
          `/api/runbook/maintenance/items/${encodeURIComponent(id)}/complete`,
        )
        .set(headers)
        .send(body as object);
    const noticesOf = (id: string) =>
      notifications.sent.filter(
        n => n.payload.scope === `runbook-maintenance:${id}`,
      );

    it('runs each check once per period across both instances, on the pinned clock', async () => {
      const counted = await eventually(async () => {
        const found = await item('counted@2026-12-03');
        return found.status === 'warn' ? found : undefined;
      });
      expect(counted).toEqual({
        id: 'counted@2026-12-03',
        taskId: 'counted',
        title: 'Counted check',
        kind: 'automated',
        status: 'warn',
        by: 'maintenance:counting',
        at: '2026-12-03T07:00:00.000Z',
        evidence: { backend: expect.stringMatching(/^(one|two)$/), run: 1 },
        summary: 'run 1',
        check: 'counting',
        owner: 'group:default/ops',
        due: '2026-12-03T05:00:00.000Z',
      });
      // Several more ticks of both schedulers: nothing runs again this period.
      await pause(3000);
      expect(runs).toHaveLength(1);
      expect(runs[0].from.toISOString()).toBe('2026-12-02T23:00:00.000Z');

      const today = await calendar('period=daily');
      expect(today.from).toBe('2026-12-02T23:00:00.000Z');
      expect(today.to).toBe('2026-12-03T23:00:00.000Z');
      expect(
        today.items.find(i => i.id === 'review-metrics@2026-12-03'),
      ).toMatchObject({
        kind: 'manual',
        status: 'pending',
        due: '2026-12-03T09:00:00.000Z',
      });

      clock.set('2026-12-04T07:00:00Z');
      await eventually(async () =>
        (await item('counted@2026-12-04')).status === 'warn' ? true : undefined,
      );
      await pause(2000);
      expect(runs).toHaveLength(2);
      expect(runs[1].from.toISOString()).toBe('2026-12-03T23:00:00.000Z');
      // Yesterday's item keeps what was recorded then.
      expect(
        (
          await item(
            'counted@2026-12-03',
            'period=daily&at=2026-12-03T12:00:00Z',
          )
        ).evidence,
      ).toMatchObject({ run: 1 });
      clock.set('2026-12-03T07:00:00Z');
    });

    it('tells the owner once when a manual item is overdue, whichever instance sees it', async () => {
      clock.set('2026-12-03T09:30:00Z');
      await eventually(async () =>
        noticesOf('review-metrics@2026-12-03').length ? true : undefined,
      );
      await pause(3000);
      expect(noticesOf('review-metrics@2026-12-03')).toEqual([
        {
          recipients: { type: 'entity', entityRef: ['group:default/team-a'] },
          payload: expect.objectContaining({
            title: 'Maintenance overdue: Review metrics',
            link: '/runbook/maintenance',
            topic: 'runbook-maintenance',
          }),
        },
      ]);
      expect((await item('review-metrics@2026-12-03')).status).toBe('overdue');
      // Every notice went out once: for each item, never twice.
      const scopes = notifications.sent.map(n => n.payload.scope);
      expect(new Set(scopes).size).toBe(scopes.length);
    });

    it('lets a person tick a manual item with a note, once, on the audit trail', async () => {
      clock.set('2026-12-03T09:45:00Z');
      const res = await complete('review-metrics@2026-12-03', {
        note: 'Grafana: p99 of payments up 10% week on week, ticket OPS-12',
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: 'review-metrics@2026-12-03',
        status: 'done',
        by: OWNER,
        at: '2026-12-03T09:45:00.000Z',
        evidence: {
          note: 'Grafana: p99 of payments up 10% week on week, ticket OPS-12',
        },
      });
      expect(await item('review-metrics@2026-12-03')).toMatchObject({
        status: 'done',
        by: OWNER,
      });
      const audit = (
        await backends[1].http
          .get(
            '/api/runbook/audit?action=maintenance.complete&order=desc&limit=1',
          )
          .set(as(AUDITOR))
      ).body.items[0];
      expect(audit).toMatchObject({
        event: 'succeeded',
        actor: OWNER,
        entityRef: 'maintenance:review-metrics',
        outcome: 'review-metrics@2026-12-03 done',
        summary: {
          item: 'review-metrics@2026-12-03',
          note: 'Grafana: p99 of payments up 10% week on week, ticket OPS-12',
        },
      });
      const again = await complete('review-metrics@2026-12-03', {
        note: 'me too',
      });
      expect(again.status).toBe(409);
      expect(again.body.error.message).toBe(
        `review-metrics@2026-12-03 was already done by ${OWNER} at 2026-12-03T09:45:00.000Z`,
      );
    });

    const denial = (actor: string, id: string, outcome: string) => [
      {
        event: 'denied',
        actor,
        action: 'maintenance.complete',
        outcome,
        summary: { item: id },
      },
    ];
    it.each([
      [
        'a stranger',
        'review-metrics@2026-12-02',
        { note: 'x' },
        as(STRANGER),
        403,
        'runbook.maintenance.complete',
        denial(
          STRANGER,
          'review-metrics@2026-12-02',
          'runbook.maintenance.complete denied',
        ),
      ],
      [
        'a service token',
        'review-metrics@2026-12-02',
        { note: 'x' },
        { Authorization: mockCredentials.service.header() },
        403,
        'service principals may only read',
        denial(
          'service:external:test-service',
          'review-metrics@2026-12-02',
          'a person must sign in; service principals may only read',
        ),
      ],
      [
        'an automated item',
        'counted@2026-12-03',
        { note: 'x' },
        as(OWNER),
        409,
        'is automated: the counting check records it',
        [],
      ],
      [
        'an item not open yet',
        'review-metrics@2026-12-04',
        { note: 'x' },
        as(OWNER),
        409,
        'is not open yet',
        [],
      ],
      [
        'an unknown task',
        'water-plants@2026-12-03',
        { note: 'x' },
        as(OWNER),
        404,
        'No maintenance task water-plants',
        [],
      ],
      [
        'an id that is not one',
        'review-metrics',
        { note: 'x' },
        as(OWNER),
        400,
        'id: must be <task>@<period>',
        [],
      ],
      [
        'a period of another kind',
        'review-metrics@2026-12',
        { note: 'x' },
        as(OWNER),
        400,
        'review-metrics is daily; 2026-12 does not name a daily period',
        [],
      ],
      [
        'a date that does not exist',
        'review-metrics@2026-02-30',
        { note: 'x' },
        as(OWNER),
        400,
        'does not name a daily period',
        [],
      ],
      [
        'an empty note',
        'review-metrics@2026-12-02',
        { note: '   ' },
        as(OWNER),
        400,
        'note must say what was done',
        [],
      ],
      [
        'a long note',
        'review-metrics@2026-12-02',
        { note: 'x'.repeat(2001) },
        as(OWNER),
        400,
        'note must be at most 2000 characters',
        [],
      ],
      [
        'no note',
        'review-metrics@2026-12-02',
        {},
        as(OWNER),
        400,
        'note must be a string',
        [],
      ],
      [
        'another field',
        'review-metrics@2026-12-02',
        { note: 'x', by: 'bob' },
        as(OWNER),
        400,
        'Unrecognized key',
        [],
      ],
    ])(
      'refuses %s, recording nothing and auditing only denials',
      async (_, id, body, headers, status, message, audited) => {
        clock.set('2026-12-03T10:00:00Z');
        const audit = (query: string) =>
          backends[1].http
            .get(`/api/runbook/audit?action=maintenance.complete&${query}`)
            .set(as(AUDITOR));
        const head =
          (await audit('order=desc&limit=1')).body.items[0]?.seq ?? 0;
        const res = await complete(id, body, headers);
        expect(res.status).toBe(status);
        expect(res.body.error.message).toContain(message);
        expect(res.body.error.stack).toBeUndefined();
        const yesterday = await item(
          'review-metrics@2026-12-02',
          'period=daily&at=2026-12-02T12:00:00Z',
        );
        expect(yesterday.status).toBe('overdue');
        expect((await audit(`cursor=${head}`)).body.items).toEqual(
          audited.map(row => expect.objectContaining(row)),
        );
      },
    );

    it('answers 415 to a body that is not JSON', async () => {
      const res = await backends[0].http
        .post(
          '/api/runbook/maintenance/items/review-metrics@2026-12-02/complete',
        )
        .set(as(OWNER))
        .set('Content-Type', 'text/plain')
        .send('done');
      expect(res.status).toBe(415);
    });

    it('lists any period at any time, and refuses other periods and times', async () => {
      const month = await calendar('period=monthly&at=2026-11-15T12:00:00Z');
      expect(month).toMatchObject({
        period: 'monthly',
        from: '2026-10-31T23:00:00.000Z',
        to: '2026-11-30T23:00:00.000Z',
      });
      // The config is the calendar: built-in checks it does not name are not there.
      expect(month.items.map((i: MaintenanceItem) => i.id)).toEqual([
        'update-runbooks@2026-11',
      ]);
      expect(month.items[0]).toMatchObject({
        status: 'overdue',
        due: '2026-11-30T23:00:00.000Z',
      });
      const week = await calendar('period=weekly&at=2026-12-03T12:00:00Z');
      expect(week.from).toBe('2026-11-29T23:00:00.000Z');
      expect(week.items.map((i: MaintenanceItem) => i.id)).toEqual([
        'patch-assessment@2026-W49',
      ]);
      for (const [query, message] of [
        ['period=hourly', 'period must be one of: daily, weekly, monthly'],
        ['', 'period must be one of: daily, weekly, monthly'],
        ['period=daily&at=yesterday', 'at must be an ISO 8601 time'],
        ['period=daily&period=weekly', 'period must be a single value'],
      ]) {
        const res = await backends[0].http
          .get(`/api/runbook/maintenance?${query}`)
          .set(as(OWNER));
        expect({
          status: res.status,
          message: res.body.error?.message,
        }).toEqual({
          status: 400,
          message: expect.stringContaining(message),
        });
      }
    });
  },
);
