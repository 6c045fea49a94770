import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_CHAT,
  ANNOTATION_ESCALATION_ROLE,
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_PHONE,
  Contact,
  ESCALATION_ROLES,
  EscalationRole,
  GroupOnCall,
  OnCallShift,
  parseEscalationChain,
  upcomingOnCallShifts,
} from '@nexus-cos/plugin-runbook-common';
import type { RunbookOnCallProvider } from '@nexus-cos/plugin-runbook-node';
import type { OrgSnapshot } from './OrgSnapshot';

/** An entity's ref in lower case, as incidents and the audit trail store it. */
export const normalizedRef = (entity: Entity) =>
  stringifyEntityRef(entity).toLocaleLowerCase('en-US');

/**
 * Owners, on-call and escalation chains from the catalog. Reads with the plugin's own
 * credentials: paging must work for background tasks and for callers who may not read
 * every Group. Groups, Users, Systems and Domains come from the organisation snapshot.
 */
export class CatalogContacts {
  constructor(
    private readonly options: {
      catalog: CatalogService;
      auth: AuthService;
      logger: LoggerService;
      org: OrgSnapshot;
      provider?: RunbookOnCallProvider;
    },
  ) {}

  /** The organisation snapshot the contacts are resolved from. */
  get org(): OrgSnapshot {
    return this.options.org;
  }

  /** An entity: from the organisation snapshot when it holds it, else from the catalog. */
  async entity(ref: string): Promise<Entity | undefined> {
    const known = await this.options.org.org(ref);
    if (known) return known;
    return this.options.catalog.getEntityByRef(ref, {
      credentials: await this.options.auth.getOwnServiceCredentials(),
    });
  }

  /** Whether the catalog holds `ref`: the organisation snapshot knows it, or the catalog. */
  async exists(ref: string): Promise<boolean> {
    return (
      (await this.options.org.outline(ref)) !== undefined ||
      (await this.entity(ref)) !== undefined
    );
  }

  /** The Component whose `backstage.io/kubernetes-id` is `service`. */
  async byKubernetesId(service: string): Promise<Entity | undefined> {
    const { items } = await this.options.catalog.getEntities(
      {
        filter: {
          kind: 'component',
          [`metadata.annotations.${ANNOTATION_KUBERNETES_ID}`]: service,
        },
      },
      { credentials: await this.options.auth.getOwnServiceCredentials() },
    );
    return items[0];
  }

  /** The owning Group's ref (`spec.owner`), if the entity names one. */
  ownerOf(entity: Entity): string | undefined {
    const owner = entity.spec?.owner;
    if (typeof owner !== 'string') return undefined;
    return stringifyEntityRef(
      parseEntityRef(owner, {
        defaultKind: 'group',
        defaultNamespace: entity.metadata.namespace ?? 'default',
      }),
    );
  }

  /** Who is on call for `groupRef` at `at`; undefined without a rotation. */
  async onCall(groupRef: string, at: Date): Promise<OnCallShift | undefined> {
    const group = await this.entity(groupRef);
    return group && (await this.shifts(group, at, 1))[0];
  }

  /**
   * `count` consecutive shifts of `group` from `from`: the on-call provider's when it
   * schedules the group, else the catalog rotation's. Throws on a malformed rotation.
   */
  async shifts(
    group: Entity,
    from: Date,
    count: number,
  ): Promise<OnCallShift[]> {
    const external = await this.options.provider?.getShifts(group, from, count);
    return external ?? this.#rotationShifts(group, from, count);
  }

  /** Rotations' shifts as last computed, per Group and count, with the annotations they came from. */
  readonly #shifts = new Map<
    string,
    { annotations: string; shifts: OnCallShift[] }
  >();

  /**
   * The catalog rotation's shifts. They are a pure function of the Group's annotations
   * and stay the same from the start to the end of the current shift, so they are
   * computed (time zones and all) once per hand-over rather than on every read.
   */
  #rotationShifts(group: Entity, from: Date, count: number): OnCallShift[] {
    const key = `${normalizedRef(group)}|${count}`;
    const annotations = JSON.stringify(group.metadata.annotations ?? {});
    const known = this.#shifts.get(key);
    const at = from.getTime();
    if (
      known?.annotations === annotations &&
      known.shifts.length > 0 &&
      Date.parse(known.shifts[0].start) <= at &&
      at < Date.parse(known.shifts[0].end)
    ) {
      return known.shifts;
    }
    const shifts = upcomingOnCallShifts(group, from, count);
    this.#shifts.set(key, { annotations, shifts });
    return shifts;
  }

  /** Where the shifts come from: `catalog` or the provider's id. */
  get source(): string {
    return this.options.provider?.id ?? 'catalog';
  }

  /** Name, email, phone and chat of a User; the ref alone when it is not in the catalog. */
  async contact(userRef: string): Promise<Contact> {
    const user = await this.entity(userRef);
    const annotations = user?.metadata.annotations ?? {};
    const profile = (user?.spec?.profile ?? {}) as {
      displayName?: string;
      email?: string;
    };
    const optional = {
      email: profile.email,
      phone: annotations[ANNOTATION_PHONE],
      chat: annotations[ANNOTATION_CHAT],
    };
    return {
      userRef,
      name:
        profile.displayName ??
        user?.metadata.title ??
        user?.metadata.name ??
        userRef,
      ...Object.fromEntries(
        Object.entries(optional).filter(([, v]) => typeof v === 'string'),
      ),
    };
  }

  /** A Group's on-call now and its next `nextCount` hand-overs, with contacts. */
  async groupOnCall(
    group: Entity,
    at: Date,
    nextCount: number,
  ): Promise<GroupOnCall> {
    const profile = (group.spec?.profile ?? {}) as {
      displayName?: string;
      email?: string;
    };
    const role = group.metadata.annotations?.[ANNOTATION_ESCALATION_ROLE];
    const base = {
      groupRef: normalizedRef(group),
      name: profile.displayName ?? group.metadata.title ?? group.metadata.name,
      ...(profile.email ? { email: profile.email } : {}),
      ...(ESCALATION_ROLES.includes(role as EscalationRole)
        ? { role: role as EscalationRole }
        : {}),
    };
    let shifts: OnCallShift[];
    try {
      shifts = await this.shifts(group, at, nextCount + 1);
    } catch (error) {
      return { ...base, next: [], problem: (error as Error).message };
    }
    const assignments = await Promise.all(
      shifts.map(async shift => ({
        shift,
        contact: await this.contact(shift.userRef),
      })),
    );
    return {
      ...base,
      ...(assignments.length ? { now: assignments[0] } : {}),
      next: assignments.slice(1),
    };
  }

  /**
   * The escalation chain of the entity's Domain: the Domain itself, a System's Domain, or
   * the Domain of a Component's or Resource's System. Group refs in escalation order;
   * empty when none is declared.
   */
  async escalationChain(entity: Entity): Promise<string[]> {
    const kind = entity.kind.toLocaleLowerCase('en-US');
    const system =
      kind === 'system' || kind === 'domain'
        ? entity
        : await this.#related(entity, entity.spec?.system, 'system');
    const domain =
      kind === 'domain'
        ? entity
        : system &&
          (await this.#related(system, system.spec?.domain, 'domain'));
    return domain ? parseEscalationChain(domain) : [];
  }

  /** The entity a spec field of `from` names, resolved relative to `from`'s namespace. */
  async #related(from: Entity, ref: unknown, defaultKind: string) {
    if (typeof ref !== 'string') return undefined;
    return this.entity(
      stringifyEntityRef(
        parseEntityRef(ref, {
          defaultKind,
          defaultNamespace: from.metadata.namespace ?? 'default',
        }),
      ),
    );
  }

  /** The escalation chains of several entities merged, in order, without repeats. */
  async escalationChainOf(entities: Entity[]): Promise<string[]> {
    const chains = await Promise.all(
      entities.map(e => this.escalationChain(e)),
    );
    return [...new Set(chains.flat())];
  }

  /**
   * Who to page when an incident on these entities is declared: each owner Group and
   * whoever is on call for it now. A malformed rotation is logged and skipped, so that the
   * owners are still paged.
   */
  async firstResponders(entities: Entity[], at: Date): Promise<string[]> {
    const refs = new Set<string>();
    for (const entity of entities) {
      const owner = this.ownerOf(entity);
      if (!owner) continue;
      refs.add(owner);
      try {
        const shift = await this.onCall(owner, at);
        if (shift) refs.add(shift.userRef);
      } catch (error) {
        this.options.logger.warn(
          `No on-call for ${owner}: ${(error as Error).message}`,
        );
      }
    }
    return [...refs];
  }
}
