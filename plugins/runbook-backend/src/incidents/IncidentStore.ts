import type {
  Incident,
  IncidentSeverity,
  IncidentStatus,
  IncidentTimelineEntry,
  PostMortem,
} from '@nexus-cos/plugin-runbook-common';
import { Knex } from 'knex';

const INCIDENTS = 'runbook_incidents';
const ENTITIES = 'runbook_incident_entities';
const TIMELINE = 'runbook_incident_timeline';

type IncidentRow = {
  id: string;
  title: string;
  description: string | null;
  severity: IncidentSeverity;
  status: IncidentStatus;
  commander: string | null;
  reporter: string;
  source: string;
  fingerprint: string | null;
  detected_at: number | string;
  acknowledged_at: number | string | null;
  acknowledged_by: string | null;
  responding_at: number | string | null;
  resolved_at: number | string | null;
  postmortem_at: number | string | null;
  respond_by: number | string;
  escalation_level: number;
  postmortem: string | null;
};

/** A new incident; times are epoch milliseconds. */
export type NewIncident = {
  id: string;
  title: string;
  description?: string;
  severity: IncidentSeverity;
  commander?: string;
  reporter: string;
  source: string;
  fingerprint?: string;
  entityRefs: string[];
  detectedAt: number;
  respondBy: number;
  escalationLevel: number;
};

/** Columns a change may set; undefined leaves a column as it is, null clears it. */
export type IncidentChanges = Partial<{
  severity: IncidentSeverity;
  status: IncidentStatus;
  commander: string;
  acknowledgedAt: number;
  acknowledgedBy: string;
  respondingAt: number;
  resolvedAt: number | null;
  postMortemAt: number;
  respondBy: number;
  escalationLevel: number;
  fingerprint: string | null;
  postMortem: PostMortem;
}>;

/** Filters of `GET /incidents`. */
export type IncidentFilter = {
  /** Incidents affecting any of these refs. */
  entityRefs?: string[];
  statuses?: IncidentStatus[];
  severity?: IncidentSeverity;
};

/** Incidents of one severity and phase: how many, and their times to acknowledge and resolve. */
export type IncidentTally = {
  severity: IncidentSeverity;
  status: IncidentStatus;
  count: number;
  /** How many were acknowledged, and the sum of their detected → acknowledged times. */
  acknowledged: { count: number; sumMs: number };
  /** How many were resolved, and the sum of their detected → resolved times. */
  resolved: { count: number; sumMs: number };
};

const iso = (v: number | string | null) =>
  v === null ? undefined : new Date(Number(v)).toISOString();

function toIncident(
  row: IncidentRow,
  entityRefs: string[],
  timeline: IncidentTimelineEntry[],
): Incident {
  const optional = {
    description: row.description ?? undefined,
    commander: row.commander ?? undefined,
    fingerprint: row.fingerprint ?? undefined,
    acknowledgedAt: iso(row.acknowledged_at),
    acknowledgedBy: row.acknowledged_by ?? undefined,
    respondingAt: iso(row.responding_at),
    resolvedAt: iso(row.resolved_at),
    postMortemAt: iso(row.postmortem_at),
    postMortem: row.postmortem ? JSON.parse(row.postmortem) : undefined,
  };
  return {
    id: row.id,
    title: row.title,
    severity: row.severity,
    status: row.status,
    entityRefs,
    reporter: row.reporter,
    source: row.source,
    detectedAt: iso(row.detected_at)!,
    respondBy: iso(row.respond_by)!,
    escalationLevel: Number(row.escalation_level),
    timeline,
    ...Object.fromEntries(
      Object.entries(optional).filter(([, v]) => v !== undefined),
    ),
  };
}

function toColumns(changes: IncidentChanges): Partial<IncidentRow> {
  const columns: Partial<Record<keyof IncidentRow, unknown>> = {
    severity: changes.severity,
    status: changes.status,
    commander: changes.commander,
    acknowledged_at: changes.acknowledgedAt,
    acknowledged_by: changes.acknowledgedBy,
    responding_at: changes.respondingAt,
    resolved_at: changes.resolvedAt,
    postmortem_at: changes.postMortemAt,
    respond_by: changes.respondBy,
    escalation_level: changes.escalationLevel,
    fingerprint: changes.fingerprint,
    postmortem: changes.postMortem && JSON.stringify(changes.postMortem),
  };
  return Object.fromEntries(
    Object.entries(columns).filter(([, v]) => v !== undefined),
  ) as Partial<IncidentRow>;
}

/** Most history-index entries one list reads (entities × limit) before it joins instead. */
const HISTORY_SCAN = 5000;

/**
 * Columns of an incident copied onto each of its affected-entity rows, for the entity's
 * history and stats (migration 20261204_scale_incident_entities); `update` keeps them in step.
 */
const COPIED = [
  'detected_at',
  'severity',
  'status',
  'acknowledged_at',
  'resolved_at',
];

/** Incidents, their affected entities and their timelines. SQL only. */
export class IncidentStore {
  constructor(private readonly db: Knex | Knex.Transaction) {}

  /** Runs `fn` with a store whose statements share one transaction. */
  transaction<T>(fn: (store: IncidentStore) => Promise<T>): Promise<T> {
    return (this.db as Knex).transaction(trx => fn(new IncidentStore(trx)));
  }

  async insert(incident: NewIncident): Promise<void> {
    await this.db<IncidentRow>(INCIDENTS).insert({
      id: incident.id,
      title: incident.title,
      description: incident.description ?? null,
      severity: incident.severity,
      status: 'detected',
      commander: incident.commander ?? null,
      reporter: incident.reporter,
      source: incident.source,
      fingerprint: incident.fingerprint ?? null,
      detected_at: incident.detectedAt,
      respond_by: incident.respondBy,
      escalation_level: incident.escalationLevel,
    });
    await this.db(ENTITIES).insert(
      incident.entityRefs.map(entityRef => ({
        incident_id: incident.id,
        entity_ref: entityRef,
        detected_at: incident.detectedAt,
        severity: incident.severity,
        status: 'detected',
      })),
    );
  }

  async get(id: string): Promise<Incident | undefined> {
    const row = await this.db<IncidentRow>(INCIDENTS).where({ id }).first();
    if (!row) return undefined;
    const [withEntities] = await this.#withEntities([row]);
    const timeline = await this.db(TIMELINE)
      .where({ incident_id: id })
      .orderBy('seq');
    return toIncident(
      row,
      withEntities.entityRefs,
      timeline.map(t => ({
        seq: Number(t.seq),
        at: iso(t.at)!,
        author: t.author,
        kind: t.kind,
        message: t.message,
      })),
    );
  }

  /** Newest first, without timelines. */
  async list(filter: IncidentFilter, limit: number): Promise<Incident[]> {
    const refs = filter.entityRefs;
    if (
      refs &&
      !filter.statuses &&
      !filter.severity &&
      refs.length * limit <= HISTORY_SCAN
    ) {
      return this.#history(refs, limit);
    }
    const query = this.db<IncidentRow>(INCIDENTS)
      .select(`${INCIDENTS}.*`)
      .orderBy('detected_at', 'desc')
      .orderBy('id')
      .limit(limit);
    if (filter.entityRefs) {
      query.whereIn(
        'id',
        this.db(ENTITIES)
          .select('incident_id')
          .whereIn('entity_ref', filter.entityRefs),
      );
    }
    if (filter.statuses) query.whereIn('status', filter.statuses);
    if (filter.severity) query.where({ severity: filter.severity });
    const rows = await query;
    return (await this.#withEntities(rows)).map(({ row, entityRefs }) =>
      toIncident(row, entityRefs, []),
    );
  }

  /**
   * Applies `changes` only while the incident is still as `expected` says (compare and
   * set), so that two replicas or two users never both apply a change. Returns whether
   * it was applied.
   */
  async update(
    id: string,
    expected: { status?: IncidentStatus; escalationLevel?: number },
    changes: IncidentChanges,
  ): Promise<boolean> {
    const where: Partial<IncidentRow> = { id };
    if (expected.status) where.status = expected.status;
    if (expected.escalationLevel !== undefined)
      where.escalation_level = expected.escalationLevel;
    const columns = toColumns(changes);
    const copied = Object.fromEntries(
      Object.entries(columns).filter(([c]) => COPIED.includes(c)),
    );
    // The entity rows' copies change in the same transaction as the incident.
    return (this.db as Knex).transaction(async trx => {
      const count = await trx<IncidentRow>(INCIDENTS)
        .where(where)
        .update(columns);
      if (count === 1 && Object.keys(copied).length) {
        await trx(ENTITIES).where({ incident_id: id }).update(copied);
      }
      return count === 1;
    });
  }

  async addTimeline(
    incidentId: string,
    entry: Omit<IncidentTimelineEntry, 'seq' | 'at'> & { at: number },
  ): Promise<void> {
    await this.db(TIMELINE).insert({ incident_id: incidentId, ...entry });
  }

  /** The open incident that an alert with this fingerprint opened, if any. */
  async findOpenByFingerprint(
    fingerprint: string,
  ): Promise<string | undefined> {
    const row = await this.db<IncidentRow>(INCIDENTS)
      .where({ fingerprint })
      .whereIn('status', ['detected', 'assessing', 'responding'])
      .first('id');
    return row?.id;
  }

  /** Unacknowledged incidents whose respond-by has passed. */
  async overdue(now: number): Promise<Incident[]> {
    const rows = await this.db<IncidentRow>(INCIDENTS)
      .where({ status: 'detected' })
      .andWhere('respond_by', '<=', now)
      .orderBy('respond_by');
    return (await this.#withEntities(rows)).map(({ row, entityRefs }) =>
      toIncident(row, entityRefs, []),
    );
  }

  /**
   * The newest `limit` incidents of some entities: their ids from the history index, the
   * incidents by primary key. An incident that affects several of them appears once per
   * entity in the index, so `limit` per entity is read to be sure of `limit` incidents.
   */
  async #history(refs: string[], limit: number): Promise<Incident[]> {
    const entries: Array<{ incident_id: string }> = await this.db(ENTITIES)
      .select('incident_id')
      .whereIn('entity_ref', refs)
      .orderBy([
        { column: 'detected_at', order: 'desc' },
        { column: 'incident_id', order: 'asc' },
      ])
      .limit(refs.length * limit);
    const ids = [...new Set(entries.map(e => e.incident_id))].slice(0, limit);
    const rows = ids.length
      ? await this.db<IncidentRow>(INCIDENTS)
          .whereIn('id', ids)
          .orderBy('detected_at', 'desc')
          .orderBy('id')
      : [];
    return (await this.#withEntities(rows)).map(({ row, entityRefs }) =>
      toIncident(row, entityRefs, []),
    );
  }

  /**
   * The incidents that affect `entityRef`, counted by severity and phase with the sums of
   * their times to acknowledge and to resolve: aggregated in the database from the
   * entity's own rows (their copies of the incident's), not a join over every incident.
   */
  async tallyFor(entityRef: string): Promise<IncidentTally[]> {
    const rows: Array<Record<string, string | number | null>> = await this.db(
      ENTITIES,
    )
      .where({ entity_ref: entityRef })
      .groupBy('severity', 'status')
      .select(
        'severity',
        'status',
        this.db.raw('count(*) as n'),
        this.db.raw('count(acknowledged_at) as acknowledged'),
        this.db.raw('sum(acknowledged_at - detected_at) as acknowledge_ms'),
        this.db.raw('count(resolved_at) as resolved'),
        this.db.raw('sum(resolved_at - detected_at) as resolve_ms'),
      );
    return rows.map(r => ({
      severity: r.severity as IncidentSeverity,
      status: r.status as IncidentStatus,
      count: Number(r.n),
      acknowledged: {
        count: Number(r.acknowledged),
        sumMs: Number(r.acknowledge_ms ?? 0),
      },
      resolved: { count: Number(r.resolved), sumMs: Number(r.resolve_ms ?? 0) },
    }));
  }

  async #withEntities(rows: IncidentRow[]) {
    const entities: Array<{ incident_id: string; entity_ref: string }> =
      rows.length
        ? await this.db(ENTITIES)
            .whereIn(
              'incident_id',
              rows.map(r => r.id),
            )
            .orderBy('entity_ref')
        : [];
    return rows.map(row => ({
      row,
      entityRefs: entities
        .filter(e => e.incident_id === row.id)
        .map(e => e.entity_ref),
    }));
  }
}
