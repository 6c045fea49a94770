import { badRequest } from './errors';

/**
 * The JSON types of the fields the sandbox reads, per kind. The apiserver decodes into
 * typed structs and rejects mismatches with 400 before validation; this does the same
 * for the fields that matter here, so no handler or controller meets a number where it
 * expects an object. Fields not listed are free.
 */
type Shape =
  | 'string'
  | 'integer'
  | 'boolean'
  | 'object'
  | 'scalarMap'
  | { fields: Record<string, Shape> }
  | { items: Shape };

const stringMap: Shape = 'scalarMap';
const ints = (...names: string[]) =>
  Object.fromEntries(names.map(n => [n, 'integer' as Shape]));

const META: Shape = {
  fields: {
    name: 'string',
    generateName: 'string',
    namespace: 'string',
    resourceVersion: 'string',
    labels: stringMap,
    annotations: stringMap,
    ownerReferences: {
      items: { fields: { name: 'string', uid: 'string', kind: 'string' } },
    },
    finalizers: { items: 'string' },
  },
};

const CONTAINER: Shape = {
  fields: {
    name: 'string',
    image: 'string',
    ports: {
      items: {
        fields: {
          name: 'string',
          protocol: 'string',
          ...ints('containerPort'),
        },
      },
    },
    env: {
      items: {
        fields: { name: 'string', value: 'string', valueFrom: 'object' },
      },
    },
    envFrom: { items: 'object' },
    resources: { fields: { limits: stringMap, requests: stringMap } },
    readinessProbe: 'object',
    livenessProbe: 'object',
    startupProbe: 'object',
  },
};

const POD_SPEC: Shape = {
  fields: {
    containers: { items: CONTAINER },
    initContainers: { items: CONTAINER },
    nodeName: 'string',
    ...ints('terminationGracePeriodSeconds'),
  },
};

const TEMPLATE: Shape = { fields: { metadata: META, spec: POD_SPEC } };

const SELECTOR: Shape = {
  fields: { matchLabels: stringMap, matchExpressions: { items: 'object' } },
};

const WORKLOAD_SPEC: Shape = {
  fields: {
    ...ints(
      'replicas',
      'minReadySeconds',
      'revisionHistoryLimit',
      'progressDeadlineSeconds',
    ),
    paused: 'boolean',
    selector: SELECTOR,
    template: TEMPLATE,
    strategy: { fields: { type: 'string', rollingUpdate: 'object' } },
  },
};

const KINDS: Record<string, Record<string, Shape>> = {
  Deployment: { spec: WORKLOAD_SPEC },
  ReplicaSet: { spec: WORKLOAD_SPEC },
  Pod: { spec: POD_SPEC },
  Service: {
    spec: {
      fields: {
        type: 'string',
        clusterIP: 'string',
        selector: stringMap,
        ports: {
          items: {
            fields: {
              name: 'string',
              protocol: 'string',
              ...ints('port', 'nodePort'),
            },
          },
        },
      },
    },
  },
  ConfigMap: { data: stringMap },
  Secret: { data: stringMap, stringData: stringMap, type: 'string' },
  HorizontalPodAutoscaler: {
    spec: {
      fields: {
        scaleTargetRef: 'object',
        ...ints('minReplicas', 'maxReplicas'),
        metrics: { items: 'object' },
      },
    },
  },
};

function describe(value: unknown) {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'array' : typeof value;
}

function check(value: unknown, shape: Shape, path: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  const mismatch = (want: string) =>
    `${path}: expected ${want}, got ${describe(value)}`;
  if (shape === 'string')
    return typeof value === 'string' ? undefined : mismatch('string');
  if (shape === 'boolean')
    return typeof value === 'boolean' ? undefined : mismatch('boolean');
  if (shape === 'integer')
    return Number.isInteger(value) ? undefined : mismatch('integer');
  const isObject = typeof value === 'object' && !Array.isArray(value);
  if (shape === 'object') return isObject ? undefined : mismatch('object');
  if (shape === 'scalarMap') {
    if (!isObject) return mismatch('object');
    const bad = Object.entries(value as object).find(
      ([, v]) => typeof v === 'object' && v !== null,
    );
    return bad
      ? `${path}.${bad[0]}: expected a string, got ${describe(bad[1])}`
      : undefined;
  }
  if ('items' in shape) {
    if (!Array.isArray(value)) return mismatch('array');
    for (const [i, item] of value.entries()) {
      const error = check(item, shape.items, `${path}[${i}]`);
      if (error) return error;
    }
    return undefined;
  }
  if (!isObject) return mismatch('object');
  for (const [field, inner] of Object.entries(shape.fields)) {
    const error = check((value as any)[field], inner, `${path}.${field}`);
    if (error) return error;
  }
  return undefined;
}

/** Throws 400 when a field the sandbox reads has the wrong JSON type. */
export function checkShape(
  object: Record<string, unknown>,
  kind: string,
  version: string,
) {
  const shape: Shape = {
    fields: { metadata: META, status: 'object', ...KINDS[kind] },
  };
  const error = check(object, shape, kind);
  if (error) {
    throw badRequest(
      `${kind} in version "${version}" cannot be handled as a ${kind}: ${error}`,
    );
  }
}
