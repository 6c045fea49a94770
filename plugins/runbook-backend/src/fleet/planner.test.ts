import { FleetNode, planOrder } from './planner';

const node = (entityRef: string, ...dependsOn: string[]): FleetNode => ({
  entityRef,
  dependsOn,
});

describe('planOrder', () => {
  // api depends on auth and catalog, both on db: a diamond; worker hangs off api.
  const diamond = [
    node('api', 'auth', 'catalog'),
    node('auth', 'db'),
    node('catalog', 'db'),
    node('db'),
    node('worker', 'api'),
  ];

  it('starts dependencies first, in layers that may run in parallel', () => {
    expect(planOrder(diamond, 'dependencies-first')).toEqual({
      ok: true,
      plan: [
        { entityRef: 'db', depth: 0 },
        { entityRef: 'auth', depth: 1 },
        { entityRef: 'catalog', depth: 1 },
        { entityRef: 'api', depth: 2 },
        { entityRef: 'worker', depth: 3 },
      ],
    });
  });

  it('stops dependents first', () => {
    expect(planOrder(diamond, 'dependents-first')).toEqual({
      ok: true,
      plan: [
        { entityRef: 'worker', depth: 0 },
        { entityRef: 'api', depth: 1 },
        { entityRef: 'auth', depth: 2 },
        { entityRef: 'catalog', depth: 2 },
        { entityRef: 'db', depth: 3 },
      ],
    });
  });

  it('places a service after the longest chain it waits for', () => {
    // c waits for a directly and through b: it must come after b, not beside it.
    const plan = planOrder(
      [node('c', 'a', 'b'), node('b', 'a'), node('a')],
      'dependencies-first',
    );
    expect(plan).toEqual({
      ok: true,
      plan: [
        { entityRef: 'a', depth: 0 },
        { entityRef: 'b', depth: 1 },
        { entityRef: 'c', depth: 2 },
      ],
    });
  });

  it('ignores dependencies outside the scope', () => {
    expect(
      planOrder(
        [node('a', 'resource:default/db', 'component:other/x'), node('b', 'a')],
        'dependencies-first',
      ),
    ).toEqual({
      ok: true,
      plan: [
        { entityRef: 'a', depth: 0 },
        { entityRef: 'b', depth: 1 },
      ],
    });
  });

  it.each(['dependencies-first', 'dependents-first'] as const)(
    'names a cycle as "depends on" links when ordering %s',
    order => {
      const result = planOrder(
        [
          node('root'),
          node('a', 'b', 'root'),
          node('b', 'c'),
          node('c', 'a'),
          node('d', 'a'),
        ],
        order,
      );
      expect(result.ok).toBe(false);
      const cycle = !result.ok ? result.cycle : [];
      expect(cycle[0]).toBe(cycle[cycle.length - 1]);
      expect(cycle).toHaveLength(4);
      const dependsOn: Record<string, string> = { a: 'b', b: 'c', c: 'a' };
      for (let i = 0; i + 1 < cycle.length; i++) {
        expect(dependsOn[cycle[i]]).toBe(cycle[i + 1]);
      }
    },
  );

  it('finds a service that depends on itself', () => {
    expect(planOrder([node('a', 'a')], 'dependencies-first')).toEqual({
      ok: false,
      cycle: ['a', 'a'],
    });
  });

  it('plans an empty scope as nothing', () => {
    expect(planOrder([], 'dependents-first')).toEqual({ ok: true, plan: [] });
  });
});
