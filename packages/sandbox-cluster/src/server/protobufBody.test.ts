import { Root } from 'protobufjs';
import { ApiError } from '../api/errors';
import { decodeProtobufObject } from './protobufBody';

/**
 * Request bodies captured from `kubectl create ... --dry-run=server -v=9` (v1.32.4),
 * so the field numbers are checked against what the real client sends.
 */
const CAPTURED = {
  secret:
    '6b3873000a0c0a027631120653656372657412230a170a017812001a067465616d2d7822002a0032003800420012060a01611201621a001a002200',
  roleBinding:
    '6b3873000a2b0a1c726261632e617574686f72697a6174696f6e2e6b38732e696f2f7631120b526f6c6542696e64696e671299010a190a0372623912001a067465616d2d7822002a00320038004200122a0a04557365721219726261632e617574686f72697a6174696f6e2e6b38732e696f1a05616c696365220012210a0e536572766963654163636f756e7412001a05726f626f7422067465616d2d781a2d0a19726261632e617574686f72697a6174696f6e2e6b38732e696f1204526f6c651a0a706f642d7265616465721a002200',
  clusterRole:
    '6b3873000a2b0a1c726261632e617574686f72697a6174696f6e2e6b38732e696f2f7631120b436c7573746572526f6c65122e0a130a0363723912001a0022002a0032003800420012170a036765740a046c69737412001a04706f6473220270311a002200',
  configMap:
    '6b3873000a0f0a0276311209436f6e6669674d617012220a180a02633912001a067465616d2d7822002a0032003800420012060a016b1201761a002200',
  namespace:
    '6b3873000a0f0a02763112094e616d657370616365121b0a130a036e733912001a0022002a0032003800420012001a020a001a002200',
  serviceAccount:
    '6b3873000a140a027631120e536572766963654163636f756e74121b0a190a0373613912001a067465616d2d7822002a003200380042001a002200',
};

const decode = (hex: string) => decodeProtobufObject(Buffer.from(hex, 'hex'));

/** An envelope around arbitrary type meta and raw bytes, built from the published schema. */
function envelope(apiVersion: string, kind: string, extra: object = {}) {
  const root = Root.fromJSON({
    nested: {
      TypeMeta: {
        fields: {
          apiVersion: { id: 1, type: 'string' },
          kind: { id: 2, type: 'string' },
        },
      },
      Unknown: {
        fields: {
          typeMeta: { id: 1, type: 'TypeMeta' },
          raw: { id: 2, type: 'bytes' },
          contentEncoding: { id: 3, type: 'string' },
        },
      },
    },
  });
  const unknown = root.lookupType('Unknown');
  return Buffer.concat([
    Buffer.from('k8s\0'),
    unknown
      .encode(
        unknown.create({
          typeMeta: { apiVersion, kind },
          raw: Buffer.alloc(0),
          ...extra,
        }),
      )
      .finish(),
  ]);
}

function errorOf(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (e) {
    return e as ApiError;
  }
  throw new Error('expected an error');
}

describe('protobuf request bodies', () => {
  it('decodes Secrets, with data as base64 bytes and no Go zero values', () => {
    expect(decode(CAPTURED.secret)).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'x', namespace: 'team-x' },
      data: { a: Buffer.from('b').toString('base64') },
    });
  });

  it('decodes RoleBindings with their subjects and roleRef', () => {
    expect(decode(CAPTURED.roleBinding)).toEqual({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'rb9', namespace: 'team-x' },
      subjects: [
        { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'alice' },
        { kind: 'ServiceAccount', name: 'robot', namespace: 'team-x' },
      ],
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'Role',
        name: 'pod-reader',
      },
    });
  });

  it('keeps the core API group "" inside rules', () => {
    expect(decode(CAPTURED.clusterRole)).toEqual({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'cr9' },
      rules: [
        {
          verbs: ['get', 'list'],
          apiGroups: [''],
          resources: ['pods'],
          resourceNames: ['p1'],
        },
      ],
    });
  });

  it('decodes ConfigMaps, Namespaces and ServiceAccounts', () => {
    expect(decode(CAPTURED.configMap)).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c9', namespace: 'team-x' },
      data: { k: 'v' },
    });
    expect(decode(CAPTURED.namespace)).toEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'ns9' },
    });
    expect(decode(CAPTURED.serviceAccount)).toEqual({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'sa9', namespace: 'team-x' },
    });
  });

  it('rejects bodies without the k8s envelope with 400', () => {
    const error = errorOf(() =>
      decodeProtobufObject(Buffer.from('{"kind":"Secret"}')),
    );
    expect([error.code, error.message]).toEqual([
      400,
      'the body is not a Kubernetes protobuf message: it must start with "k8s\\x00"',
    ]);
  });

  it('answers 415 for kinds it cannot decode and for encoded contents', () => {
    const deployment = errorOf(() =>
      decodeProtobufObject(envelope('apps/v1', 'Deployment')),
    );
    expect(deployment.code).toBe(415);
    expect(deployment.message).toContain(
      'not apps/v1/Deployment: send application/json',
    );
    const gzip = errorOf(() =>
      decodeProtobufObject(
        envelope('v1', 'Secret', { contentEncoding: 'gzip' }),
      ),
    );
    expect(gzip.code).toBe(415);
  });
});
