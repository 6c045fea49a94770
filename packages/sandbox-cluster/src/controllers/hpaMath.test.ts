import { decideReplicas } from './hpaMath';

const base = {
  currentReplicas: 2,
  readyPods: 2,
  targetUtilisation: 70,
  minReplicas: 2,
  maxReplicas: 10,
  recentRecommendations: [],
};

describe('decideReplicas', () => {
  it('scales up in proportion to utilisation over target', () => {
    expect(decideReplicas({ ...base, utilisation: 140 })).toMatchObject({
      desiredReplicas: 4,
      stabilized: false,
    });
  });

  it('keeps the count within the 10% tolerance', () => {
    expect(decideReplicas({ ...base, utilisation: 75 }).desiredReplicas).toBe(
      2,
    );
  });

  it('clamps to the maximum and the minimum, and says so', () => {
    expect(decideReplicas({ ...base, utilisation: 700 })).toMatchObject({
      recommendation: 20,
      desiredReplicas: 10,
      limited: 'TooManyReplicas',
    });
    expect(
      decideReplicas({
        ...base,
        currentReplicas: 4,
        readyPods: 4,
        utilisation: 10,
      }),
    ).toMatchObject({ desiredReplicas: 2, limited: 'TooFewReplicas' });
  });

  it('scales down only to the highest recent recommendation', () => {
    const decision = decideReplicas({
      ...base,
      currentReplicas: 6,
      readyPods: 6,
      utilisation: 20,
      recentRecommendations: [5, 3],
    });
    expect(decision).toMatchObject({ desiredReplicas: 5, stabilized: true });
  });
});
