import { KubeObject } from '../store/types';
import { Causes } from './fieldErrors';

const RBAC_GROUP = 'rbac.authorization.k8s.io';
const SUBJECT_KINDS = ['ServiceAccount', 'User', 'Group'];

/**
 * Fills what the apiserver defaults on RBAC objects: the `apiGroup` of User and Group
 * subjects. ServiceAccounts keep the core group, `""`, which JSON omits.
 */
export function defaultRbac(object: KubeObject) {
  if (!object.kind.endsWith('RoleBinding')) return;
  for (const s of Array.isArray(object.subjects) ? object.subjects : []) {
    if (!s || typeof s !== 'object') continue;
    if (s.kind === 'ServiceAccount' && s.apiGroup === '') delete s.apiGroup;
    if ((s.kind === 'User' || s.kind === 'Group') && !s.apiGroup)
      s.apiGroup = RBAC_GROUP;
  }
}

/** The apiserver's checks of Roles, ClusterRoles and their bindings; nothing enforces them. */
export function validateRbac(object: KubeObject, c: Causes, old?: KubeObject) {
  switch (object.kind) {
    case 'Role':
    case 'ClusterRole':
      validateRules(object, c);
      break;
    case 'RoleBinding':
    case 'ClusterRoleBinding':
      validateBinding(object, c, old);
      break;
    default:
  }
}

function validateRules(role: KubeObject, c: Causes) {
  const namespaced = role.kind === 'Role';
  const rules = role.rules ?? [];
  if (!Array.isArray(rules)) {
    c.invalid('rules', rules, 'must be a list of PolicyRules');
    return;
  }
  rules.forEach((rule: any, i: number) => {
    const at = `rules[${i}]`;
    if (!rule || typeof rule !== 'object') {
      c.invalid(at, rule, 'must be a PolicyRule');
      return;
    }
    const has = (f: string) => Array.isArray(rule[f]) && rule[f].length > 0;
    if (!has('verbs'))
      c.required(`${at}.verbs`, 'verbs must contain at least one value');
    if (has('nonResourceURLs')) {
      if (namespaced)
        c.invalid(
          `${at}.nonResourceURLs`,
          rule.nonResourceURLs,
          'namespaced rules cannot apply to non-resource URLs',
        );
      if (has('apiGroups') || has('resources') || has('resourceNames'))
        c.invalid(
          `${at}.nonResourceURLs`,
          rule.nonResourceURLs,
          'rules cannot apply to both regular resources and non-resource URLs',
        );
      return;
    }
    if (!has('apiGroups'))
      c.required(
        `${at}.apiGroups`,
        'resource rules must supply at least one api group',
      );
    if (!has('resources'))
      c.required(
        `${at}.resources`,
        'resource rules must supply at least one resource',
      );
  });
}

function validateBinding(binding: KubeObject, c: Causes, old?: KubeObject) {
  const cluster = binding.kind === 'ClusterRoleBinding';
  const ref = binding.roleRef;
  if (!ref || typeof ref !== 'object') {
    c.required('roleRef');
  } else {
    if (ref.apiGroup !== RBAC_GROUP)
      c.unsupported('roleRef.apiGroup', ref.apiGroup ?? '', [RBAC_GROUP]);
    const kinds = cluster ? ['ClusterRole'] : ['ClusterRole', 'Role'];
    if (!kinds.includes(ref.kind))
      c.unsupported('roleRef.kind', ref.kind ?? '', kinds);
    if (!ref.name) c.required('roleRef.name');
    if (old && JSON.stringify(old.roleRef) !== JSON.stringify(ref))
      c.invalid('roleRef', ref, 'cannot change roleRef');
  }
  const subjects = binding.subjects ?? [];
  if (!Array.isArray(subjects)) {
    c.invalid('subjects', subjects, 'must be a list of Subjects');
    return;
  }
  subjects.forEach((s: any, i: number) => {
    const at = `subjects[${i}]`;
    if (!s || typeof s !== 'object') {
      c.invalid(at, s, 'must be a Subject');
      return;
    }
    if (!s.name) c.required(`${at}.name`);
    if (!SUBJECT_KINDS.includes(s.kind)) {
      c.unsupported(`${at}.kind`, s.kind ?? '', SUBJECT_KINDS);
      return;
    }
    if (s.kind === 'ServiceAccount') {
      if (s.apiGroup) c.unsupported(`${at}.apiGroup`, s.apiGroup, ['']);
      if (cluster && !s.namespace) c.required(`${at}.namespace`);
    } else if (s.apiGroup !== RBAC_GROUP) {
      c.unsupported(`${at}.apiGroup`, s.apiGroup ?? '', [RBAC_GROUP]);
    }
  });
}
