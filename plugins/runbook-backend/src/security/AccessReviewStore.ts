import type { AccessReview } from '@nexus-cos/plugin-runbook-common';
import { Knex } from 'knex';

const TABLE = 'runbook_access_reviews';

/** The "reviewed" marks of namespaces, one row per review-access run. */
export class AccessReviewStore {
  constructor(private readonly db: Knex) {}

  async add(review: {
    cluster: string;
    namespace: string;
    entityRef: string;
    by: string;
    at: number;
    note: string;
    runId?: string;
  }): Promise<void> {
    await this.db(TABLE).insert({
      cluster: review.cluster,
      namespace: review.namespace,
      entity_ref: review.entityRef,
      reviewed_by: review.by,
      reviewed_at: review.at,
      note: review.note,
      run_id: review.runId ?? null,
    });
  }

  /** The newest review of each namespace of a cluster. */
  async latest(cluster: string): Promise<Map<string, AccessReview>> {
    const rows = await this.db(TABLE)
      .where({ cluster })
      .orderBy([
        { column: 'reviewed_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ]);
    const out = new Map<string, AccessReview>();
    for (const row of rows) {
      if (out.has(row.namespace)) continue;
      out.set(row.namespace, {
        at: new Date(Number(row.reviewed_at)).toISOString(),
        by: row.reviewed_by,
        note: row.note,
        ...(row.run_id ? { runId: row.run_id } : {}),
      });
    }
    return out;
  }
}
