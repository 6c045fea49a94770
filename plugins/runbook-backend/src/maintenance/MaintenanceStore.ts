import { isDatabaseConflictError } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

/** What is recorded of one occurrence: a check's result or a person's tick. */
export type MaintenanceRecord = {
  id: string;
  taskId: string;
  status: 'running' | 'done' | 'warn' | 'failed';
  by?: string;
  at?: number;
  claimedAt: number;
  evidence?: Record<string, unknown>;
  summary?: string;
};

type Row = {
  id: string;
  task_id: string;
  period: string;
  period_from: string | number;
  status: string;
  done_by: string | null;
  done_at: string | number | null;
  claimed_at: string | number;
  evidence: string | null;
  summary: string | null;
};

const ITEMS = 'runbook_maintenance_items';
const NOTICES = 'runbook_maintenance_notices';

const toRecord = (row: Row): MaintenanceRecord => ({
  id: row.id,
  taskId: row.task_id,
  status: row.status as MaintenanceRecord['status'],
  ...(row.done_by ? { by: row.done_by } : {}),
  ...(row.done_at !== null ? { at: Number(row.done_at) } : {}),
  claimedAt: Number(row.claimed_at),
  ...(row.evidence ? { evidence: JSON.parse(row.evidence) } : {}),
  ...(row.summary ? { summary: row.summary } : {}),
});

/** Occurrences and overdue notices. An occurrence's id is its primary key, so each is recorded once. */
export class MaintenanceStore {
  constructor(private readonly db: Knex) {}

  async records(ids: string[]): Promise<Map<string, MaintenanceRecord>> {
    if (!ids.length) return new Map();
    const rows = await this.db<Row>(ITEMS).whereIn('id', ids);
    return new Map(rows.map(r => [r.id, toRecord(r)]));
  }

  /**
   * Claims an occurrence for a check run: true for exactly one caller across replicas,
   * or for one caller again when a claim is older than `staleBefore` (its replica died).
   */
  async claim(
    item: { id: string; taskId: string; period: string; from: number },
    now: number,
    staleBefore: number,
  ): Promise<boolean> {
    try {
      await this.db<Row>(ITEMS).insert({
        id: item.id,
        task_id: item.taskId,
        period: item.period,
        period_from: item.from,
        status: 'running',
        claimed_at: now,
      });
      return true;
    } catch (error) {
      if (!isDatabaseConflictError(error)) throw error;
    }
    const taken = await this.db<Row>(ITEMS)
      .where({ id: item.id, status: 'running' })
      .andWhere('claimed_at', '<', staleBefore)
      .update({ claimed_at: now });
    return taken === 1;
  }

  /** Records a claimed check's result. */
  async finish(
    id: string,
    result: Required<Pick<MaintenanceRecord, 'status' | 'by' | 'at'>> &
      Pick<MaintenanceRecord, 'evidence' | 'summary'>,
  ): Promise<void> {
    await this.db<Row>(ITEMS)
      .where({ id, status: 'running' })
      .update({
        status: result.status,
        done_by: result.by,
        done_at: result.at,
        evidence: result.evidence ? JSON.stringify(result.evidence) : null,
        summary: result.summary ?? null,
      });
  }

  /** A person's tick: false when the occurrence is already recorded. */
  async complete(
    item: { id: string; taskId: string; period: string; from: number },
    by: string,
    at: number,
    note: string,
  ): Promise<boolean> {
    try {
      await this.db<Row>(ITEMS).insert({
        id: item.id,
        task_id: item.taskId,
        period: item.period,
        period_from: item.from,
        status: 'done',
        done_by: by,
        done_at: at,
        claimed_at: at,
        evidence: JSON.stringify({ note }),
        summary: note,
      });
      return true;
    } catch (error) {
      if (isDatabaseConflictError(error)) return false;
      throw error;
    }
  }

  /** True for exactly one caller per occurrence: the one who sends its notice. */
  async claimNotice(
    itemId: string,
    recipients: string[],
    at: number,
  ): Promise<boolean> {
    try {
      await this.db(NOTICES).insert({
        item_id: itemId,
        sent_at: at,
        recipients: JSON.stringify(recipients),
      });
      return true;
    } catch (error) {
      if (isDatabaseConflictError(error)) return false;
      throw error;
    }
  }
}
