import { randomUUID } from 'node:crypto';
import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  Incident,
  IncidentStats,
  IncidentStatus,
  IncidentTimelineEntry,
  RequestIssue,
  declareIncidentSchema,
  incidentTransitionRefusal,
  parseRequestBody,
  postMortemSchema,
  respondByDeadline,
  runbookIncidentCreatePermission,
  runbookIncidentReadPermission,
  runbookIncidentUpdatePermission,
  timelineEntrySchema,
  updateIncidentSchema,
} from '@nexus-cos/plugin-runbook-common';
import { z } from 'zod';
import { AuditTrail } from '../audit/AuditTrail';
import { actorOf } from '../engine/RunService';
import {
  IncidentChanges,
  IncidentFilter,
  IncidentStore,
  NewIncident,
} from '../database/IncidentStore';
import { CatalogContacts, normalizedRef } from '../oncall/CatalogContacts';
import { IncidentsConfig } from './config';
import { auditIncident } from './auditIncident';
import { IncidentNotifier } from './IncidentNotifier';
import { incidentStats } from './stats';

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

/** Which phase column records the moment an incident entered a phase. */
const PHASE_TIME: Partial<Record<IncidentStatus, keyof IncidentChanges>> = {
  assessing: 'acknowledgedAt',
  responding: 'respondingAt',
  resolved: 'resolvedAt',
  'post-mortem': 'postMortemAt',
};

function eventType(status?: IncidentStatus) {
  if (status === 'assessing') return 'acknowledged';
  if (status === 'resolved') return 'resolved';
  return 'updated';
}

/**
 * Incidents: declare, acknowledge, move through the runbook's procedure, annotate, write
 * the post-mortem, read, count. Every change is authorized on the affected entities,
 * written to the audit trail and published to notifications and incident providers.
 */
export class IncidentService {
  constructor(
    private readonly o: {
      store: IncidentStore;
      audit: AuditTrail;
      permissions: PermissionsService;
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
    await this.authorizeCreate(entityRefs, credentials, 'incident.declare');
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
    const changes: IncidentChanges = {};
    const entries: Array<Omit<IncidentTimelineEntry, 'seq' | 'at'>> = [];
    if (request.status && request.status !== before.status) {
      const refusal = incidentTransitionRefusal(before.status, request.status);
      if (refusal) throw new ConflictError(`status: ${refusal}`);
      changes.status = request.status;
      const column = PHASE_TIME[request.status];
      if (column) Object.assign(changes, { [column]: now });
      if (request.status === 'assessing') {
        changes.acknowledgedBy = actor;
        entries.push({
          author: actor,
          kind: 'acknowledged',
          message: `Acknowledged by ${actor}`,
        });
      } else {
        entries.push({
          author: actor,
          kind: 'status',
          message: `${before.status} → ${request.status}`,
        });
      }
      // A recurrence reopens the incident: it is no longer resolved.
      if (before.status === 'resolved' && request.status === 'responding') {
        changes.resolvedAt = null;
      }
    } else if (request.status) {
      throw new ConflictError(
        `status: the incident is already ${before.status}`,
      );
    }
    if (request.severity && request.severity !== before.severity) {
      changes.severity = request.severity;
      if (before.status === 'detected') {
        changes.respondBy = respondByDeadline(
          new Date(before.detectedAt),
          request.severity,
          this.o.config.targets,
        ).getTime();
      }
      entries.push({
        author: actor,
        kind: 'severity',
        message: `Severity ${before.severity} → ${request.severity}`,
      });
    }
    if (request.commander && request.commander !== before.commander) {
      changes.commander = request.commander;
      entries.push({
        author: actor,
        kind: 'commander',
        message: `Commander: ${request.commander}`,
      });
    }
    if (request.note)
      entries.push({ author: actor, kind: 'note', message: request.note });
    if (!Object.keys(changes).length) {
      throw new ConflictError('The incident already has these values');
    }
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

  async get(id: string, credentials: BackstageCredentials): Promise<Incident> {
    await this.#authorizeRead(credentials);
    return this.#incident(id);
  }

  async list(
    filter: IncidentFilter,
    limit: number,
    credentials: BackstageCredentials,
  ): Promise<Incident[]> {
    await this.#authorizeRead(credentials);
    return this.o.store.list(filter, limit);
  }

  async stats(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<IncidentStats> {
    await this.#authorizeRead(credentials);
    await this.#entities([entityRef]);
    return incidentStats(entityRef, await this.o.store.timesFor(entityRef));
  }

  /** `runbook.incident.create` on every entity; denials are audited. */
  async authorizeCreate(
    entityRefs: string[],
    credentials: BackstageCredentials,
    action: string,
  ) {
    await this.#authorize(
      runbookIncidentCreatePermission,
      entityRefs,
      'all',
      credentials,
      action,
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

  async #incident(id: string): Promise<Incident> {
    if (!/^[0-9a-f-]{36}$/.test(id)) {
      throw new NotFoundError(`No incident ${id.slice(0, 64)}`);
    }
    const incident = await this.o.store.get(id);
    if (!incident) throw new NotFoundError(`No incident ${id}`);
    return incident;
  }

  async #authorizeRead(credentials: BackstageCredentials) {
    const [decision] = await this.o.permissions.authorize(
      [{ permission: runbookIncidentReadPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `You may not read incidents (${runbookIncidentReadPermission.name})`,
      );
    }
  }

  /** Loads the incident and checks `runbook.incident.update` on one of its entities. */
  async #authorizedUpdate(
    id: string,
    credentials: BackstageCredentials,
    action: string,
  ): Promise<Incident> {
    const incident = await this.#incident(id);
    await this.#authorize(
      runbookIncidentUpdatePermission,
      incident.entityRefs,
      'any',
      credentials,
      action,
      incident.id,
    );
    return incident;
  }

  /**
   * Declaring needs the permission on every affected entity; changing needs it on one of
   * them (whoever owns a part of the incident may work on it). Denials are audited.
   */
  async #authorize(
    permission: ResourcePermission,
    entityRefs: string[],
    need: 'all' | 'any',
    credentials: BackstageCredentials,
    action: string,
    incidentId?: string,
  ) {
    const decisions = await this.o.permissions.authorize(
      entityRefs.map(resourceRef => ({ permission, resourceRef })),
      { credentials },
    );
    const allowed = decisions.map(d => d.result === AuthorizeResult.ALLOW);
    if (need === 'all' ? allowed.every(Boolean) : allowed.some(Boolean)) return;
    const denied = entityRefs.filter((_, i) => !allowed[i]);
    await this.o.audit.record({
      event: 'denied',
      actor: actorOf(credentials),
      entityRef: denied[0],
      action,
      outcome: `${permission.name} denied`,
      params: incidentId ? { incidentId } : {},
    });
    throw new NotAllowedError(
      `You may not ${action.replace(
        'incident.',
        '',
      )} incidents on ${denied.join(', ')} (${permission.name})`,
    );
  }

  /** Applies a change only if no one changed the phase meanwhile; else 409. */
  async #apply(
    before: Incident,
    changes: IncidentChanges,
    entries: Array<Omit<IncidentTimelineEntry, 'seq' | 'at'>>,
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
