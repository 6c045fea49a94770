import { badRequest } from './errors';
import { KubeObject } from '../store/types';
import { ResourceType } from './resources';

type Requirement =
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | '!exists' };

/** A parsed label selector; `matches` takes the object's labels. */
export interface LabelSelector {
  matches(labels: Record<string, string> | undefined): boolean;
}

/** Splits on commas that are not inside `( )`. */
function splitTerms(text: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth += 1;
    if (ch === ')') depth -= 1;
    if (ch === ',' && depth === 0) {
      terms.push(current);
      current = '';
    } else current += ch;
  }
  terms.push(current);
  return terms.map(t => t.trim()).filter(Boolean);
}

/** A label key: optional DNS prefix plus `/`, then a name. */
export const LABEL_KEY =
  /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

function parseTerm(term: string): Requirement {
  const set = term.match(/^(\S+)\s+(in|notin)\s+\((.*)\)$/);
  let req: Requirement;
  if (set) {
    req = {
      key: set[1],
      op: set[2] as 'in' | 'notin',
      values: set[3].split(',').map(v => v.trim()),
    };
  } else {
    const eq = term.match(/^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/);
    if (eq) {
      req = {
        key: eq[1],
        op: eq[2] === '!=' ? 'notin' : 'in',
        values: [eq[3]],
      };
    } else if (term.startsWith('!')) {
      req = { key: term.slice(1).trim(), op: '!exists' };
    } else {
      req = { key: term, op: 'exists' };
    }
  }
  if (!LABEL_KEY.test(req.key)) {
    throw badRequest(
      `unable to parse requirement: invalid label key "${req.key}" in selector "${term}"`,
    );
  }
  return req;
}

export function parseLabelSelector(text: string | undefined): LabelSelector {
  const reqs = text ? splitTerms(text).map(parseTerm) : [];
  return {
    matches(labels) {
      return reqs.every(r => {
        const has = labels !== undefined && r.key in labels;
        switch (r.op) {
          case 'exists':
            return has;
          case '!exists':
            return !has;
          case 'in':
            return has && r.values.includes(labels![r.key]);
          default:
            return !has || !r.values.includes(labels![r.key]);
        }
      });
    },
  };
}

/** Label selector of a workload (`matchLabels` + `matchExpressions`) as a string. */
export function selectorToString(selector: {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{
    key: string;
    operator: string;
    values?: string[];
  }>;
}): string {
  const terms = Object.entries(selector.matchLabels ?? {}).map(
    ([k, v]) => `${k}=${v}`,
  );
  for (const e of selector.matchExpressions ?? []) {
    const op = e.operator.toLowerCase();
    if (op === 'exists') terms.push(e.key);
    else if (op === 'doesnotexist') terms.push(`!${e.key}`);
    else terms.push(`${e.key} ${op} (${(e.values ?? []).join(',')})`);
  }
  return terms.join(',');
}

function fieldValue(object: KubeObject, path: string): string {
  let value: any = object;
  for (const part of path.split('.')) value = value?.[part];
  if (path === 'source') value = object.source?.component;
  if (value === undefined || value === null) return '';
  return String(value);
}

/** A parsed field selector, restricted to the fields the resource supports. */
export function parseFieldSelector(
  text: string | undefined,
  resource: ResourceType,
): (object: KubeObject) => boolean {
  if (!text) return () => true;
  const allowed = [
    'metadata.name',
    'metadata.namespace',
    ...(resource.fieldSelectors ?? []),
  ];
  const terms = splitTerms(text).map(term => {
    const m = term.match(/^([^=!]+)(==|=|!=)(.*)$/);
    if (!m)
      throw badRequest(
        `invalid selector: '${text}'; can't understand '${term}'`,
      );
    const [, field, op, value] = m;
    if (!allowed.includes(field)) {
      throw badRequest(
        `field label not supported: ${field} (${
          resource.kind
        } supports ${allowed.join(', ')})`,
      );
    }
    return { field, negate: op === '!=', value };
  });
  return object =>
    terms.every(t => (fieldValue(object, t.field) === t.value) !== t.negate);
}
