import type { ObjectDiff } from '@nexus-cos/plugin-runbook-common';

const SERVER_FIELDS = [
  'resourceVersion',
  'uid',
  'creationTimestamp',
  'generation',
  'managedFields',
  'selfLink',
];

/**
 * An object without what the server owns (versions, and status unless the change is
 * made through the status subresource), for comparison.
 */
function comparable(object: any, withStatus: boolean): any {
  if (!object) return undefined;
  const { status, metadata = {}, ...rest } = object;
  const meta = { ...metadata };
  for (const field of SERVER_FIELDS) delete meta[field];
  return { ...rest, metadata: meta, ...(withStatus ? { status } : {}) };
}

function leaves(value: unknown, path: string, out: Map<string, unknown>) {
  if (value && typeof value === 'object') {
    const entries = Array.isArray(value)
      ? value.map((v, i) => [`[${i}]`, v] as const)
      : Object.entries(value).map(([k, v]) => [path ? `.${k}` : k, v] as const);
    if (!entries.length) out.set(path, value);
    for (const [key, v] of entries) leaves(v, `${path}${key}`, out);
  } else {
    out.set(path, value);
  }
}

/** What a diff shows instead of a Secret's value. */
export const HIDDEN_SECRET_VALUE = '(hidden)';

/** Paths of a Secret whose values are secret: its data, and kubectl's copy of them. */
const SECRET_VALUE_PATH =
  /^(data|stringData)\.|^metadata\.annotations\.kubectl\.kubernetes\.io\/last-applied-configuration$/;

/**
 * Leaf-by-leaf differences between the live object and the dry-run answer. For a Secret,
 * a changed value shows only as changed: both sides read {@link HIDDEN_SECRET_VALUE}.
 */
export function diffObjects(
  kind: string,
  name: string,
  namespace: string,
  before: any,
  after: any,
  options: { status?: boolean } = {},
): ObjectDiff {
  if (!after)
    return { kind, name, namespace, operation: 'delete', changes: [] };
  const a = new Map<string, unknown>();
  const b = new Map<string, unknown>();
  leaves(comparable(before, Boolean(options.status)), '', a);
  leaves(comparable(after, Boolean(options.status)), '', b);
  const changes: ObjectDiff['changes'] = [];
  for (const path of new Set([...a.keys(), ...b.keys()])) {
    const [x, y] = [a.get(path), b.get(path)];
    if (JSON.stringify(x) !== JSON.stringify(y)) {
      const hide = kind === 'Secret' && SECRET_VALUE_PATH.test(path);
      const shown = (v: unknown) => (hide ? HIDDEN_SECRET_VALUE : v);
      changes.push({
        path,
        ...(x !== undefined && { before: shown(x) }),
        ...(y !== undefined && { after: shown(y) }),
      });
    }
  }
  const operation = before ? 'update' : 'create';
  return {
    kind,
    name,
    namespace,
    operation,
    changes: changes.sort((p, q) => p.path.localeCompare(q.path)),
  };
}
