import { ApiOperations } from '../api/operations';
import { resourceByKind } from '../api/resources';
import { ObjectStore } from '../store/ObjectStore';
import { EventRecorder } from './EventRecorder';

describe('EventRecorder', () => {
  const setup = () => {
    const ops = new ApiOperations(new ObjectStore(100));
    ops.create(resourceByKind('Namespace'), '', { metadata: { name: 'ns' } });
    const pod = ops.create(resourceByKind('Pod'), 'ns', {
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'c', image: 'i:1' }] },
    });
    return { ops, pod, events: () => ops.list(resourceByKind('Event'), 'ns') };
  };

  it('counts repeats of the same event instead of adding rows', () => {
    const { ops, pod, events } = setup();
    const recorder = new EventRecorder(ops);
    recorder.record(
      pod,
      'Warning',
      'BackOff',
      'Back-off pulling image "i:1"',
      'kubelet',
    );
    recorder.record(
      pod,
      'Warning',
      'BackOff',
      'Back-off pulling image "i:1"',
      'kubelet',
    );
    recorder.record(pod, 'Normal', 'Pulled', 'pulled', 'kubelet');
    expect(events().map(e => [e.reason, e.count])).toEqual(
      expect.arrayContaining([
        ['BackOff', 2],
        ['Pulled', 1],
      ]),
    );
    expect(events()[0].involvedObject).toMatchObject({
      kind: 'Pod',
      name: 'p',
      namespace: 'ns',
      uid: pod.metadata.uid,
    });
  });

  it('keeps only the newest events', () => {
    const { ops, pod, events } = setup();
    const recorder = new EventRecorder(ops, 2);
    for (const reason of ['First', 'Second', 'Third'])
      recorder.record(pod, 'Normal', reason, reason, 'test');
    expect(
      events()
        .map(e => e.reason)
        .sort(),
    ).toEqual(['Second', 'Third']);
  });
});
