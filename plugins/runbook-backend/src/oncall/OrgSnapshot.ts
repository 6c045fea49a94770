import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';

/** Kinds on-call and paging read whole: rotations, contacts, escalation chains. */
const ORG_KINDS = ['group', 'user', 'system', 'domain'];

/** What on-call needs of every other entity: who owns it, which System it is part of. */
const OUTLINE_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'spec.owner',
  'spec.system',
];

const keyOf = (ref: string) => ref.toLocaleLowerCase('en-US');

/**
 * The organisation as the catalog held it at the last refresh, read with the plugin's own
 * credentials every `refreshMs` in the background: Groups, Users, Systems and Domains
 * whole, and every other entity's owner and System. On-call and paging resolve rotations,
 * contacts and escalation chains from it in memory instead of a catalog request per
 * Group and User. A ref it does not hold (added since) is read from the catalog.
 */
export class OrgSnapshot {
  #org = new Map<string, Entity>();
  #outlines = new Map<string, Entity>();
  #first?: Promise<void>;
  #running?: Promise<void>;
  #timer?: ReturnType<typeof setInterval>;

  constructor(
    private readonly o: {
      catalog: CatalogService;
      auth: AuthService;
      logger: LoggerService;
      refreshMs: number;
    },
  ) {}

  /** Starts the refreshes (idempotent); the first begins at once. */
  start(): void {
    if (this.#first) return;
    this.#first = this.refresh();
    this.#timer = setInterval(() => void this.refresh(), this.o.refreshMs);
    this.#timer.unref?.();
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  /** Reads the catalog now; concurrent callers share the read in flight. */
  refresh(): Promise<void> {
    this.#running ??= this.#refresh().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  /** A Group, User, System or Domain; undefined when the snapshot lacks it. */
  async org(ref: string): Promise<Entity | undefined> {
    await this.#ready();
    return this.#org.get(keyOf(ref));
  }

  /** Kind, name, namespace, `spec.owner` and `spec.system` of any entity. */
  async outline(ref: string): Promise<Entity | undefined> {
    await this.#ready();
    return this.#outlines.get(keyOf(ref));
  }

  async #ready() {
    this.start();
    await this.#first;
  }

  async #refresh() {
    try {
      const credentials = await this.o.auth.getOwnServiceCredentials();
      const [org, outlines] = await Promise.all([
        this.o.catalog.getEntities(
          { filter: ORG_KINDS.map(kind => ({ kind })) },
          { credentials },
        ),
        this.o.catalog.getEntities({ fields: OUTLINE_FIELDS }, { credentials }),
      ]);
      const index = (items: Entity[]) =>
        new Map(items.map(e => [keyOf(stringifyEntityRef(e)), e]));
      this.#org = index(org.items);
      this.#outlines = index(outlines.items);
    } catch (error) {
      // The previous snapshot stays; what it lacks is read from the catalog.
      this.o.logger.warn(
        `on-call: could not read the organisation from the catalog: ${
          (error as Error).message
        }`,
      );
    }
  }
}
