import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  AlertOutcome,
  AlertmanagerPayload,
  INCIDENT_SEVERITIES,
  IncidentSeverity,
  alertmanagerPayloadSchema,
  parseRequestBody,
} from '@nexus-cos/plugin-runbook-common';
import { IncidentStore } from './IncidentStore';
import { CatalogContacts, normalizedRef } from '../oncall/CatalogContacts';
import { IncidentService } from './IncidentService';

type Alert = AlertmanagerPayload['alerts'][number];

/** The author of alert-driven changes on the timeline and the audit trail. */
const ALERTMANAGER = 'alertmanager';

/** Alertmanager's usual severity labels, mapped onto the runbook's levels. */
const SEVERITY_LABELS: Record<string, IncidentSeverity> = {
  critical: 'P1',
  error: 'P2',
  warning: 'P2',
  info: 'P3',
};

/**
 * `POST /alerts/alertmanager`: a firing alert opens an incident for the service named by
 * its `service` label, once per fingerprint while that incident is open; a resolved alert
 * adds a timeline entry to it.
 */
export class AlertmanagerReceiver {
  constructor(
    private readonly o: {
      incidents: IncidentService;
      store: IncidentStore;
      contacts: CatalogContacts;
      defaultSeverity: IncidentSeverity;
    },
  ) {}

  async receive(
    body: unknown,
    credentials: BackstageCredentials,
  ): Promise<AlertOutcome[]> {
    const parsed = parseRequestBody(alertmanagerPayloadSchema, body);
    if (!parsed.success) {
      throw new InputError(
        parsed.issues.map(i => `${i.field}: ${i.message}`).join('; '),
      );
    }
    const outcomes: AlertOutcome[] = [];
    for (const alert of parsed.data.alerts) {
      outcomes.push(await this.#one(alert, credentials));
    }
    return outcomes;
  }

  #severity(alert: Alert): IncidentSeverity {
    const label = alert.labels.severity;
    if (!label) return this.o.defaultSeverity;
    const upper = label.toUpperCase() as IncidentSeverity;
    if (INCIDENT_SEVERITIES.includes(upper)) return upper;
    return SEVERITY_LABELS[label.toLowerCase()] ?? this.o.defaultSeverity;
  }

  async #one(
    alert: Alert,
    credentials: BackstageCredentials,
  ): Promise<AlertOutcome> {
    const { fingerprint } = alert;
    const name = alert.labels.alertname ?? fingerprint;
    const existing = await this.o.store.findOpenByFingerprint(fingerprint);
    if (existing) {
      const incident = await this.o.store.get(existing);
      await this.o.incidents.authorizeAlert(
        incident!.entityRefs,
        credentials,
        'incident.alert',
      );
      const lastAlert = incident!.timeline
        .filter(t => t.kind === 'alert')
        .at(-1);
      if (alert.status === 'resolved') {
        await this.o.incidents.systemNote(
          existing,
          ALERTMANAGER,
          'alert',
          `Alert ${name} resolved${alert.endsAt ? ` at ${alert.endsAt}` : ''}`,
        );
        return { fingerprint, outcome: 'resolved', incidentId: existing };
      }
      // Alertmanager repeats firing alerts; only a re-fire after a resolve is news.
      if (lastAlert?.message.startsWith(`Alert ${name} resolved`)) {
        await this.o.incidents.systemNote(
          existing,
          ALERTMANAGER,
          'alert',
          `Alert ${name} firing again since ${alert.startsAt}`,
        );
      }
      return { fingerprint, outcome: 'updated', incidentId: existing };
    }
    if (alert.status === 'resolved') {
      return {
        fingerprint,
        outcome: 'ignored',
        reason: 'resolved alert without an open incident',
      };
    }
    const service = alert.labels.service;
    const entity = service && (await this.o.contacts.byKubernetesId(service));
    if (!entity) {
      return {
        fingerprint,
        outcome: 'ignored',
        reason: service
          ? `no catalog Component has backstage.io/kubernetes-id ${service}`
          : 'the alert has no service label',
      };
    }
    const ref = normalizedRef(entity);
    await this.o.incidents.authorizeAlert([ref], credentials, 'incident.alert');
    const incident = await this.o.incidents.open({
      title: (alert.annotations?.summary ?? `${name} on ${service}`).slice(
        0,
        200,
      ),
      description: alert.annotations?.description?.slice(0, 4000),
      severity: this.#severity(alert),
      reporter: ALERTMANAGER,
      source: ALERTMANAGER,
      fingerprint,
      entities: [entity],
    });
    await this.o.incidents.systemNote(
      incident.id,
      ALERTMANAGER,
      'alert',
      `Alert ${name} firing since ${alert.startsAt}${
        alert.generatorURL ? ` (${alert.generatorURL})` : ''
      }`,
    );
    return { fingerprint, outcome: 'opened', incidentId: incident.id };
  }
}
