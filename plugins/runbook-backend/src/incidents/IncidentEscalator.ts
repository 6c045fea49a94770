import { Entity } from '@backstage/catalog-model';
import { respondByDeadline } from '@nexus-cos/plugin-runbook-common';
import { AuditTrail } from '../audit/AuditTrail';
import { IncidentStore } from './IncidentStore';
import { CatalogContacts } from '../oncall/CatalogContacts';
import { auditIncident } from './auditIncident';
import { IncidentsConfig } from './config';
import { IncidentNotifier } from './IncidentNotifier';

/** The author of what the backend does by itself, on the timeline and the audit trail. */
export const SYSTEM_ACTOR = 'plugin:runbook';

/** Escalates incidents that nobody acknowledged in time (run by a scheduled task). */
export class IncidentEscalator {
  constructor(
    private readonly o: {
      store: IncidentStore;
      contacts: CatalogContacts;
      notifier: IncidentNotifier;
      audit: AuditTrail;
      config: IncidentsConfig;
      now?: () => number;
    },
  ) {}

  /**
   * Pages the next group of the escalation chain for every unacknowledged incident past
   * its respond-by, and sets a new respond-by. Compare-and-set on the escalation level
   * makes each step happen once, however many replicas run this at the same time.
   * Returns how many incidents were escalated.
   */
  async escalateOverdue(): Promise<number> {
    const now = this.o.now ? this.o.now() : Date.now();
    let escalated = 0;
    for (const overdue of await this.o.store.overdue(now)) {
      const entities = (
        await Promise.all(
          overdue.entityRefs.map(r => this.o.contacts.entity(r)),
        )
      ).filter((e): e is Entity => e !== undefined);
      const chain = await this.o.contacts.escalationChainOf(entities);
      const level = overdue.escalationLevel;
      if (level >= chain.length) continue;
      const next = chain[level];
      const won = await this.o.store.transaction(async store => {
        const applied = await store.update(
          overdue.id,
          { status: 'detected', escalationLevel: level },
          {
            escalationLevel: level + 1,
            respondBy: respondByDeadline(
              new Date(now),
              overdue.severity,
              this.o.config.targets,
            ).getTime(),
          },
        );
        if (applied) {
          await store.addTimeline(overdue.id, {
            at: now,
            author: SYSTEM_ACTOR,
            kind: 'escalated',
            message: `Not acknowledged by ${
              overdue.respondBy
            }: escalated to ${next} (level ${level + 1} of ${chain.length})`,
          });
        }
        return applied;
      });
      if (!won) continue;
      escalated++;
      const incident = (await this.o.store.get(overdue.id))!;
      await auditIncident(
        this.o.audit,
        incident,
        SYSTEM_ACTOR,
        'incident.escalate',
        {
          level: level + 1,
          paged: [next],
        },
      );
      await this.o.notifier.publish({
        type: 'escalated',
        incident,
        paged: [next],
      });
    }
    return escalated;
  }
}
