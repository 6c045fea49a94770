import { parseRunRequest } from './request';

describe('parseRunRequest', () => {
  it('accepts a valid request and types its input', () => {
    const result = parseRunRequest({ action: 'scale', input: { replicas: 3 } });
    expect(result).toEqual({
      success: true,
      request: { action: 'scale', input: { replicas: 3 } },
    });
  });

  it.each([
    [
      { action: 'explode', input: {} },
      'action',
      'action must be one of: scale',
    ],
    [
      { action: 'scale', input: { replicas: -1 } },
      'input.replicas',
      'at least 0',
    ],
    [
      { action: 'scale', input: { replicas: 1e9 } },
      'input.replicas',
      'at most 1000',
    ],
    [
      { action: 'scale', input: { replicas: '3' } },
      'input.replicas',
      'expected number',
    ],
    [
      { action: 'scale', input: { replicas: 2.5 } },
      'input.replicas',
      'whole number',
    ],
    [{ action: 'scale', input: {} }, 'input.replicas', 'expected number'],
    [{ action: 'scale', input: { replicas: 2, extra: 1 } }, 'input', 'extra'],
    [
      { action: 'set-image', input: { image: 'nexus-cos/a:1;rm -rf /' } },
      'input.image',
      'shell',
    ],
    [
      { action: 'set-image', input: { image: 'nexus-cos/a:$(id)' } },
      'input.image',
      'shell',
    ],
    [
      { action: 'set-image', input: { image: 'nexus-cos/a' } },
      'input.image',
      'tag or digest',
    ],
    [
      { action: 'rollback', input: { revision: 0 } },
      'input.revision',
      'at least 1',
    ],
    [{ action: 'set-resources', input: {} }, 'input', 'requests or limits'],
    [
      { action: 'set-resources', input: { limits: { cpu: 'lots' } } },
      'input.limits.cpu',
      'CPU quantity',
    ],
    [
      {
        action: 'configure-autoscaling',
        input: { enabled: true, minReplicas: 1 },
      },
      'input.maxReplicas',
      'expected number',
    ],
    [
      { action: 'delete-pod', input: { pod: '../etc' } },
      'input.pod',
      'pod name',
    ],
    [
      { action: 'checklist', input: { confirmations: ['skip-tests'] } },
      'input.confirmations.0',
      'review-change-request',
    ],
    [
      { action: 'checklist', input: { confirmations: [], changeRequest: ' ' } },
      'input.changeRequest',
      'must not be empty',
    ],
    [
      {
        action: 'checklist',
        input: { confirmations: [], image: 'nexus-cos/a:1 && id' },
      },
      'input.image',
      'shell',
    ],
    [
      { action: 'dr-drill', input: { scratchDatabase: 'x; DROP DATABASE y' } },
      'input.scratchDatabase',
      'at most 63 characters',
    ],
    [
      { action: 'diagnostics', input: { logMinutes: 0 } },
      'input.logMinutes',
      'at least 1',
    ],
    [
      { action: 'diagnostics', input: { logMinutes: 2000 } },
      'input.logMinutes',
      'at most 1440',
    ],
    [
      { action: 'scale', input: { replicas: 1 }, dryRun: 'yes' },
      'dryRun',
      'expected boolean',
    ],
  ])('refuses %j naming %s', (body, field, message) => {
    const result = parseRunRequest(body);
    expect(result.success).toBe(false);
    if (result.success) return;
    const issue = result.issues.find(i => i.field === field);
    expect(issue?.message ?? result.issues).toEqual(
      expect.stringContaining(message),
    );
  });

  it('accepts the checklist with its human confirmations and an empty dr-drill', () => {
    expect(
      parseRunRequest({
        action: 'checklist',
        input: {
          confirmations: ['review-change-request', 'notify-stakeholders'],
          changeRequest: 'CHG-1042',
          image: 'nexus-cos/api:2.0.0',
        },
      }).success,
    ).toBe(true);
    expect(parseRunRequest({ action: 'dr-drill' })).toEqual({
      success: true,
      request: { action: 'dr-drill', input: {} },
    });
  });

  it('accepts registry hosts with ports and digests', () => {
    for (const image of [
      'registry.local:5000/nexus-cos/api:2.0.0',
      `nexus-cos/api@sha256:${'a'.repeat(64)}`,
    ]) {
      expect(
        parseRunRequest({ action: 'set-image', input: { image } }).success,
      ).toBe(true);
    }
  });
});
