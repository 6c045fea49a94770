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

/** What MTTA/MTTR and the counts need of one incident. */
export type IncidentTimes = {
  severity: IncidentSeverity;
  status: IncidentStatus;
  detectedAt: number;
  acknowledgedAt?: number;
  resolvedAt?: number;
};

const ms = (v: number | string | null) => (v === null ? undefined : Number(v));
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
    const count = await this.db<IncidentRow>(INCIDENTS)
      .where(where)
      .update(toColumns(changes));
    return count === 1;
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

  /** Severity, phase and phase times of every incident that affects `entityRef`. */
  async timesFor(entityRef: string): Promise<IncidentTimes[]> {
    const rows: IncidentRow[] = await this.db<IncidentRow>(INCIDENTS)
      .whereIn(
        'id',
        this.db(ENTITIES)
          .select('incident_id')
          .where({ entity_ref: entityRef }),
      )
      .select(
        'severity',
        'status',
        'detected_at',
        'acknowledged_at',
        'resolved_at',
      );
    return rows.map(r => ({
      severity: r.severity,
      status: r.status,
      detectedAt: Number(r.detected_at),
      acknowledgedAt: ms(r.acknowledged_at),
      resolvedAt: ms(r.resolved_at),
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
