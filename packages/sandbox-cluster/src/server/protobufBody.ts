import { INamespace, Root, Type } from 'protobufjs';
import { ApiError, badRequest } from '../api/errors';

/** The media type kubectl's typed clients send objects in. */
export const PROTOBUF = 'application/vnd.kubernetes.protobuf';

/** Every protobuf body starts with `k8s\0`, then a runtime.Unknown. */
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

type Fields = Record<
  string,
  { id: number; type: string; rule?: 'repeated'; keyType?: string }
>;

const optional = (id: number, type = 'string') => ({ id, type });
const repeated = (id: number, type = 'string') => ({
  id,
  type,
  rule: 'repeated' as const,
});
const map = (id: number, type = 'string') => ({ id, type, keyType: 'string' });
const message = (fields: Fields) => ({ fields });

/**
 * The messages kubectl's `create` commands send, with the field numbers of k8s.io/api's
 * and apimachinery's generated.proto (proto2; maps travel as repeated key/value entries,
 * which protobufjs map fields read). Fields the server sets itself, such as timestamps
 * and managedFields, are left out and so skipped.
 */
const DESCRIPTOR: INamespace = {
  nested: {
    runtime: {
      nested: {
        TypeMeta: message({ apiVersion: optional(1), kind: optional(2) }),
        Unknown: message({
          typeMeta: optional(1, 'TypeMeta'),
          raw: optional(2, 'bytes'),
          contentEncoding: optional(3),
          contentType: optional(4),
        }),
      },
    },
    meta: {
      nested: {
        ObjectMeta: message({
          name: optional(1),
          generateName: optional(2),
          namespace: optional(3),
          uid: optional(5),
          resourceVersion: optional(6),
          generation: optional(7, 'int64'),
          deletionGracePeriodSeconds: optional(10, 'int64'),
          labels: map(11),
          annotations: map(12),
          ownerReferences: repeated(13, 'OwnerReference'),
          finalizers: repeated(14),
        }),
        OwnerReference: message({
          kind: optional(1),
          name: optional(3),
          uid: optional(4),
          apiVersion: optional(5),
          controller: optional(6, 'bool'),
          blockOwnerDeletion: optional(7, 'bool'),
        }),
        LabelSelector: message({
          matchLabels: map(1),
          matchExpressions: repeated(2, 'LabelSelectorRequirement'),
        }),
        LabelSelectorRequirement: message({
          key: optional(1),
          operator: optional(2),
          values: repeated(3),
        }),
      },
    },
    core: {
      nested: {
        Secret: message({
          metadata: optional(1, 'meta.ObjectMeta'),
          data: map(2, 'bytes'),
          type: optional(3),
          stringData: map(4),
          immutable: optional(5, 'bool'),
        }),
        ConfigMap: message({
          metadata: optional(1, 'meta.ObjectMeta'),
          data: map(2),
          binaryData: map(3, 'bytes'),
          immutable: optional(4, 'bool'),
        }),
        Namespace: message({
          metadata: optional(1, 'meta.ObjectMeta'),
          spec: optional(2, 'NamespaceSpec'),
        }),
        NamespaceSpec: message({ finalizers: repeated(1) }),
        ServiceAccount: message({
          metadata: optional(1, 'meta.ObjectMeta'),
          secrets: repeated(2, 'ObjectReference'),
          imagePullSecrets: repeated(3, 'LocalObjectReference'),
          automountServiceAccountToken: optional(4, 'bool'),
        }),
        ObjectReference: message({
          kind: optional(1),
          namespace: optional(2),
          name: optional(3),
          uid: optional(4),
          apiVersion: optional(5),
          resourceVersion: optional(6),
          fieldPath: optional(7),
        }),
        LocalObjectReference: message({ name: optional(1) }),
      },
    },
    rbac: {
      nested: {
        PolicyRule: message({
          verbs: repeated(1),
          apiGroups: repeated(2),
          resources: repeated(3),
          resourceNames: repeated(4),
          nonResourceURLs: repeated(5),
        }),
        Role: message({
          metadata: optional(1, 'meta.ObjectMeta'),
          rules: repeated(2, 'PolicyRule'),
        }),
        ClusterRole: message({
          metadata: optional(1, 'meta.ObjectMeta'),
          rules: repeated(2, 'PolicyRule'),
          aggregationRule: optional(3, 'AggregationRule'),
        }),
        AggregationRule: message({
          clusterRoleSelectors: repeated(1, 'meta.LabelSelector'),
        }),
        RoleRef: message({
          apiGroup: optional(1),
          kind: optional(2),
          name: optional(3),
        }),
        Subject: message({
          kind: optional(1),
          apiGroup: optional(2),
          name: optional(3),
          namespace: optional(4),
        }),
        RoleBinding: message({
          metadata: optional(1, 'meta.ObjectMeta'),
          subjects: repeated(2, 'Subject'),
          roleRef: optional(3, 'RoleRef'),
        }),
        ClusterRoleBinding: message({
          metadata: optional(1, 'meta.ObjectMeta'),
          subjects: repeated(2, 'Subject'),
          roleRef: optional(3, 'RoleRef'),
        }),
      },
    },
  },
};

const root = Root.fromJSON(DESCRIPTOR).resolveAll();
const UNKNOWN = root.lookupType('runtime.Unknown');

/** `<apiVersion>/<kind>` → message type, for the kinds whose protobuf bodies are read. */
const KINDS: Record<string, Type> = Object.fromEntries(
  [
    ['v1', 'core', ['Secret', 'ConfigMap', 'Namespace', 'ServiceAccount']],
    [
      'rbac.authorization.k8s.io/v1',
      'rbac',
      ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'],
    ],
  ].flatMap(([apiVersion, pkg, kinds]) =>
    (kinds as string[]).map(kind => [
      `${apiVersion}/${kind}`,
      root.lookupType(`${pkg}.${kind}`),
    ]),
  ),
);

/**
 * Go's generated marshallers write every non-pointer string and int, empty or zero;
 * JSON omits them (`omitempty`). Drop them, and empty lists and maps, so the object reads
 * as kubectl's JSON would. Map values and list items stay as sent: `""` is a valid value
 * there (the core API group, an empty Secret key).
 */
function pruneZeroes(type: Type, value: Record<string, any>) {
  for (const field of type.fieldsArray) {
    const v = value[field.name];
    if (v === undefined) continue;
    const nested =
      field.resolvedType instanceof Type ? field.resolvedType : undefined;
    if (nested && !field.map) {
      for (const item of field.repeated ? v : [v]) pruneZeroes(nested, item);
    }
    const empty =
      v === '' ||
      (field.name === 'generation' && v === 0) ||
      (Array.isArray(v) && v.length === 0) ||
      (typeof v === 'object' &&
        !Array.isArray(v) &&
        Object.keys(v).length === 0);
    if (empty) delete value[field.name];
  }
  return value;
}

const unsupported = (what: string) =>
  new ApiError(415, 'UnsupportedMediaType', what);

/**
 * Decodes a `application/vnd.kubernetes.protobuf` request body into the JSON object it
 * stands for: the `k8s\0` envelope, its runtime.Unknown (type meta, raw bytes), then the
 * object's own message. Kinds not listed in KINDS answer 415.
 */
export function decodeProtobufObject(bytes: Buffer): Record<string, unknown> {
  if (bytes.length < MAGIC.length || !bytes.subarray(0, 4).equals(MAGIC))
    throw badRequest(
      'the body is not a Kubernetes protobuf message: it must start with "k8s\\x00"',
    );
  let envelope: Record<string, any>;
  try {
    envelope = UNKNOWN.decode(bytes.subarray(4));
  } catch (e) {
    throw badRequest(
      `the protobuf envelope cannot be decoded: ${(e as Error).message}`,
    );
  }
  if (envelope.contentEncoding)
    throw unsupported(
      `protobuf bodies with contentEncoding "${envelope.contentEncoding}" are not supported`,
    );
  const apiVersion = envelope.typeMeta?.apiVersion ?? '';
  const kind = envelope.typeMeta?.kind ?? '';
  const type = KINDS[`${apiVersion}/${kind}`];
  if (!type) {
    throw unsupported(
      `the sandbox reads protobuf bodies of ${Object.keys(KINDS).join(
        ', ',
      )} only, not ${apiVersion}/${kind}: send application/json`,
    );
  }
  let object: Record<string, any>;
  try {
    object = type.toObject(type.decode(envelope.raw ?? Buffer.alloc(0)), {
      longs: Number,
      bytes: String,
    });
  } catch (e) {
    throw badRequest(
      `the ${kind} in the protobuf body cannot be decoded: ${
        (e as Error).message
      }`,
    );
  }
  return { apiVersion, kind, ...pruneZeroes(type, object) };
}
