import { summarize, ServiceHealthLine } from './systemHealth';

const line = (status: ServiceHealthLine['status']): ServiceHealthLine => ({
  entityRef: 'component:default/x',
  title: 'X',
  status,
  reasons: [],
});

describe('summarize', () => {
  it.each([
    [['healthy'], 'healthy', '1 of 1 service healthy'],
    [['healthy', 'healthy'], 'healthy', '2 of 2 services healthy'],
    [['degraded', 'healthy'], 'degraded', '1 of 2 services degraded'],
    [
      ['healthy', 'unknown', 'degraded', 'down', 'degraded'],
      'down',
      '1 of 5 services down, 2 degraded, 1 unknown',
    ],
    [['unknown', 'healthy'], 'unknown', '1 of 2 services unknown'],
  ] as const)('%j → %s, "%s"', (statuses, worst, text) => {
    expect(summarize(statuses.map(line))).toEqual({ worst, text });
  });
});
