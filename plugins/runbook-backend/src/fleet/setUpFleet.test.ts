import { mockServices } from '@backstage/backend-test-utils';
import { readFleetParallelism } from './setUpFleet';

const config = (parallelism?: unknown) =>
  mockServices.rootConfig({
    data:
      parallelism === undefined ? {} : { runbook: { fleet: { parallelism } } },
  });

describe('runbook.fleet.parallelism', () => {
  it('defaults to 4 and takes a whole number from 1 to 64', () => {
    expect(readFleetParallelism(config())).toBe(4);
    expect(readFleetParallelism(config(1))).toBe(1);
    expect(readFleetParallelism(config(64))).toBe(64);
  });

  it.each([0, 65, 2.5])('refuses %p, naming the key and the range', value => {
    expect(() => readFleetParallelism(config(value))).toThrow(
      `runbook.fleet.parallelism must be a whole number from 1 to 64, not ${value}`,
    );
  });
});
