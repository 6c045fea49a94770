import { checkActionLimits } from './request';
import {
  ActionLimits,
  describeActionLimits,
  imageRepositoryOf,
  parseCpuMillis,
  parseMemoryBytes,
  parseReplicaRange,
} from './limits';

const limits: ActionLimits = {
  replicas: { min: 2, max: 8 },
  imageRepository: 'nexus-cos/api',
  resources: { maxCpu: '2', maxMemory: '4Gi' },
  rolloutTimeoutSeconds: 300,
  healthWindowSeconds: 30,
  blueGreenMonitorSeconds: 300,
};

describe('checkActionLimits', () => {
  it('names the replica range', () => {
    expect(
      checkActionLimits({ action: 'scale', input: { replicas: 9 } }, limits),
    ).toEqual([
      {
        field: 'input.replicas',
        message: 'replicas must be between 2 and 8, got 9',
      },
    ]);
    expect(
      checkActionLimits({ action: 'scale', input: { replicas: 8 } }, limits),
    ).toEqual([]);
  });

  it('keeps images to the allowed repository', () => {
    expect(
      checkActionLimits(
        { action: 'set-image', input: { image: 'evil/api:1.0' } },
        limits,
      ),
    ).toEqual([
      {
        field: 'input.image',
        message:
          'image must come from the repository "nexus-cos/api", not "evil/api"',
      },
    ]);
    expect(
      checkActionLimits(
        { action: 'blue-green-deploy', input: { image: 'nexus-cos/api:2' } },
        limits,
      ),
    ).toEqual([]);
  });

  it('enforces resource ceilings and requests <= limits', () => {
    const issues = checkActionLimits(
      {
        action: 'set-resources',
        input: {
          requests: { cpu: '1500m', memory: '8Gi' },
          limits: { cpu: '1' },
        },
      },
      limits,
    );
    expect(issues.map(i => i.field)).toEqual([
      'input.requests.memory',
      'input.requests.cpu',
    ]);
    expect(issues[0].message).toBe(
      'requests.memory must be at most 4Gi, got 8Gi',
    );
  });

  it('checks the autoscaler against the replica range', () => {
    const issues = checkActionLimits(
      {
        action: 'configure-autoscaling',
        input: {
          enabled: true,
          minReplicas: 6,
          maxReplicas: 12,
          targetCPUUtilizationPercentage: 70,
        },
      },
      limits,
    );
    expect(issues.map(i => i.field)).toEqual(['input.maxReplicas']);
  });

  it('describes the limits for forms', () => {
    expect(describeActionLimits(limits)).toContain('Replicas between 2 and 8');
    expect(describeActionLimits(limits)).toContain(
      'Images only from nexus-cos/api',
    );
  });
});

describe('quantity and annotation parsing', () => {
  it('parses what Kubernetes writes', () => {
    expect(parseCpuMillis('500m')).toBe(500);
    expect(parseCpuMillis('1.5')).toBe(1500);
    expect(parseMemoryBytes('512Mi')).toBe(512 * 2 ** 20);
    expect(parseMemoryBytes('1G')).toBe(1e9);
    expect(parseReplicaRange('2-10')).toEqual({ min: 2, max: 10 });
    expect(parseReplicaRange('10-2')).toBeUndefined();
    expect(imageRepositoryOf('registry:5000/nexus-cos/api:1.0')).toBe(
      'registry:5000/nexus-cos/api',
    );
  });
});
