import type { ObjectDiff } from '@nexus-cos/plugin-runbook-common';

const SERVER_FIELDS = [
  'resourceVersion',
  'uid',
  'creationTimestamp',
  'generation',
  'managedFields',
  'selfLink',
];

/** An object without what the server owns (status, versions), for comparison. */
function comparable(object: any): any {
  if (!object) return undefined;
  const { status: _status, metadata = {}, ...rest } = object;
  const meta = { ...metadata };
  for (const field of SERVER_FIELDS) delete meta[field];
  return { ...rest, metadata: meta };
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

/** Leaf-by-leaf differences between the live object and the dry-run answer. */
export function diffObjects(
  kind: string,
  name: string,
  namespace: string,
  before: any,
  after: any,
): ObjectDiff {
  if (!after)
    return { kind, name, namespace, operation: 'delete', changes: [] };
  const a = new Map<string, unknown>();
  const b = new Map<string, unknown>();
  leaves(comparable(before), '', a);
  leaves(comparable(after), '', b);
  const changes: ObjectDiff['changes'] = [];
  for (const path of new Set([...a.keys(), ...b.keys()])) {
    const [x, y] = [a.get(path), b.get(path)];
    if (JSON.stringify(x) !== JSON.stringify(y)) {
      changes.push({
        path,
        ...(x !== undefined && { before: x }),
        ...(y !== undefined && { after: y }),
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
