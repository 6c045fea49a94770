import {
  DefaultNamespaceEntityPolicy,
  Entity,
  EntityPolicies,
  FieldFormatEntityPolicy,
  NoForeignRootFieldsEntityPolicy,
  SchemaValidEntityPolicy,
  componentEntityV1alpha1Validator,
  domainEntityV1alpha1Validator,
  groupEntityV1alpha1Validator,
  locationEntityV1alpha1Validator,
  parseEntityRef,
  resourceEntityV1alpha1Validator,
  stringifyEntityRef,
  systemEntityV1alpha1Validator,
  userEntityV1alpha1Validator,
} from '@backstage/catalog-model';
import {
  ANNOTATION_CHAT,
  ANNOTATION_DR_TARGET,
  ANNOTATION_ESCALATION_ROLE,
  ANNOTATION_IMAGE_REPOSITORY,
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_KUBERNETES_NAMESPACE,
  ANNOTATION_PHONE,
  ANNOTATION_PROMETHEUS_JOB,
  ANNOTATION_REPLICAS,
  ANNOTATION_RUNBOOK_ACTIONS,
  RUNBOOK_ACTIONS,
  ANNOTATION_STAGING_NAMESPACE,
  ANNOTATION_TIER,
  ESCALATION_ROLES,
  parseEscalationChain,
  parseOnCallRotation,
  resolveOnCall,
} from '@nexus-cos/plugin-runbook-common';
import path from 'node:path';
import {
  loadNexusCatalog,
  nexusCatalogFiles,
} from './__testUtils__/loadNexusCatalog';

const { documents, rootLocation } = loadNexusCatalog();
const entities = documents.map(d => d.entity);
const byRef = new Map(entities.map(e => [stringifyEntityRef(e), e]));
const ofKind = (kind: string) => entities.filter(e => e.kind === kind);
const services = ofKind('Component').filter(e => e.spec?.type === 'service');
const annotation = (e: Entity, key: string) => e.metadata.annotations?.[key];
const spec = (e: Entity) => (e.spec ?? {}) as Record<string, any>;

/** A ref found in `entity`, made full with the defaults Backstage applies to that field. */
function fullRef(entity: Entity, value: string, defaultKind: string): string {
  return stringifyEntityRef(
    parseEntityRef(value, {
      defaultKind,
      defaultNamespace: entity.metadata.namespace ?? 'default',
    }),
  );
}

/** Names of the Groups each User declares membership of, by group ref. */
const membersOf = new Map<string, string[]>();
for (const user of ofKind('User')) {
  for (const group of (spec(user).memberOf ?? []) as string[]) {
    const groupRef = fullRef(user, group, 'group');
    membersOf.set(groupRef, [
      ...(membersOf.get(groupRef) ?? []),
      stringifyEntityRef(user),
    ]);
  }
}

const HOUR = 3_600_000;
/**
 * Every 11 hours through 2026 (so every hour of every weekday, both DST starts and ends),
 * hourly around the DST ends, and the override edges: fixed instants, not the wall
 * clock's, so the result does not depend on when the test runs.
 */
function sampleInstants(group: Entity): Date[] {
  const instants: number[] = [];
  for (
    let t = Date.parse('2026-01-01T00:00:00Z');
    t < Date.parse('2027-01-01T00:00:00Z');
    t += 11 * HOUR
  ) {
    instants.push(t);
  }
  for (const day of ['2026-10-24', '2026-10-31']) {
    for (let h = 0; h < 72; h++)
      instants.push(Date.parse(`${day}T00:00:00Z`) + h * HOUR);
  }
  for (const o of parseOnCallRotation(group)?.overrides ?? []) {
    for (const edge of [Date.parse(o.start), Date.parse(o.end)])
      instants.push(edge - 1, edge);
  }
  return instants.map(t => new Date(t));
}

/** Why a User cannot be reached, or undefined when it has email and phone. */
function unreachable(userRef: string): string | undefined {
  const user = byRef.get(userRef);
  if (user?.kind !== 'User') return `${userRef} is not a User of the catalog`;
  if (!/^[^@\s]+@nexus-cos\.example$/.test(spec(user).profile?.email ?? ''))
    return `${userRef} has no email`;
  if (!/^\+[1-9]\d{6,14}$/.test(annotation(user, ANNOTATION_PHONE) ?? ''))
    return `${userRef} has no E.164 phone`;
  return undefined;
}

/** Problems of a group's on-call over the sample instants: nobody, or somebody unreachable. */
function onCallProblems(groupRef: string): string[] {
  const group = byRef.get(groupRef)!;
  return sampleInstants(group).flatMap(at => {
    const shift = resolveOnCall(group, at);
    if (!shift)
      return [`${groupRef} has nobody on call at ${at.toISOString()}`];
    const problem = unreachable(shift.userRef);
    return problem ? [`${groupRef} at ${at.toISOString()}: ${problem}`] : [];
  });
}

describe('the Nexus COS catalog', () => {
  it('consists of valid Backstage entities', async () => {
    const policies = EntityPolicies.allOf([
      new DefaultNamespaceEntityPolicy(),
      new NoForeignRootFieldsEntityPolicy(),
      new FieldFormatEntityPolicy(),
      new SchemaValidEntityPolicy(),
    ]);
    const kindValidators = [
      componentEntityV1alpha1Validator,
      domainEntityV1alpha1Validator,
      groupEntityV1alpha1Validator,
      locationEntityV1alpha1Validator,
      resourceEntityV1alpha1Validator,
      systemEntityV1alpha1Validator,
      userEntityV1alpha1Validator,
    ];
    for (const { file, entity } of [...documents, ...rootLocation]) {
      const where = `${file}: ${entity?.kind} ${entity?.metadata?.name}`;
      await expect(policies.enforce(entity)).resolves.toBeDefined();
      const kindResults = await Promise.all(
        kindValidators.map(v => v.check(entity)),
      );
      expect([where, kindResults.filter(Boolean).length]).toEqual([where, 1]);
    }
  });

  it('has unique entity refs', () => {
    expect(byRef.size).toBe(entities.length);
  });

  it('has one Domain, 16 Systems and 43 services', () => {
    expect(ofKind('Domain').map(e => e.metadata.name)).toEqual(['nexus-cos']);
    expect(ofKind('System')).toHaveLength(16);
    expect(services).toHaveLength(43);
    expect(ofKind('Component')).toHaveLength(43);
  });

  it('gives each service an owner team with members, a System and a lifecycle', () => {
    for (const service of services) {
      const ownerRef = fullRef(service, spec(service).owner, 'group');
      expect([service.metadata.name, byRef.get(ownerRef)?.kind]).toEqual([
        service.metadata.name,
        'Group',
      ]);
      expect([ownerRef, membersOf.get(ownerRef)?.length ?? 0]).not.toEqual([
        ownerRef,
        0,
      ]);
      const systemRef = fullRef(service, spec(service).system, 'system');
      expect([service.metadata.name, byRef.get(systemRef)?.kind]).toEqual([
        service.metadata.name,
        'System',
      ]);
      expect(['production', 'experimental']).toContain(spec(service).lifecycle);
    }
  });

  it('gives each service its Kubernetes, tier, Prometheus, replica and image annotations', () => {
    for (const service of services) {
      const name = service.metadata.name;
      const system = parseEntityRef(spec(service).system, {
        defaultKind: 'system',
      }).name;
      const a = (key: string) => annotation(service, key);
      expect({
        name,
        id: a(ANNOTATION_KUBERNETES_ID),
        job: a(ANNOTATION_PROMETHEUS_JOB),
        image: a(ANNOTATION_IMAGE_REPOSITORY),
      }).toEqual({
        name,
        id: name,
        job: name,
        image: `nexus-cos/${name}`,
      });
      expect(name).toMatch(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
      expect({
        name,
        namespace: a(ANNOTATION_KUBERNETES_NAMESPACE),
        staging: a(ANNOTATION_STAGING_NAMESPACE),
      }).toEqual({
        name,
        namespace: `nexus-${system}`,
        staging: `nexus-${system}-staging`,
      });
      expect([name, a(ANNOTATION_TIER)]).toEqual([
        name,
        expect.stringMatching(/^[123]$/),
      ]);
      const [, min, max] =
        /^(\d+)-(\d+)$/.exec(a(ANNOTATION_REPLICAS) ?? '') ?? [];
      expect([
        name,
        Number(min) >= 1 && Number(min) <= Number(max) && Number(max) <= 50,
      ]).toEqual([name, true]);
    }
    const allowLists = services.flatMap(
      s => annotation(s, ANNOTATION_RUNBOOK_ACTIONS) ?? [],
    );
    expect(allowLists.length).toBeGreaterThan(0);
    for (const allowList of allowLists) {
      expect(allowList).toMatch(/^[a-z-]+(,[a-z-]+)*$/);
      // Every id must be an action the engine knows, or the service silently loses it.
      for (const id of allowList.split(',')) {
        expect(RUNBOOK_ACTIONS).toContain(id);
      }
    }
    const ids = services.map(s => annotation(s, ANNOTATION_KUBERNETES_ID));
    expect(new Set(ids).size).toBe(services.length);
  });

  it('puts every System in the nexus-cos Domain, owned by a Group', () => {
    for (const system of ofKind('System')) {
      expect(fullRef(system, spec(system).domain, 'domain')).toBe(
        'domain:default/nexus-cos',
      );
      expect(
        byRef.get(fullRef(system, spec(system).owner, 'group'))?.kind,
      ).toBe('Group');
    }
  });

  it('declares the shared database as a DR target and Redis, and services depend on both', () => {
    const db = byRef.get('resource:default/nexus-db')!;
    expect([spec(db).type, annotation(db, ANNOTATION_DR_TARGET)]).toEqual([
      'database',
      'nexus-db',
    ]);
    expect(spec(byRef.get('resource:default/nexus-redis')!).type).toBe('cache');
    const dependedOn = new Set(
      services.flatMap(s =>
        (spec(s).dependsOn ?? []).map((d: string) =>
          fullRef(s, d, 'component'),
        ),
      ),
    );
    expect(dependedOn).toContain('resource:default/nexus-db');
    expect(dependedOn).toContain('resource:default/nexus-redis');
  });

  it('has no dangling entity refs', () => {
    const refs: Array<[from: string, field: string, ref: string]> = [];
    const add = (
      e: Entity,
      field: string,
      values: unknown,
      defaultKind: string,
    ) => {
      for (const value of [values]
        .flat()
        .filter(v => v !== undefined) as string[]) {
        refs.push([
          stringifyEntityRef(e),
          field,
          fullRef(e, value, defaultKind),
        ]);
      }
    };
    for (const e of entities) {
      add(e, 'spec.owner', spec(e).owner, 'group');
      add(e, 'spec.system', spec(e).system, 'system');
      add(e, 'spec.domain', spec(e).domain, 'domain');
      add(e, 'spec.dependsOn', spec(e).dependsOn, 'component');
      add(e, 'spec.memberOf', spec(e).memberOf, 'group');
      add(e, 'spec.members', spec(e).members, 'user');
      add(e, 'spec.parent', spec(e).parent, 'group');
      add(e, 'spec.children', spec(e).children, 'group');
      const rotation = e.kind === 'Group' ? parseOnCallRotation(e) : undefined;
      add(e, 'oncall-rotation', rotation?.members, 'user');
      add(
        e,
        'oncall-overrides',
        rotation?.overrides.map(o => o.userRef),
        'user',
      );
      if (e.kind === 'Domain')
        add(e, 'escalation-chain', parseEscalationChain(e), 'group');
    }
    expect(refs.length).toBeGreaterThan(services.length);
    expect(refs.filter(([, , ref]) => !byRef.has(ref))).toEqual([]);
  });

  it('rotates only members, at least two, of every group with a rotation', () => {
    for (const group of ofKind('Group')) {
      const rotation = parseOnCallRotation(group);
      if (!rotation) continue;
      const members = membersOf.get(rotation.groupRef) ?? [];
      expect([rotation.groupRef, members.length >= 2]).toEqual([
        rotation.groupRef,
        true,
      ]);
      expect([
        rotation.groupRef,
        rotation.members.filter(m => !members.includes(m)),
      ]).toEqual([rotation.groupRef, []]);
    }
  });

  it('reaches a User with email and phone on call for every service owner at any instant', () => {
    const owners = new Set(
      services.map(s => fullRef(s, spec(s).owner, 'group')),
    );
    expect([...owners].flatMap(onCallProblems)).toEqual([]);
  });

  it('escalates through the five emergency-contact roles in order, each reaching a User', () => {
    const chain = parseEscalationChain(byRef.get('domain:default/nexus-cos')!);
    expect(chain).toEqual(
      ESCALATION_ROLES.map(role => `group:default/${role}`),
    );
    for (const [i, groupRef] of chain.entries()) {
      expect(annotation(byRef.get(groupRef)!, ANNOTATION_ESCALATION_ROLE)).toBe(
        ESCALATION_ROLES[i],
      );
    }
    expect(chain.flatMap(onCallProblems)).toEqual([]);
  });

  it('gives every User a name, email, E.164 phone and chat URL', () => {
    for (const user of ofKind('User')) {
      const ref = stringifyEntityRef(user);
      expect([ref, unreachable(ref)]).toEqual([ref, undefined]);
      expect([ref, spec(user).profile?.displayName]).toEqual([
        ref,
        expect.any(String),
      ]);
      expect(annotation(user, ANNOTATION_CHAT)).toMatch(/^https:\/\/\S+$/);
    }
  });

  it('makes the guest sign-in a real User of platform-lead and a product team', () => {
    const guest = byRef.get('user:default/guest')!;
    expect(spec(guest).profile.displayName).toBe('Guest Developer');
    const groups = (spec(guest).memberOf as string[]).map(g =>
      fullRef(guest, g, 'group'),
    );
    expect(groups).toContain('group:default/platform-lead');
    expect(groups.some(g => spec(byRef.get(g)!).type === 'team')).toBe(true);
  });

  it('registers every catalog file through the root Location, and only those', () => {
    expect(rootLocation.map(d => d.entity.kind)).toEqual(['Location']);
    const targets = (spec(rootLocation[0].entity).targets as string[]).map(
      target => path.posix.normalize(target),
    );
    expect([...targets].sort()).toEqual(nexusCatalogFiles());
  });
});
