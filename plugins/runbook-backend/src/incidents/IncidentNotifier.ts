import { LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { NotificationService } from '@backstage/plugin-notifications-node';
import type {
  Incident,
  IncidentSeverity,
} from '@nexus-cos/plugin-runbook-common';
import type {
  RunbookIncidentEvent,
  RunbookIncidentProvider,
} from '@nexus-cos/plugin-runbook-node';

const NOTIFICATION_SEVERITY = {
  P0: 'critical',
  P1: 'high',
  P2: 'normal',
  P3: 'low',
} as const satisfies Record<IncidentSeverity, string>;

function entityLink(incident: Incident): string {
  const { kind, namespace, name } = parseEntityRef(incident.entityRefs[0]);
  return `/catalog/${namespace}/${kind.toLocaleLowerCase('en-US')}/${name}`;
}

/**
 * Tells people and external systems about incident changes: Backstage notifications to the
 * paged Groups and Users, then every incident provider. Failures are logged; the change
 * itself is already stored.
 */
export class IncidentNotifier {
  constructor(
    private readonly options: {
      notifications: NotificationService;
      providers: RunbookIncidentProvider[];
      logger: LoggerService;
    },
  ) {}

  async publish(event: RunbookIncidentEvent): Promise<void> {
    const { incident, paged } = event;
    if (paged?.length) {
      const verb = event.type === 'escalated' ? 'escalated' : 'declared';
      try {
        await this.options.notifications.send({
          recipients: { type: 'entity', entityRef: paged },
          payload: {
            title: `[${incident.severity}] Incident ${verb}: ${incident.title}`,
            description: `Affects ${incident.entityRefs.join(
              ', ',
            )}. Respond by ${incident.respondBy}.`,
            link: entityLink(incident),
            severity: NOTIFICATION_SEVERITY[incident.severity],
            topic: 'runbook-incident',
            scope: `runbook-incident:${incident.id}:${event.type}:${incident.escalationLevel}`,
          },
        });
      } catch (error) {
        this.options.logger.error(
          `Could not notify ${paged.join(', ')} about incident ${
            incident.id
          }: ${error}`,
        );
      }
    }
    for (const provider of this.options.providers) {
      try {
        await provider.onIncidentEvent(event);
      } catch (error) {
        this.options.logger.error(
          `Incident provider ${provider.id} failed on ${event.type} of ${incident.id}: ${error}`,
        );
      }
    }
  }
}
