import { LoggerService } from '@backstage/backend-plugin-api';
import { NotificationService } from '@backstage/plugin-notifications-node';
import type { MaintenanceCheckResult } from '@nexus-cos/plugin-runbook-node';
import type { AuditTrail } from '../audit/AuditTrail';
import { redactText } from '../audit/redact';
import { itemIdOf, statusOf } from './items';
import type { MaintenanceStore } from './MaintenanceStore';
import { PeriodWindow, previousWindow, windowAt } from './periods';
import { MaintenanceTask, dueOf, runAtOf } from './tasks';

const STATUS = { ok: 'done', warn: 'warn', fail: 'failed' } as const;

/** The audit trail's entity for a task: its System, else the task itself. */
export const auditEntityOf = (task: MaintenanceTask) =>
  task.system ?? `maintenance:${task.id}`;

/**
 * What the backend does by itself, on each tick of a global schedule: runs each
 * automated task once in its period (the occurrence is claimed in the database, so
 * also once across replicas), and tells a task's owner once when an occurrence is
 * overdue.
 */
export class MaintenanceRunner {
  constructor(
    private readonly o: {
      tasks: MaintenanceTask[];
      store: MaintenanceStore;
      audit: AuditTrail;
      notifications: NotificationService;
      logger: LoggerService;
      timezone: string;
      checkTimeoutMs: number;
    },
  ) {}

  async tick(now: Date): Promise<void> {
    for (const task of this.o.tasks) {
      if (task.check) await this.#runDue(task, now);
    }
    for (const task of this.o.tasks) await this.#noticeOverdue(task, now);
  }

  async #runDue(task: MaintenanceTask, now: Date) {
    const w = windowAt(task.period, now, this.o.timezone);
    if (now.getTime() < runAtOf(task, w).toMillis()) return;
    const id = itemIdOf(task, w);
    const claimed = await this.o.store.claim(
      { id, taskId: task.id, period: w.key, from: w.from.toMillis() },
      now.getTime(),
      now.getTime() - this.o.checkTimeoutMs,
    );
    if (!claimed) return;
    const check = task.check!;
    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(new Error('timed out')),
      this.o.checkTimeoutMs,
    );
    let result: MaintenanceCheckResult;
    try {
      result = await check.run({
        now,
        period: {
          name: task.period,
          from: w.from.toJSDate(),
          to: w.to.toJSDate(),
        },
        signal: controller.signal,
        logger: this.o.logger.child({ maintenanceCheck: check.id }),
      });
    } catch (error) {
      const message = redactText(
        error instanceof Error ? error.message : String(error),
      );
      result = {
        status: 'fail',
        evidence: { error: message },
        summary: `The check could not run: ${message}`,
      };
    } finally {
      clearTimeout(timer);
    }
    const by = `maintenance:${check.id}`;
    await this.o.store.finish(id, {
      status: STATUS[result.status],
      by,
      at: now.getTime(),
      evidence: result.evidence,
      summary: result.summary,
    });
    await this.o.audit.record({
      event: result.status === 'fail' ? 'failed' : 'succeeded',
      actor: by,
      entityRef: auditEntityOf(task),
      action: 'maintenance.check',
      outcome: `${id}: ${result.status}${
        result.summary ? ` (${result.summary})` : ''
      }`,
      summary: { item: id, status: result.status },
    });
    this.o.logger.info(`Maintenance ${id}: ${result.status}`);
  }

  /** This window's and the last one's occurrence: the last one may have ended undone. */
  async #noticeOverdue(task: MaintenanceTask, now: Date) {
    const current = windowAt(task.period, now, this.o.timezone);
    const windows = [previousWindow(current, this.o.timezone), current];
    const records = await this.o.store.records(
      windows.map(w => itemIdOf(task, w)),
    );
    for (const w of windows) {
      const id = itemIdOf(task, w);
      if (statusOf(task, w, records.get(id), now.getTime()) !== 'overdue') {
        continue;
      }
      await this.#notify(task, w, id, now);
    }
  }

  async #notify(task: MaintenanceTask, w: PeriodWindow, id: string, now: Date) {
    if (!task.owner) return;
    if (!(await this.o.store.claimNotice(id, [task.owner], now.getTime()))) {
      return;
    }
    try {
      await this.o.notifications.send({
        recipients: { type: 'entity', entityRef: [task.owner] },
        payload: {
          title: `Maintenance overdue: ${task.title}`,
          description: `${task.title} (${task.period}, ${
            w.key
          }) was due by ${dueOf(task, w).toISO()} and nothing is recorded.`,
          link: '/runbook/maintenance',
          severity: 'high',
          topic: 'runbook-maintenance',
          scope: `runbook-maintenance:${id}`,
        },
      });
    } catch (error) {
      this.o.logger.error(
        `Could not tell ${task.owner} that ${id} is overdue: ${error}`,
      );
    }
  }
}
