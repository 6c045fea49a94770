import { ConfigReader } from '@backstage/config';
import { readAnalysisConfig, thresholdsFor } from './config';

describe('analysis config', () => {
  it('has the runbook defaults and reads overrides', () => {
    expect(readAnalysisConfig(new ConfigReader({}))).toEqual({
      thresholds: { errorRatio: 0.05, latencyP95Seconds: 0.5 },
      intervalSeconds: 10,
      failureLimit: 3,
      rateWindow: '30s',
      previewSeconds: 60,
    });
    expect(
      readAnalysisConfig(
        new ConfigReader({
          runbook: {
            analysis: {
              thresholds: { errorRatio: 0.01, baselineFactor: 2 },
              failureLimit: 0,
            },
          },
        }),
      ),
    ).toMatchObject({
      thresholds: {
        errorRatio: 0.01,
        latencyP95Seconds: 0.5,
        baselineFactor: 2,
      },
      // At least one failed sample aborts.
      failureLimit: 1,
    });
  });

  it("lets a service's annotation override the thresholds, naming what is wrong", () => {
    const defaults = { errorRatio: 0.05, latencyP95Seconds: 0.5 };
    expect(thresholdsFor(defaults, undefined)).toBe(defaults);
    expect(
      thresholdsFor(defaults, 'errorRatio=0.02, baselineFactor=1.5'),
    ).toEqual({
      errorRatio: 0.02,
      latencyP95Seconds: 0.5,
      baselineFactor: 1.5,
    });
    expect(() => thresholdsFor(defaults, 'errors=0.1')).toThrow(
      'nexus-cos.io/analysis must be errorRatio=<number>,latencyP95Seconds=<number>,baselineFactor=<number>; "errors=0.1" is not',
    );
    expect(() => thresholdsFor(defaults, 'errorRatio=-1')).toThrow(
      '"errorRatio=-1" is not',
    );
  });
});
