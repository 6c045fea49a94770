import type {
  RbacV1Subject as V1Subject,
  V1PolicyRule,
  V1RoleRef,
} from '@kubernetes/client-node';
import {
  AccessFinding,
  AccessReport,
  AccessReview,
  AccessRule,
  AccessSubject,
  FINDING_SEVERITIES,
} from '@nexus-cos/plugin-runbook-common';
import type { SecuritySnapshot } from './SecurityInventory';

const DAY_MS = 86_400_000;
const READ_VERBS = ['get', 'list', 'watch', '*'];

type Binding = {
  kind: 'RoleBinding' | 'ClusterRoleBinding';
  name: string;
  namespace: string;
  roleRef: V1RoleRef;
  subjects: V1Subject[];
};

const describe = (s: { kind: string; name: string; namespace?: string }) =>
  `${s.kind} ${s.namespace ? `${s.namespace}/` : ''}${s.name}`;

/** The rules a binding's role grants; undefined when the role does not exist. */
function rulesOf(
  snapshot: SecuritySnapshot,
  binding: Binding,
): V1PolicyRule[] | undefined {
  const { kind, name } = binding.roleRef;
  const role =
    kind === 'Role'
      ? snapshot.roles.find(
          r =>
            r.metadata?.namespace === binding.namespace &&
            r.metadata?.name === name,
        )
      : snapshot.clusterRoles.find(r => r.metadata?.name === name);
  return role ? role.rules ?? [] : undefined;
}

/** The namespace's RoleBindings, and the ClusterRoleBindings of its ServiceAccounts. */
function bindingsOf(snapshot: SecuritySnapshot, namespace: string): Binding[] {
  return [
    ...snapshot.roleBindings
      .filter(b => b.metadata?.namespace === namespace)
      .map(b => ({
        kind: 'RoleBinding' as const,
        name: b.metadata?.name ?? '',
        namespace,
        roleRef: b.roleRef,
        subjects: b.subjects ?? [],
      })),
    ...snapshot.clusterRoleBindings
      .map(b => ({
        kind: 'ClusterRoleBinding' as const,
        name: b.metadata?.name ?? '',
        namespace,
        roleRef: b.roleRef,
        subjects: (b.subjects ?? []).filter(
          s => s.kind === 'ServiceAccount' && s.namespace === namespace,
        ),
      }))
      .filter(b => b.subjects.length > 0),
  ];
}

const subjectNamespace = (s: V1Subject, b: Binding) =>
  s.kind === 'ServiceAccount' ? s.namespace ?? b.namespace : s.namespace;

const has = (list: string[] | undefined, value: string) =>
  (list ?? []).includes(value);

/** The risky grants of one binding. */
function bindingFindings(
  snapshot: SecuritySnapshot,
  binding: Binding,
  rules: V1PolicyRule[] | undefined,
  via: string,
): AccessFinding[] {
  const findings: AccessFinding[] = [];
  const who = binding.subjects
    .map(s => describe({ ...s, namespace: subjectNamespace(s, binding) }))
    .join(', ');
  const scope =
    binding.kind === 'ClusterRoleBinding'
      ? 'in every namespace'
      : `in ${binding.namespace}`;
  if (!rules) {
    findings.push({
      severity: 'medium',
      code: 'missing-role',
      message: `${via} refers to a ${binding.roleRef.kind} that does not exist`,
      via,
    });
  } else if (
    binding.roleRef.kind === 'ClusterRole' &&
    binding.roleRef.name === 'cluster-admin'
  ) {
    findings.push({
      severity: 'critical',
      code: 'cluster-admin',
      message: `${who} is bound to cluster-admin ${scope}`,
      via,
    });
  } else {
    const wildcard = rules.find(
      r =>
        (r.resources?.length ?? 0) > 0 &&
        (has(r.verbs, '*') || has(r.resources, '*')),
    );
    if (wildcard) {
      findings.push({
        severity: 'high',
        code: 'wildcard',
        message: `${who} may ${wildcard.verbs.join(
          ', ',
        )} on ${wildcard.resources!.join(', ')} (API groups ${(
          wildcard.apiGroups ?? []
        )
          .map(g => g || '""')
          .join(', ')}) ${scope}`,
        via,
      });
    }
    const secrets = rules.find(
      r =>
        has(r.resources, 'secrets') &&
        (r.apiGroups ?? []).some(g => g === '' || g === '*') &&
        r.verbs.some(v => READ_VERBS.includes(v)),
    );
    if (secrets) {
      findings.push({
        severity: 'medium',
        code: 'secret-read',
        message: `${who} may read Secrets (${secrets.verbs
          .filter(v => READ_VERBS.includes(v))
          .join(', ')}) ${scope}`,
        via,
      });
    }
  }
  for (const subject of binding.subjects) {
    if (subject.kind !== 'ServiceAccount') continue;
    const ns = subjectNamespace(subject, binding);
    if (subject.name === 'default') {
      findings.push({
        severity: 'high',
        code: 'default-service-account',
        message: `The default ServiceAccount of ${ns} is bound to ${binding.roleRef.kind} ${binding.roleRef.name}: every pod that names no account gets it`,
        via,
      });
    }
    if (!snapshot.serviceAccounts.has(`${ns}/${subject.name}`)) {
      findings.push({
        severity: 'medium',
        code: 'missing-subject',
        message: `ServiceAccount ${ns}/${subject.name} does not exist; whoever creates it gets ${binding.roleRef.kind} ${binding.roleRef.name}`,
        via,
      });
    }
  }
  return findings;
}

/**
 * Who can do what in a namespace, as `kubectl who-can` and rbac-tool would say: each
 * subject of its RoleBindings, and its ServiceAccounts' ClusterRoleBindings, with the
 * rules granted and the binding that grants them. Findings: cluster-admin, wildcards,
 * Secret read access, the default ServiceAccount bound, missing roles and subjects, and
 * a review older than `reviewMaxAgeDays`.
 */
export function accessReport(
  snapshot: SecuritySnapshot,
  namespace: string,
  review: AccessReview | undefined,
  reviewMaxAgeDays: number,
  now: number,
): AccessReport {
  const subjects = new Map<string, AccessSubject>();
  const findings: AccessFinding[] = [];
  for (const binding of bindingsOf(snapshot, namespace)) {
    const via = `${binding.kind}/${binding.name} → ${binding.roleRef.kind}/${binding.roleRef.name}`;
    const rules = rulesOf(snapshot, binding);
    findings.push(...bindingFindings(snapshot, binding, rules, via));
    const granted: AccessRule[] = (rules ?? []).map(r => ({
      apiGroups: r.apiGroups ?? [],
      resources: r.resources ?? [],
      verbs: r.verbs,
      ...(r.resourceNames?.length ? { resourceNames: r.resourceNames } : {}),
      ...(r.nonResourceURLs?.length
        ? { nonResourceURLs: r.nonResourceURLs }
        : {}),
      via,
    }));
    for (const s of binding.subjects) {
      const ns = subjectNamespace(s, binding);
      const key = `${s.kind}/${ns ?? ''}/${s.name}`;
      const subject: AccessSubject = subjects.get(key) ?? {
        kind: s.kind,
        name: s.name,
        ...(ns ? { namespace: ns } : {}),
        ...(s.kind === 'ServiceAccount'
          ? { exists: snapshot.serviceAccounts.has(`${ns}/${s.name}`) }
          : {}),
        rules: [],
      };
      subject.rules.push(...granted);
      subjects.set(key, subject);
    }
  }
  if (review) {
    const age = Math.floor((now - Date.parse(review.at)) / DAY_MS);
    if (age > reviewMaxAgeDays) {
      findings.push({
        severity: 'low',
        code: 'review-overdue',
        message: `Last reviewed ${age} days ago by ${review.by}; reviews are due every ${reviewMaxAgeDays} days`,
        via: `review of ${namespace}`,
      });
    }
  }
  return {
    namespace,
    subjects: [...subjects.values()].sort((a, b) =>
      describe(a).localeCompare(describe(b)),
    ),
    findings: findings.sort(
      (a, b) =>
        FINDING_SEVERITIES.indexOf(a.severity) -
        FINDING_SEVERITIES.indexOf(b.severity),
    ),
    ...(review ? { review } : {}),
    reviewMaxAgeDays,
    observedAt: snapshot.observedAt,
  };
}
