import { accessReport } from './access';
import type { SecuritySnapshot } from './SecurityInventory';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const DAY = 86_400_000;

const snapshot = (): SecuritySnapshot =>
  ({
    cluster: 'sandbox',
    observedAt: new Date(NOW).toISOString(),
    roles: [],
    clusterRoles: [],
    roleBindings: [
      {
        metadata: { name: 'ghost', namespace: 'shop' },
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'Role',
          name: 'gone',
        },
        subjects: [{ kind: 'ServiceAccount', name: 'shop', namespace: 'shop' }],
      },
    ],
    clusterRoleBindings: [],
    serviceAccounts: new Set(['shop/shop', 'shop/default']),
  } as unknown as SecuritySnapshot);

describe('accessReport', () => {
  it('counts a review older than the period as a finding, with its age', () => {
    const review = {
      at: new Date(NOW - 94 * DAY).toISOString(),
      by: 'user:default/carol',
      note: 'ok',
    };
    const report = accessReport(snapshot(), 'shop', review, 90, NOW);
    expect(report.review).toEqual(review);
    expect(report.findings).toContainEqual({
      severity: 'low',
      code: 'review-overdue',
      message:
        'Last reviewed 94 days ago by user:default/carol; reviews are due every 90 days',
      via: 'review of shop',
    });
    const recent = accessReport(
      snapshot(),
      'shop',
      { ...review, at: new Date(NOW - 90 * DAY).toISOString() },
      90,
      NOW,
    );
    expect(recent.findings.map(f => f.code)).not.toContain('review-overdue');
  });

  it('names a binding to a role that does not exist', () => {
    const report = accessReport(snapshot(), 'shop', undefined, 90, NOW);
    expect(report.findings).toEqual([
      {
        severity: 'medium',
        code: 'missing-role',
        message:
          'RoleBinding/ghost → Role/gone refers to a Role that does not exist',
        via: 'RoleBinding/ghost → Role/gone',
      },
    ]);
    expect(report.subjects).toEqual([
      {
        kind: 'ServiceAccount',
        name: 'shop',
        namespace: 'shop',
        exists: true,
        rules: [],
      },
    ]);
  });
});
