import { badRequest } from '../api/errors';
import { isMap } from './mergePatch';

/**
 * Merge keys of the built-in types' lists (their `patchMergeKey` struct tags), looked
 * up by field name and the field it sits in. Lists not named here are replaced whole,
 * as for fields without a patch strategy.
 */
function mergeKeyOf(path: string[]): string | undefined {
  const field = path[path.length - 1];
  const parent = path[path.length - 2];
  switch (field) {
    case 'containers':
    case 'initContainers':
    case 'ephemeralContainers':
    case 'volumes':
    case 'imagePullSecrets':
    case 'env':
    case 'resourceClaims':
      return 'name';
    case 'ports':
      return parent === 'containers' || parent === 'initContainers'
        ? 'containerPort'
        : 'port';
    case 'volumeMounts':
      return 'mountPath';
    case 'volumeDevices':
      return 'devicePath';
    case 'conditions':
      return 'type';
    case 'ownerReferences':
      return 'uid';
    case 'hostAliases':
      return 'ip';
    case 'topologySpreadConstraints':
      return 'topologyKey';
    default:
      return undefined;
  }
}

/** Lists of scalars whose patch strategy is merge (set union). */
const PRIMITIVE_MERGE_LISTS = new Set(['finalizers']);

const SET_ORDER = '$setElementOrder/';
const DELETE_FROM = '$deleteFromPrimitiveList/';

/**
 * Applies a Kubernetes strategic merge patch, including the directives `kubectl`
 * sends: `$patch` (replace/delete/merge), `$retainKeys`, `$setElementOrder/<list>` and
 * `$deleteFromPrimitiveList/<list>`.
 */
export function applyStrategicMergePatch(
  target: unknown,
  patch: unknown,
): unknown {
  if (!isMap(patch))
    throw badRequest('strategic merge patch must be a JSON object');
  return mergeMap(isMap(target) ? target : {}, patch, []);
}

function mergeMap(
  target: Record<string, any>,
  patch: Record<string, any>,
  path: string[],
): Record<string, any> | undefined {
  const directive = patch.$patch;
  if (directive === 'delete') return undefined;
  if (directive === 'replace') return stripDirectives(patch);
  if (directive !== undefined && directive !== 'merge') {
    throw badRequest(`unknown patch type: ${JSON.stringify(directive)} in map`);
  }
  const result: Record<string, any> = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch' || key === '$retainKeys') continue;
    if (key.startsWith(SET_ORDER) || key.startsWith(DELETE_FROM)) continue;
    if (value === null) {
      delete result[key];
      continue;
    }
    const childPath = [...path, key];
    if (Array.isArray(value)) {
      result[key] = mergeList(result[key], value, childPath);
    } else if (isMap(value)) {
      const merged = mergeMap(
        isMap(result[key]) ? result[key] : {},
        value,
        childPath,
      );
      if (merged === undefined) delete result[key];
      else result[key] = merged;
    } else {
      result[key] = value;
    }
  }
  for (const key of Object.keys(patch)) {
    if (key.startsWith(DELETE_FROM)) {
      const field = key.slice(DELETE_FROM.length);
      const remove = asList(patch[key], key);
      if (Array.isArray(result[field])) {
        result[field] = result[field].filter(
          (v: unknown) => !remove.includes(v),
        );
      }
    }
    if (key.startsWith(SET_ORDER)) {
      const field = key.slice(SET_ORDER.length);
      if (Array.isArray(result[field])) {
        result[field] = reorder(
          result[field],
          asList(patch[key], key),
          mergeKeyOf([...path, field]),
        );
      }
    }
  }
  if (patch.$retainKeys !== undefined) {
    const retain = asList(patch.$retainKeys, '$retainKeys');
    for (const key of Object.keys(result)) {
      if (!retain.includes(key)) delete result[key];
    }
  }
  return result;
}

function mergeList(
  target: unknown,
  patch: unknown[],
  path: string[],
): unknown[] {
  const field = path[path.length - 1];
  const current = Array.isArray(target) ? target : [];
  if (patch.some(item => isMap(item) && item.$patch === 'replace')) {
    return patch
      .filter(item => !(isMap(item) && item.$patch === 'replace'))
      .map(stripDirectivesAny);
  }
  if (PRIMITIVE_MERGE_LISTS.has(field)) {
    return [...current, ...patch.filter(v => !current.includes(v))];
  }
  const mergeKey = mergeKeyOf(path);
  if (!mergeKey) return patch.map(stripDirectivesAny);
  const result = [...current];
  for (const item of patch) {
    if (!isMap(item))
      throw badRequest(
        `${path.join('.')}: list items must be objects with "${mergeKey}"`,
      );
    const keyValue = item[mergeKey];
    if (keyValue === undefined) {
      throw badRequest(
        `map: ${JSON.stringify(
          item,
        )} does not contain declared merge key: ${mergeKey}`,
      );
    }
    const index = result.findIndex(e => isMap(e) && e[mergeKey] === keyValue);
    if (item.$patch === 'delete') {
      if (index >= 0) result.splice(index, 1);
      continue;
    }
    if (index >= 0) {
      const merged = mergeMap(result[index], item, path);
      if (merged === undefined) result.splice(index, 1);
      else result[index] = merged;
    } else {
      result.push(mergeMap({}, item, path));
    }
  }
  return result;
}

/** Orders merged items as `$setElementOrder` lists them; unlisted items keep their place after. */
function reorder(items: any[], order: unknown[], mergeKey: string | undefined) {
  const keyOf = (v: any) => {
    if (!mergeKey) return v;
    return isMap(v) ? v[mergeKey] : undefined;
  };
  const orderKeys = order.map(o => (mergeKey && isMap(o) ? o[mergeKey] : o));
  const listed = orderKeys
    .map(k => items.find(i => keyOf(i) === k))
    .filter(i => i !== undefined);
  const rest = items.filter(i => !orderKeys.includes(keyOf(i)));
  return [...listed, ...rest];
}

function asList(value: unknown, name: string): unknown[] {
  if (!Array.isArray(value)) throw badRequest(`${name} must be a list`);
  return value;
}

function stripDirectives(map: Record<string, any>): Record<string, any> {
  const out: Record<string, any> = {};
  for (const [k, v] of Object.entries(map)) {
    if (k.startsWith('$')) continue;
    out[k] = stripDirectivesAny(v);
  }
  return out;
}

function stripDirectivesAny(value: unknown): any {
  if (Array.isArray(value)) return value.map(stripDirectivesAny);
  if (isMap(value)) return stripDirectives(value);
  return value;
}
