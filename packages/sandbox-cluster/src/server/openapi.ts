import {
  RESOURCES,
  ResourceType,
  apiVersionOf,
  groupVersions,
} from '../api/resources';

/** Where a group version's OpenAPI v3 document lives, relative to `/openapi/v3/`. */
const docPath = (gv: { group: string; version: string }) =>
  gv.group ? `apis/${apiVersionOf(gv)}` : 'api/v1';

/** `/openapi/v3`: the index of group-version documents. */
export function openApiV3Index() {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const gv of groupVersions()) {
    paths[docPath(gv)] = {
      serverRelativeURL: `/openapi/v3/${docPath(gv)}?hash=sandbox`,
    };
  }
  return { paths };
}

const QUERY_PARAMS = [
  'dryRun',
  'fieldManager',
  'fieldValidation',
  'force',
  'pretty',
];

function itemPath(r: ResourceType) {
  const base = r.group ? `/apis/${apiVersionOf(r)}` : '/api/v1';
  return `${base}${r.namespaced ? '/namespaces/{namespace}' : ''}/${
    r.plural
  }/{name}`;
}

/**
 * A group version's OpenAPI v3 document. It declares each object path with its PATCH
 * operation, GVK extension and query parameters, which is what kubectl reads to decide
 * that the server validates fields itself (`fieldValidation`). It carries no schemas,
 * so for strategic merge patches kubectl uses its compiled-in types.
 */
export function openApiV3Document(path: string) {
  const gv = groupVersions().find(g => docPath(g) === path);
  if (!gv) return undefined;
  const paths: Record<string, unknown> = {};
  for (const r of RESOURCES.filter(
    x => x.group === gv.group && x.version === gv.version,
  )) {
    const gvk = { group: r.group, version: r.version, kind: r.kind };
    const params = [
      { name: 'name', in: 'path', required: true, schema: { type: 'string' } },
      ...(r.namespaced
        ? [
            {
              name: 'namespace',
              in: 'path',
              required: true,
              schema: { type: 'string' },
            },
          ]
        : []),
      ...QUERY_PARAMS.map(name => ({
        name,
        in: 'query',
        schema: { type: 'string' },
      })),
    ];
    // kubectl looks for the query parameters on the PATCH operation itself.
    const op = (action: string) => ({
      operationId: `${action}${r.kind}`,
      'x-kubernetes-action': action,
      'x-kubernetes-group-version-kind': gvk,
      parameters: params,
      responses: { '200': { description: 'OK' } },
    });
    paths[itemPath(r)] = {
      get: op('get'),
      put: op('put'),
      patch: op('patch'),
      delete: op('delete'),
    };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes (sandbox)', version: 'v1.32.0' },
    paths,
    components: { schemas: {} },
  };
}
