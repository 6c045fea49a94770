import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  MAINTENANCE_ITEM_ID_PATTERN,
  MaintenanceCalendar,
  MaintenanceItem,
  MaintenancePeriod,
  runbookActionReadPermission,
  runbookMaintenanceCompletePermission,
} from '@nexus-cos/plugin-runbook-common';
import type { AuditTrail } from '../audit/AuditTrail';
import { actorOf, isPerson } from '../http/credentials';
import { itemIdOf, itemOf } from './items';
import { auditEntityOf } from './MaintenanceRunner';
import type { MaintenanceStore } from './MaintenanceStore';
import { windowAt, windowOfKey } from './periods';
import type { MaintenanceTask } from './tasks';

/** The calendar of routine maintenance, and ticking its manual items. */
export class MaintenanceService {
  constructor(
    private readonly o: {
      tasks: MaintenanceTask[];
      store: MaintenanceStore;
      audit: AuditTrail;
      permissions: PermissionsService;
      timezone: string;
      now: () => Date;
    },
  ) {}

  /** The items of the `period` window that contains `at` (default now). */
  async calendar(
    period: MaintenancePeriod,
    at: Date | undefined,
    credentials: BackstageCredentials,
  ): Promise<MaintenanceCalendar> {
    const [decision] = await this.o.permissions.authorize(
      [{ permission: runbookActionReadPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `You are not allowed to do this (${runbookActionReadPermission.name})`,
      );
    }
    const now = this.o.now();
    const w = windowAt(period, at ?? now, this.o.timezone);
    const tasks = this.o.tasks.filter(t => t.period === period);
    const records = await this.o.store.records(tasks.map(t => itemIdOf(t, w)));
    return {
      period,
      from: w.from.toUTC().toISO()!,
      to: w.to.toUTC().toISO()!,
      items: tasks.map(t =>
        itemOf(t, w, records.get(itemIdOf(t, w)), now.getTime()),
      ),
    };
  }

  /**
   * A person ticks a manual item with a note: needs `runbook.maintenance.complete`,
   * is audited, and happens once per occurrence. Refusals of the permission are
   * audited too.
   */
  async complete(
    id: string,
    note: string,
    credentials: BackstageCredentials,
  ): Promise<MaintenanceItem> {
    const match = MAINTENANCE_ITEM_ID_PATTERN.exec(id);
    if (!match?.groups) {
      throw new InputError(
        `id: must be <task>@<period>, e.g. review-metrics@2026-12-03, got "${id}"`,
      );
    }
    const task = this.o.tasks.find(t => t.id === match.groups!.task);
    if (!task)
      throw new NotFoundError(`No maintenance task ${match.groups.task}`);
    const w = windowOfKey(task.period, match.groups.period, this.o.timezone);
    if (!w) {
      throw new InputError(
        `id: ${task.id} is ${task.period}; ${match.groups.period} does not name a ${task.period} period`,
      );
    }
    const actor = actorOf(credentials);
    const deny = async (outcome: string, message: string) => {
      await this.o.audit.record({
        event: 'denied',
        actor,
        entityRef: auditEntityOf(task),
        action: 'maintenance.complete',
        outcome,
        summary: { item: id },
      });
      throw new NotAllowedError(message);
    };
    if (!isPerson(credentials)) {
      await deny(
        'a person must sign in; service principals may only read',
        'Only a signed-in person may tick maintenance items; service principals may only read',
      );
    }
    const [decision] = await this.o.permissions.authorize(
      [{ permission: runbookMaintenanceCompletePermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      await deny(
        `${runbookMaintenanceCompletePermission.name} denied`,
        `You may not tick maintenance items (${runbookMaintenanceCompletePermission.name})`,
      );
    }
    if (task.kind === 'automated') {
      throw new ConflictError(
        `${id} is automated: the ${task.check!.id} check records it`,
      );
    }
    const now = this.o.now();
    if (w.from.toMillis() > now.getTime()) {
      throw new ConflictError(
        `${id} is not open yet: its period starts ${w.from.toISO()}`,
      );
    }
    const done = await this.o.store.complete(
      { id, taskId: task.id, period: w.key, from: w.from.toMillis() },
      actor,
      now.getTime(),
      note,
    );
    const record = (await this.o.store.records([id])).get(id)!;
    if (!done) {
      throw new ConflictError(
        `${id} was already done by ${record.by} at ${new Date(
          record.at!,
        ).toISOString()}`,
      );
    }
    await this.o.audit.record({
      event: 'succeeded',
      actor,
      entityRef: auditEntityOf(task),
      action: 'maintenance.complete',
      outcome: `${id} done`,
      summary: { item: id, note },
    });
    return itemOf(task, w, record, now.getTime());
  }
}
