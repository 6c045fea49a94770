import { parseRunRequest } from '../actions/request';
import { parseFleetRunRequest } from './schemas';

describe('parseFleetRunRequest', () => {
  it('accepts a stop-all with a grace period on a System', () => {
    expect(
      parseFleetRunRequest({
        action: 'stop-all',
        scope: 'system:default/media',
        gracePeriodSeconds: 60,
        reason: 'maintenance',
      }),
    ).toEqual({
      success: true,
      request: {
        action: 'stop-all',
        scope: 'system:default/media',
        gracePeriodSeconds: 60,
        reason: 'maintenance',
      },
    });
    expect(
      parseFleetRunRequest({ action: 'start-all', scope: 'domain:nexus-cos' })
        .success,
    ).toBe(true);
  });

  it.each([
    [{ action: 'reboot-all', scope: 'system:default/a' }, 'action', 'one of'],
    [{ action: 'start-all' }, 'scope', 'expected string'],
    [
      { action: 'start-all', scope: 'component:default/a' },
      'scope',
      'System or the Domain',
    ],
    [{ action: 'start-all', scope: 'media' }, 'scope', 'System or the Domain'],
    [
      { action: 'start-all', scope: `system:default/${'a'.repeat(250)}` },
      'scope',
      'at most 255',
    ],
    [
      { action: 'start-all', scope: 'system:a', gracePeriodSeconds: 30 },
      'gracePeriodSeconds',
      'only to stop-all',
    ],
    [
      { action: 'stop-all', scope: 'system:a', gracePeriodSeconds: 3601 },
      'gracePeriodSeconds',
      'at most 3600',
    ],
    [
      { action: 'stop-all', scope: 'system:a', gracePeriodSeconds: 1.5 },
      'gracePeriodSeconds',
      'whole number',
    ],
    [
      { action: 'stop-all', scope: 'system:a', reason: 'x'.repeat(501) },
      'reason',
      'at most 500',
    ],
    [{ action: 'stop-all', scope: 'system:a', dryRun: 'yes' }, 'dryRun', ''],
    [{ action: 'stop-all', scope: 'system:a', force: true }, '(body)', 'force'],
  ])('refuses %o, naming %s', (body, field, message) => {
    const result = parseFleetRunRequest(body);
    expect(result.success).toBe(false);
    const issue = !result.success && result.issues[0];
    expect(issue).toMatchObject({ field });
    expect((issue as { message: string }).message).toContain(message);
  });
});

describe('stop input', () => {
  it('takes an optional grace period', () => {
    expect(parseRunRequest({ action: 'stop', input: {} }).success).toBe(true);
    expect(
      parseRunRequest({ action: 'stop', input: { gracePeriodSeconds: 60 } }),
    ).toEqual({
      success: true,
      request: { action: 'stop', input: { gracePeriodSeconds: 60 } },
    });
    expect(
      parseRunRequest({ action: 'stop', input: { gracePeriodSeconds: -1 } }),
    ).toMatchObject({
      success: false,
      issues: [{ field: 'input.gracePeriodSeconds' }],
    });
  });
});
