import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  Entity,
  RELATION_DEPENDS_ON,
  RELATION_PART_OF,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { ANNOTATION_KUBERNETES_ID } from '@nexus-cos/plugin-runbook-common';
import type { FleetNode } from './planner';

/** The System or Domain of a fleet run and its services with their dependencies. */
export type FleetScope = {
  entity: Entity;
  entityRef: string;
  services: FleetNode[];
};

/** Parses a ref the way the catalog stores it, with the kind as default and `from`'s namespace. */
function refOf(ref: string, kind: string, from: Entity): string | undefined {
  try {
    return stringifyEntityRef(
      parseEntityRef(ref, {
        defaultKind: kind,
        defaultNamespace: from.metadata.namespace ?? 'default',
      }),
    );
  } catch {
    return undefined;
  }
}

/** The refs an entity's relations of `type` point at. */
const related = (entity: Entity, type: string) =>
  (entity.relations ?? [])
    .filter(r => r.type === type)
    .map(r => r.targetRef.toLocaleLowerCase('en-US'));

/** Whether `entity` belongs to `parentRef` through `spec.<field>` or a `partOf` relation. */
function belongsTo(entity: Entity, field: string, parentRef: string): boolean {
  const kind = parseEntityRef(parentRef).kind;
  const declared = entity.spec?.[field];
  return (
    (typeof declared === 'string' &&
      refOf(declared, kind, entity) === parentRef) ||
    related(entity, RELATION_PART_OF).includes(parentRef)
  );
}

/**
 * Every way a child may name its parent in `spec.<field>` (the catalog keeps the value as
 * written), plus the `partOf` relation the catalog derives, as one catalog filter.
 */
function partsFilter(kind: string, field: string, parents: string[]) {
  const spellings = parents.flatMap(parent => {
    const { kind: k, namespace, name } = parseEntityRef(parent);
    return [
      name,
      `${k}:${name}`,
      `${namespace}/${name}`,
      `${k}:${namespace}/${name}`,
    ];
  });
  return [
    { kind, [`spec.${field}`]: spellings },
    { kind, [`relations.${RELATION_PART_OF}`]: parents },
  ];
}

/**
 * Finds the scope's services in the catalog: a System's Components (by `spec.system` or
 * `partOf`), or the Components of every System of a Domain. Only Components with a
 * runbook (`backstage.io/kubernetes-id`) are services. Their dependencies are
 * `spec.dependsOn` and the `dependsOn` relations, as full refs.
 */
export async function readFleetScope(
  catalog: CatalogService,
  ref: CompoundEntityRef,
  credentials: BackstageCredentials,
): Promise<FleetScope> {
  const entity = await catalog.getEntityByRef(ref, { credentials });
  const entityRef = stringifyEntityRef(ref);
  if (!entity) throw new NotFoundError(`No entity ${entityRef} in the catalog`);
  const kind = entity.kind.toLocaleLowerCase('en-US');

  let systems = [entityRef];
  if (kind === 'domain') {
    const { items } = await catalog.getEntities(
      { filter: partsFilter('system', 'domain', [entityRef]) },
      { credentials },
    );
    systems = items
      .filter(s => belongsTo(s, 'domain', entityRef))
      .map(s => stringifyEntityRef(s));
  }
  const components = systems.length
    ? (
        await catalog.getEntities(
          { filter: partsFilter('component', 'system', systems) },
          { credentials },
        )
      ).items
    : [];
  const services = components
    .filter(c => c.metadata.annotations?.[ANNOTATION_KUBERNETES_ID])
    .filter(c => systems.some(system => belongsTo(c, 'system', system)))
    .map(c => {
      const declared = Array.isArray(c.spec?.dependsOn)
        ? (c.spec!.dependsOn as unknown[])
        : [];
      const dependsOn = new Set([
        ...declared.flatMap(d =>
          typeof d === 'string' ? refOf(d, 'component', c) ?? [] : [],
        ),
        ...related(c, RELATION_DEPENDS_ON),
      ]);
      return { entityRef: stringifyEntityRef(c), dependsOn: [...dependsOn] };
    })
    .sort((a, b) => a.entityRef.localeCompare(b.entityRef));
  if (services.length === 0) {
    throw new InputError(
      `scope: ${entityRef} has no services (Components with the ${ANNOTATION_KUBERNETES_ID} annotation)`,
    );
  }
  return { entity, entityRef, services };
}
