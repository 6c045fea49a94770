import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_KUBERNETES_ID,
  OnCallShift,
  parseEscalationChain,
  resolveOnCall,
} from '@nexus-cos/plugin-runbook-common';

/** An entity's ref in lower case, as incidents and the audit trail store it. */
export const normalizedRef = (entity: Entity) =>
  stringifyEntityRef(entity).toLocaleLowerCase('en-US');

/**
 * Owners, on-call and escalation chains from the catalog. Reads with the plugin's own
 * credentials: paging must work for background tasks and for callers who may not read
 * every Group.
 */
export class CatalogContacts {
  constructor(
    private readonly options: {
      catalog: CatalogService;
      auth: AuthService;
      logger: LoggerService;
    },
  ) {}

  async entity(ref: string): Promise<Entity | undefined> {
    return this.options.catalog.getEntityByRef(ref, {
      credentials: await this.options.auth.getOwnServiceCredentials(),
    });
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
    return group && resolveOnCall(group, at);
  }

  /**
   * The escalation chain of the Domain the entity belongs to (through its System), as
   * Group refs in escalation order; empty when none is declared.
   */
  async escalationChain(entity: Entity): Promise<string[]> {
    const systemRef = entity.spec?.system;
    if (typeof systemRef !== 'string') return [];
    const system = await this.entity(
      stringifyEntityRef(
        parseEntityRef(systemRef, {
          defaultKind: 'system',
          defaultNamespace: entity.metadata.namespace ?? 'default',
        }),
      ),
    );
    const domainRef = system?.spec?.domain;
    if (typeof domainRef !== 'string') return [];
    const domain = await this.entity(
      stringifyEntityRef(
        parseEntityRef(domainRef, {
          defaultKind: 'domain',
          defaultNamespace: system!.metadata.namespace ?? 'default',
        }),
      ),
    );
    return domain ? parseEscalationChain(domain) : [];
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
