import { applyStrategicMergePatch } from './strategicMergePatch';

const podSpec = () => ({
  containers: [
    {
      name: 'app',
      image: 'app:1',
      ports: [{ containerPort: 8080, name: 'http' }],
      env: [
        { name: 'A', value: '1' },
        { name: 'B', value: '2' },
      ],
    },
    { name: 'sidecar', image: 'proxy:1' },
  ],
  volumes: [{ name: 'data', emptyDir: {} }],
  tolerations: [{ key: 'x' }],
  finalizers: ['a'],
});

describe('strategic merge patch', () => {
  it('merges containers by name and env by name, keeping what the patch does not mention', () => {
    const out: any = applyStrategicMergePatch(podSpec(), {
      containers: [
        {
          name: 'app',
          image: 'app:2',
          env: [
            { name: 'B', value: 'changed' },
            { name: 'C', value: '3' },
          ],
        },
      ],
    });
    expect(out.containers[0]).toEqual({
      name: 'app',
      image: 'app:2',
      ports: [{ containerPort: 8080, name: 'http' }],
      env: [
        { name: 'A', value: '1' },
        { name: 'B', value: 'changed' },
        { name: 'C', value: '3' },
      ],
    });
    expect(out.containers[1]).toEqual({ name: 'sidecar', image: 'proxy:1' });
  });

  it('merges ports by containerPort inside containers, replaces lists without a merge key', () => {
    const out: any = applyStrategicMergePatch(podSpec(), {
      containers: [{ name: 'app', ports: [{ containerPort: 9090 }] }],
      tolerations: [{ key: 'y' }],
    });
    expect(out.containers[0].ports).toEqual([
      { containerPort: 8080, name: 'http' },
      { containerPort: 9090 },
    ]);
    expect(out.tolerations).toEqual([{ key: 'y' }]);
  });

  it('honours $patch delete and replace, null deletes, and $setElementOrder', () => {
    const out: any = applyStrategicMergePatch(podSpec(), {
      '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'app' }],
      containers: [{ name: 'app', env: [{ name: 'A', $patch: 'delete' }] }],
      volumes: [{ name: 'cache', emptyDir: {} }, { $patch: 'replace' }],
      finalizers: null,
    });
    expect(out.containers.map((c: any) => c.name)).toEqual(['sidecar', 'app']);
    expect(out.containers[1].env).toEqual([{ name: 'B', value: '2' }]);
    expect(out.volumes).toEqual([{ name: 'cache', emptyDir: {} }]);
    expect(out.finalizers).toBeUndefined();

    const replaced: any = applyStrategicMergePatch(
      { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } },
      {
        strategy: { $patch: 'replace', type: 'Recreate' },
      },
    );
    expect(replaced.strategy).toEqual({ type: 'Recreate' });
  });

  it('keeps only $retainKeys, unions finalizers, and removes from primitive lists', () => {
    const retained: any = applyStrategicMergePatch(
      { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } },
      {
        strategy: { $retainKeys: ['type'], type: 'Recreate' },
      },
    );
    expect(retained.strategy).toEqual({ type: 'Recreate' });
    const out: any = applyStrategicMergePatch(
      { metadata: { finalizers: ['a', 'b'] } },
      {
        metadata: {
          finalizers: ['c', 'a'],
          '$deleteFromPrimitiveList/finalizers': ['b'],
        },
      },
    );
    expect(out.metadata.finalizers).toEqual(['a', 'c']);
  });

  it('rejects patches it cannot apply', () => {
    expect(() => applyStrategicMergePatch({}, [1])).toThrow(
      'must be a JSON object',
    );
    expect(() =>
      applyStrategicMergePatch(podSpec(), { containers: [{ image: 'x' }] }),
    ).toThrow('does not contain declared merge key: name');
    expect(() =>
      applyStrategicMergePatch({}, { spec: { $patch: 'explode' } }),
    ).toThrow('unknown patch type');
  });
});
