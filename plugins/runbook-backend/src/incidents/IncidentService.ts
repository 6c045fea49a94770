import { randomUUID } from 'node:crypto';
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  Incident,
  IncidentStatus,
  IncidentTimelineEntry,
  RequestIssue,
  declareIncidentSchema,
  parseRequestBody,
  postMortemSchema,
  respondByDeadline,
  runbookIncidentCreatePermission,
  runbookIncidentUpdatePermission,
  timelineEntrySchema,
  updateIncidentSchema,
} from '@nexus-cos/plugin-runbook-common';
import { z } from 'zod';
import { AuditTrail } from '../audit/AuditTrail';
import { actorOf } from '../http/credentials';
import { CatalogContacts, normalizedRef } from '../oncall/CatalogContacts';
import { auditIncident } from './auditIncident';
import { IncidentsConfig } from './config';
import { IncidentNotifier } from './IncidentNotifier';
import { IncidentPermissions } from './IncidentPermissions';
import { loadIncident } from './IncidentQueries';
import { IncidentChanges, IncidentStore, NewIncident } from './IncidentStore';
import { NewTimelineEntry, planIncidentUpdate } from './incidentUpdate';

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = parseRequestBody(schema, body);
  if (!parsed.success) {
    throw new InputError(
      parsed.issues
        .map((i: RequestIssue) => `${i.field}: ${i.message}`)
        .join('; '),
    );
  }
  return parsed.data;
}

function eventType(status?: IncidentStatus) {
  if (status === 'assessing') return 'acknowledged';
  if (status === 'resolved') return 'resolved';
  return 'updated';
}

/**
 * Working on incidents: declare, acknowledge, move through the runbook's procedure,
 * annotate, write the post-mortem. Every change is authorized on the affected entities,
 * written to the audit trail and published to notifications and incident providers.
 */
export class IncidentService {
  constructor(
    private readonly o: {
      store: IncidentStore;
      audit: AuditTrail;
      permissions: IncidentPermissions;
      contacts: CatalogContacts;
      notifier: IncidentNotifier;
      config: IncidentsConfig;
      now?: () => number;
    },
  ) {}

  #now() {
    return this.o.now ? this.o.now() : Date.now();
  }

  async declare(
    body: unknown,
    credentials: BackstageCredentials,
  ): Promise<Incident> {
    const request = parse(declareIncidentSchema, body);
    const entityRefs = [
      ...new Set(request.entityRefs.map(r => r.toLocaleLowerCase('en-US'))),
    ];
    const entities = await this.#entities(entityRefs);
    await this.o.permissions.requireOn(
      runbookIncidentCreatePermission,
      entityRefs,
      'all',
      credentials,
      'incident.declare',
    );
    return this.open({
      title: request.title,
      description: request.description,
      severity: request.severity,
      commander: request.commander,
      reporter: actorOf(credentials),
      source: 'manual',
      entities,
    });
  }

  /**
   * Stores a new incident, pages owners and on-call (and the whole escalation chain for
   * P0) and audits it. Callers have validated and authorized.
   */
  async open(
    input: Omit<
      NewIncident,
      'id' | 'detectedAt' | 'respondBy' | 'escalationLevel' | 'entityRefs'
    > & {
      entities: Entity[];
    },
  ): Promise<Incident> {
    const now = this.#now();
    const { entities, ...fields } = input;
    const entityRefs = entities.map(normalizedRef);
    let paged = await this.o.contacts.firstResponders(entities, new Date(now));
    let escalationLevel = 0;
    if (input.severity === 'P0') {
      const chain = await this.o.contacts.escalationChainOf(entities);
      paged = [...new Set([...paged, ...chain])];
      escalationLevel = chain.length;
    }
    const id = randomUUID();
    await this.o.store.transaction(async store => {
      await store.insert({
        ...fields,
        id,
        entityRefs,
        detectedAt: now,
        respondBy: respondByDeadline(
          new Date(now),
          input.severity,
          this.o.config.targets,
        ).getTime(),
        escalationLevel,
      });
      await store.addTimeline(id, {
        at: now,
        author: input.reporter,
        kind: 'declared',
        message: `Declared ${input.severity}: ${input.title}${
          paged.length ? `; paged ${paged.join(', ')}` : ''
        }`,
      });
    });
    const incident = (await this.o.store.get(id))!;
    await auditIncident(
      this.o.audit,
      incident,
      input.reporter,
      'incident.declare',
      {
        severity: incident.severity,
        source: incident.source,
        paged,
      },
    );
    await this.o.notifier.publish({ type: 'declared', incident, paged });
    return incident;
  }

  async acknowledge(
    id: string,
    credentials: BackstageCredentials,
  ): Promise<Incident> {
    return this.update(id, { status: 'assessing' }, credentials);
  }

  /** `PATCH /incidents/:id`: phase, severity, commander. */
  async update(
    id: string,
    body: unknown,
    credentials: BackstageCredentials,
  ): Promise<Incident> {
    const request = parse(updateIncidentSchema, body);
    const before = await this.#authorizedUpdate(
      id,
      credentials,
      'incident.update',
    );
    const actor = actorOf(credentials);
    const now = this.#now();
    const { changes, entries } = planIncidentUpdate(
      before,
      request,
      actor,
      now,
      this.o.config.targets,
    );
    await this.#apply(before, changes, entries, now);
    const incident = (await this.o.store.get(id))!;
    await auditIncident(
      this.o.audit,
      incident,
      actor,
      request.status === 'assessing'
        ? 'incident.acknowledge'
        : 'incident.update',
      {
        from: { status: before.status, severity: before.severity },
        changes: request,
      },
    );
    await this.o.notifier.publish({
      type: eventType(request.status),
      incident,
    });
    return incident;
  }

  async addTimelineEntry(
    id: string,
    body: unknown,
    credentials: BackstageCredentials,
  ): Promise<Incident> {
    const { message } = parse(timelineEntrySchema, body);
    const before = await this.#authorizedUpdate(
      id,
      credentials,
      'incident.timeline',
    );
    const actor = actorOf(credentials);
    await this.o.store.addTimeline(id, {
      at: this.#now(),
      author: actor,
      kind: 'note',
      message,
    });
    const incident = (await this.o.store.get(id))!;
    await auditIncident(this.o.audit, incident, actor, 'incident.timeline', {
      status: before.status,
    });
    return incident;
  }

  /** Writing the post-mortem of a resolved incident moves it to `post-mortem`. */
  async writePostMortem(
    id: string,
    body: unknown,
    credentials: BackstageCredentials,
  ): Promise<Incident> {
    const postMortem = parse(postMortemSchema, body);
    const before = await this.#authorizedUpdate(
      id,
      credentials,
      'incident.postmortem',
    );
    if (before.status !== 'resolved' && before.status !== 'post-mortem') {
      throw new ConflictError(
        `status: a post-mortem can be written once the incident is resolved; it is ${before.status}`,
      );
    }
    const actor = actorOf(credentials);
    const now = this.#now();
    const changes: IncidentChanges = { postMortem };
    if (before.status === 'resolved') {
      changes.status = 'post-mortem';
      changes.postMortemAt = now;
    }
    await this.#apply(
      before,
      changes,
      [
        {
          author: actor,
          kind: 'post-mortem',
          message: `Post-mortem written by ${actor}`,
        },
      ],
      now,
    );
    const incident = (await this.o.store.get(id))!;
    await auditIncident(this.o.audit, incident, actor, 'incident.postmortem', {
      actionItems: postMortem.actionItems.length,
    });
    return incident;
  }

  /**
   * `runbook.incident.create` on every entity, for the Alertmanager webhook, whose
   * caller is a service; denials are audited.
   */
  async authorizeAlert(
    entityRefs: string[],
    credentials: BackstageCredentials,
    action: string,
  ) {
    await this.o.permissions.requireOn(
      runbookIncidentCreatePermission,
      entityRefs,
      'all',
      credentials,
      action,
      { people: 'or-alerts' },
    );
  }

  /** A timeline entry written by the system (an alert, say), audited as `author`. */
  async systemNote(
    id: string,
    author: string,
    kind: IncidentTimelineEntry['kind'],
    message: string,
  ): Promise<Incident> {
    await this.o.store.addTimeline(id, {
      at: this.#now(),
      author,
      kind,
      message,
    });
    const incident = (await this.o.store.get(id))!;
    await auditIncident(this.o.audit, incident, author, `incident.${kind}`, {
      message,
    });
    return incident;
  }

  /** Looks up the affected entities; unknown ones are a 404 naming them. */
  async #entities(refs: string[]): Promise<Entity[]> {
    const entities = await Promise.all(
      refs.map(r => this.o.contacts.entity(r)),
    );
    const missing = refs.filter((_, i) => !entities[i]);
    if (missing.length) {
      throw new NotFoundError(`No entity ${missing.join(', ')} in the catalog`);
    }
    return entities as Entity[];
  }

  /** Loads the incident and checks `runbook.incident.update` on one of its entities. */
  async #authorizedUpdate(
    id: string,
    credentials: BackstageCredentials,
    action: string,
  ): Promise<Incident> {
    const incident = await loadIncident(this.o.store, id);
    await this.o.permissions.requireOn(
      runbookIncidentUpdatePermission,
      incident.entityRefs,
      'any',
      credentials,
      action,
      { incidentId: incident.id },
    );
    return incident;
  }

  /** Applies a change only if no one changed the phase meanwhile; else 409. */
  async #apply(
    before: Incident,
    changes: IncidentChanges,
    entries: NewTimelineEntry[],
    now: number,
  ) {
    await this.o.store.transaction(async store => {
      const applied = await store.update(
        before.id,
        { status: before.status },
        changes,
      );
      if (!applied) {
        throw new ConflictError(
          `Incident ${before.id} changed meanwhile; reload it and try again`,
        );
      }
      for (const entry of entries)
        await store.addTimeline(before.id, { ...entry, at: now });
    });
  }
}
