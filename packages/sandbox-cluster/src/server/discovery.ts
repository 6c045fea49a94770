import {
  RESOURCES,
  apiVersionOf,
  groupVersions,
  verbsOf,
} from '../api/resources';

/** `/version`: the Kubernetes release the sandbox answers as. */
export function versionInfo() {
  return {
    major: '1',
    minor: '32',
    gitVersion: 'v1.32.0-sandbox',
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    goVersion: 'go1.23.0',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

/** `/api`: the legacy core group's versions. */
export function coreVersions(serverAddress: string) {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function apiGroup(group: string) {
  const versions = groupVersions()
    .filter(gv => gv.group === group)
    .map(gv => ({ groupVersion: apiVersionOf(gv), version: gv.version }));
  return {
    kind: 'APIGroup',
    apiVersion: 'v1',
    name: group,
    versions,
    preferredVersion: versions[0],
  };
}

/** `/apis`: the named groups, in legacy (non-aggregated) form; clients fall back to it. */
export function apiGroupList() {
  const groups = [...new Set(groupVersions().map(gv => gv.group))].filter(
    Boolean,
  );
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groups.map(apiGroup),
  };
}

export function apiGroupInfo(group: string) {
  return groupVersions().some(gv => gv.group === group)
    ? apiGroup(group)
    : undefined;
}

function subresourceShape(kind: string, sub: string) {
  if (sub === 'scale')
    return {
      group: 'autoscaling',
      version: 'v1',
      kind: 'Scale',
      verbs: ['get', 'patch', 'update'],
    };
  if (sub === 'log') return { kind, verbs: ['get'] };
  return { kind, verbs: ['get', 'patch', 'update'] };
}

/** `/api/v1` or `/apis/<group>/<version>`: the resources and subresources served. */
export function apiResourceList(group: string, version: string) {
  const inVersion = RESOURCES.filter(
    r => r.group === group && r.version === version,
  );
  if (!inVersion.length) return undefined;
  const resources = inVersion.flatMap(r => [
    {
      name: r.plural,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: verbsOf(r),
      ...(r.shortNames ? { shortNames: r.shortNames } : {}),
      ...(r.categories ? { categories: r.categories } : {}),
    },
    ...r.subresources.map(sub => ({
      name: `${r.plural}/${sub}`,
      singularName: '',
      namespaced: r.namespaced,
      ...subresourceShape(r.kind, sub),
    })),
  ]);
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: apiVersionOf({ group, version }),
    resources,
  };
}
