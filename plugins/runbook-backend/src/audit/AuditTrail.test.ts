import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { AuditStore } from './AuditStore';
import { applyDatabaseMigrations } from '../migrations';
import { AuditTrail } from './AuditTrail';
import { hashRow } from './chain';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

async function setup(
  id: typeof databases.eachSupportedId extends () => Array<[infer I]>
    ? I
    : never,
) {
  const knex = await databases.init(id);
  await applyDatabaseMigrations(knex);
  const events: Array<{ eventId: string; meta?: any; outcome?: string }> = [];
  const auditor = {
    createEvent: jest.fn(async (options: any) => {
      const event = {
        eventId: options.eventId,
        meta: options.meta,
        outcome: undefined as string | undefined,
      };
      events.push(event);
      return {
        success: async () => {
          event.outcome = 'success';
        },
        fail: async () => {
          event.outcome = 'fail';
        },
      };
    }),
  };
  const logger = mockServices.logger.mock();
  const trail = new AuditTrail({
    store: new AuditStore(knex),
    auditor,
    logger,
    anchorEvery: 5,
  });
  return { knex, trail, events, logger };
}

async function record(trail: AuditTrail, n: number) {
  for (let i = 0; i < n; i++) {
    await trail.record({
      event: i % 2 ? 'succeeded' : 'requested',
      actor: `user:default/u${i % 3}`,
      entityRef: `component:default/svc-${i % 2}`,
      action: 'scale',
      runId: `run-${i}`,
      outcome: i % 2 ? 'succeeded' : 'accepted',
      params: { replicas: i, token: 'Bearer abc.def' },
      summary: { before: { replicas: i - 1 } },
      durationMs: i * 10,
    });
  }
}

/** Recomputes every hash from `fromSeq` on, as someone rewriting the table would. */
async function rehash(knex: Knex, fromSeq: number) {
  const rows = await knex('runbook_audit').orderBy('seq');
  let prev = fromSeq > 1 ? rows[fromSeq - 2].hash : '0'.repeat(64);
  for (const row of rows.slice(fromSeq - 1)) {
    const { hash: _old, ...rest } = {
      ...row,
      seq: Number(row.seq),
      prev_hash: prev,
    };
    const hash = hashRow(rest);
    await knex('runbook_audit')
      .where({ seq: row.seq })
      .update({ prev_hash: prev, hash });
    prev = hash;
  }
}

describe.each(databases.eachSupportedId())('AuditTrail on %p', id => {
  it('chains events, redacts secrets, anchors every N and verifies clean', async () => {
    const { trail, events, logger } = await setup(id);
    await record(trail, 12);
    const page = await trail.list({}, 0, 100);
    expect(page.items.map(i => i.seq)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
    ]);
    expect(page.items[1].prevHash).toBe(page.items[0].hash);
    expect(page.items[0].params).toEqual({ replicas: 0, token: '[redacted]' });
    expect(JSON.stringify(page.items)).not.toContain('abc.def');
    expect(events.filter(e => e.eventId === 'run-requested')).toHaveLength(6);
    const anchors = events
      .filter(e => e.eventId === 'audit-anchor')
      .map(e => e.meta.seq);
    expect(anchors).toEqual([5, 10]);
    expect(logger.info).toHaveBeenCalledWith(
      expect.stringContaining(`seq=10 hash=${page.items[9].hash}`),
      expect.anything(),
    );
    expect(await trail.verify()).toEqual({
      ok: true,
      checked: 12,
      anchorsChecked: 2,
    });
  });

  it('pages with a cursor and filters', async () => {
    const { trail } = await setup(id);
    await record(trail, 7);
    const first = await trail.list({ entity: 'component:default/svc-0' }, 0, 2);
    expect(first.items.map(i => i.seq)).toEqual([1, 3]);
    const second = await trail.list(
      { entity: 'component:default/svc-0' },
      Number(first.nextCursor),
      2,
    );
    expect(second.items.map(i => i.seq)).toEqual([5, 7]);
    expect(second.nextCursor).toBeUndefined();
    const byActor = await trail.list(
      { actor: 'user:default/u1', outcome: 'succeeded' },
      0,
      10,
    );
    expect(byActor.items.map(i => i.seq)).toEqual([2]);
    const oneRun = await trail.list({ run: 'run-4' }, 0, 10);
    expect(oneRun.items.map(i => [i.seq, i.runId])).toEqual([[5, 'run-4']]);
    const future = await trail.list(
      { from: '2999-01-01T00:00:00.000Z' },
      0,
      10,
    );
    expect(future.items).toEqual([]);
  });

  it('pages newest first with order desc', async () => {
    const { trail } = await setup(id);
    await record(trail, 7);
    const filter = { entity: 'component:default/svc-0' };
    const first = await trail.list(filter, 0, 3, 'desc');
    expect(first.items.map(i => i.seq)).toEqual([7, 5, 3]);
    const second = await trail.list(
      filter,
      Number(first.nextCursor),
      3,
      'desc',
    );
    expect(second.items.map(i => i.seq)).toEqual([1]);
    expect(second.nextCursor).toBeUndefined();
  });

  it('exports JSON lines and CSV that spreadsheets cannot run', async () => {
    const { trail } = await setup(id);
    await trail.record({
      event: 'denied',
      actor: 'user:default/eve',
      entityRef: 'component:default/svc',
      action: 'scale',
      outcome: '=HYPERLINK("http://x")',
    });
    let jsonl = '';
    for await (const chunk of trail.export({}, 'jsonl')) jsonl += chunk;
    expect(JSON.parse(jsonl.trim()).outcome).toBe('=HYPERLINK("http://x")');
    let csv = '';
    for await (const chunk of trail.export({}, 'csv')) csv += chunk;
    const [header, line] = csv.trim().split('\n');
    expect(header).toBe(
      'seq,at,event,actor,entity_ref,action,run_id,outcome,params,summary,duration_ms,prev_hash,hash',
    );
    expect(line).toContain(`"'=HYPERLINK(""http://x"")"`);
  });

  it('stores long outcomes such as error messages', async () => {
    const { trail } = await setup(id);
    const outcome = `set-image failed: ${'x'.repeat(2000)}`;
    await trail.record({
      event: 'failed',
      actor: 'a',
      entityRef: 'e',
      action: 'set-image',
      outcome,
    });
    expect((await trail.list({ outcome }, 0, 10)).items).toHaveLength(1);
  });

  it('detects an edited row', async () => {
    const { knex, trail } = await setup(id);
    await record(trail, 8);
    await knex('runbook_audit')
      .where({ seq: 3 })
      .update({ params: '{"replicas":99}' });
    expect(await trail.verify()).toMatchObject({
      ok: false,
      firstBrokenSeq: 3,
      checked: 2,
    });
  });

  it('detects a deleted row', async () => {
    const { knex, trail } = await setup(id);
    await record(trail, 8);
    await knex('runbook_audit').where({ seq: 4 }).delete();
    expect(await trail.verify()).toMatchObject({
      ok: false,
      firstBrokenSeq: 4,
    });
  });

  it('detects reordered rows', async () => {
    const { knex, trail } = await setup(id);
    await record(trail, 8);
    const [a, b] = await knex('runbook_audit')
      .whereIn('seq', [3, 4])
      .orderBy('seq');
    const { seq: _a, ...restA } = a;
    const { seq: _b, ...restB } = b;
    await knex('runbook_audit').where({ seq: 3 }).update(restB);
    await knex('runbook_audit').where({ seq: 4 }).update(restA);
    expect(await trail.verify()).toMatchObject({
      ok: false,
      firstBrokenSeq: 3,
    });
  });

  it('detects a consistently rewritten chain through the anchors', async () => {
    const { knex, trail } = await setup(id);
    await record(trail, 8);
    await knex('runbook_audit').where({ seq: 2 }).update({ outcome: 'failed' });
    await rehash(knex, 2);
    expect(await trail.verify()).toMatchObject({
      ok: false,
      firstBrokenSeq: 5,
      problem: 'hash differs from the anchored head',
    });
  });

  it('detects a rewrite of chain and stored anchors through anchors from the log', async () => {
    const { knex, trail, logger } = await setup(id);
    await record(trail, 6);
    const logged = (logger.info as jest.Mock).mock.calls
      .map(([, meta]) => meta)
      .filter(meta => meta?.auditAnchorSeq)
      .map(meta => ({ seq: meta.auditAnchorSeq, hash: meta.auditAnchorHash }));
    expect(logged).toHaveLength(1);
    await knex('runbook_audit')
      .where({ seq: 1 })
      .update({ actor: 'user:default/someone-else' });
    await rehash(knex, 1);
    await knex('runbook_audit_anchors').delete();
    expect(await trail.verify()).toMatchObject({ ok: true, checked: 6 });
    expect(await trail.verify(logged)).toMatchObject({
      ok: false,
      firstBrokenSeq: 5,
    });
  });

  it('detects rows cut off after an anchor', async () => {
    const { knex, trail } = await setup(id);
    await record(trail, 6);
    await knex('runbook_audit').where('seq', '>=', 5).delete();
    expect(await trail.verify()).toMatchObject({
      ok: false,
      firstBrokenSeq: 5,
    });
  });

  it('keeps one chain under concurrent appends', async () => {
    const { trail } = await setup(id);
    const trails = [trail, trail];
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        trails[i % 2].record({
          event: 'step',
          actor: 'a',
          entityRef: 'e',
          action: 'x',
          outcome: `${i}`,
        }),
      ),
    );
    expect(await trail.verify()).toMatchObject({ ok: true, checked: 20 });
  });

  it('checks a sound chain in PostgreSQL itself, whatever the rows hold, and walks a broken one', async () => {
    const { knex, trail } = await setup(id);
    const awkward = [
      'quote " backslash \\ slash /',
      'controls \u0000\u0001\b\f\n\r\t\u001f\u007f',
      'line separators \u2028\u2029',
      'ünïcödé 日本語 🚀 e\u0301',
      '',
    ];
    for (const [i, text] of awkward.entries()) {
      await trail.record({
        event: 'step',
        actor: `user:default/${text.length ? 'u' : ''}${i}`,
        entityRef: 'component:default/a',
        action: 'scale',
        runId: i % 2 ? `run-${i}` : undefined,
        outcome: text.replace('\u0000', ''),
        params: { text: text.replace('\u0000', ''), n: i, nested: [text] },
        summary: i % 2 ? {} : { why: text },
        durationMs: i % 2 ? i : undefined,
      });
    }
    const store = new AuditStore(knex);
    // PostgreSQL recomputes every hash as Node wrote it; SQLite leaves it to the walk.
    expect(await store.verifyInDatabase(await store.anchors())).toEqual(
      id === 'POSTGRES_15' ? { checked: 5 } : undefined,
    );
    expect(await trail.verify()).toMatchObject({ ok: true, checked: 5 });

    await knex('runbook_audit').where({ seq: 4 }).update({ outcome: 'edited' });
    expect(await store.verifyInDatabase([])).toBeUndefined();
    expect(await trail.verify()).toMatchObject({
      ok: false,
      checked: 3,
      firstBrokenSeq: 4,
      problem: 'hash does not match the row',
    });
  });

  it('writes concurrent appends in groups, and a bad row fails alone', async () => {
    const { knex, trail } = await setup(id);
    const results = await Promise.allSettled(
      Array.from({ length: 60 }, (_, i) =>
        trail.record({
          // Row 30 breaks a NOT NULL column: the database refuses it, and only it.
          event: (i === 30 ? null : 'step') as 'step',
          actor: `user:default/u${i}`,
          entityRef: 'component:default/a',
          action: 'scale',
          outcome: `row ${i}`,
        }),
      ),
    );
    expect(results.map(r => r.status)).toEqual(
      Array.from({ length: 60 }, (_, i) =>
        i === 30 ? 'rejected' : 'fulfilled',
      ),
    );
    const seqs = results.flatMap(r =>
      r.status === 'fulfilled' ? [r.value.seq] : [],
    );
    expect([...seqs].sort((a, b) => a - b)).toEqual(
      Array.from({ length: 59 }, (_, i) => i + 1),
    );
    const rows = await knex('runbook_audit').orderBy('seq');
    expect(rows.map(r => r.outcome).sort()).toEqual(
      Array.from({ length: 60 }, (_, i) => `row ${i}`)
        .filter(o => o !== 'row 30')
        .sort(),
    );
    expect(await trail.verify()).toMatchObject({ ok: true, checked: 59 });
  });

  it('appends after rows another backend wrote since its own last append', async () => {
    const { knex, trail } = await setup(id);
    const other = new AuditStore(knex);
    const entry = (outcome: string) => ({
      event: 'step' as const,
      actor: 'user:default/u',
      entityRef: 'component:default/a',
      action: 'scale',
      outcome,
    });
    expect((await trail.record(entry('first'))).seq).toBe(1);
    // Another replica appends twice; this backend's idea of the head is now behind.
    const row = (await knex('runbook_audit').first()) as any;
    for (const outcome of ['theirs 1', 'theirs 2']) {
      await other.append({
        ...row,
        seq: undefined,
        prev_hash: undefined,
        hash: undefined,
        outcome,
      });
    }
    expect((await trail.record(entry('mine again'))).seq).toBe(4);
    expect(await trail.verify()).toMatchObject({ ok: true, checked: 4 });
  });

  it('keeps one chain when two backends append at once, inside transactions too', async () => {
    const { knex, trail } = await setup(id);
    // A second backend on the same database: its own store, its own queue.
    const other = new AuditTrail({
      store: new AuditStore(knex),
      auditor: {
        createEvent: async () => ({
          success: async () => {},
          fail: async () => {},
        }),
      } as any,
      logger: mockServices.logger.mock(),
      anchorEvery: 1000,
    });
    const entry = (i: number) => ({
      event: 'step' as const,
      actor: `user:default/u${i}`,
      entityRef: 'component:default/a',
      action: 'scale',
      outcome: `${i} ✓ "quoted" \\ ünïcödé`,
      params: { i, note: 'line\nbreak' },
    });
    await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        const t = i % 2 ? trail : other;
        if (i % 3) return t.record(entry(i));
        // As a run's terminal row: committed with the change it records.
        return knex.transaction(async trx => {
          const { publish } = await t.recordWithin(trx, entry(i));
          await trx('runbook_locks').insert({
            entity_ref: `component:default/lock-${i}`,
            run_id: `r${i}`,
            owner: 'o',
            expires_at: 1,
          });
          return publish;
        });
      }),
    );
    expect(await other.verify()).toMatchObject({ ok: true, checked: 40 });
    const rows = await knex('runbook_audit').orderBy('seq');
    expect(rows.map(r => r.actor).sort()).toEqual(
      Array.from({ length: 40 }, (_, i) => `user:default/u${i}`).sort(),
    );
    expect(await knex('runbook_locks').count({ n: '*' })).toEqual([
      { n: id === 'POSTGRES_15' ? '14' : 14 },
    ]);
  });
});

describe.each(databases.eachSupportedId())('scheduled anchoring on %p', id => {
  it('anchors a new head once and leaves an anchored head alone', async () => {
    const { trail, events } = await setup(id);
    await trail.anchorHead();
    expect(events.filter(e => e.eventId === 'audit-anchor')).toEqual([]);
    await record(trail, 3);
    await trail.anchorHead();
    await trail.anchorHead();
    expect(
      events.filter(e => e.eventId === 'audit-anchor').map(e => e.meta.seq),
    ).toEqual([3]);
    expect(await trail.verify()).toMatchObject({
      ok: true,
      checked: 3,
      anchorsChecked: 1,
    });
  });
});
