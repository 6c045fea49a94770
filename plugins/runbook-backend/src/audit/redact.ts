import {
  RunbookActionName,
  secretInputFields,
} from '@nexus-cos/plugin-runbook-common';

/**
 * Keys whose values are hidden wherever they appear. A key that is exactly `secret`
 * names a Secret object (as in rotate-secret) and stays; actions mark their secret
 * values in their definitions instead.
 */
const SENSITIVE_KEY =
  /pass(word)?|(?<!^)secret|secret(?!$)|token|credential|api[-_]?key|private[-_]?key|authorization/i;
const SENSITIVE_VALUE = [
  /bearer\s+[\w.~+/-]+=*/gi,
  /eyJ[\w-]+\.[\w-]+\.[\w-]+/g, // JWT
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g,
  /\b(?:ghp|gho|glpat|xox[abp]|sk_live|AKIA)[\w-]{8,}/g,
  /(?<=\b[a-z][a-z0-9+.-]*:\/\/)[^\s/@]+(?=@)/gi, // user:password of a URL
];

/** The marker that replaces a redacted value. */
export const REDACTED = '[redacted]';

/** Removes credentials from free text (a reason, an error message, a log line). */
export function redactText(text: string): string {
  return SENSITIVE_VALUE.reduce(
    (t, pattern) => t.replace(pattern, REDACTED),
    text,
  );
}

/**
 * A copy of a value with sensitive keys and credential-looking strings replaced, so
 * that audit rows, run logs and the logger never carry them.
 */
export function redact<T>(value: T): T {
  if (typeof value === 'string') return redactText(value) as T;
  if (Array.isArray(value)) return value.map(redact) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        SENSITIVE_KEY.test(k) ? REDACTED : redact(v),
      ]),
    ) as T;
  }
  return value;
}

/**
 * An action's input without its secrets: the fields its definition marks secret are
 * replaced, whatever their names. This is what a run stores and executes with.
 */
export function withoutSecrets(
  action: RunbookActionName,
  input: Record<string, unknown>,
): Record<string, unknown> {
  const copy = structuredClone(input);
  for (const path of secretInputFields(action)) {
    const keys = path.split('.');
    let node: Record<string, unknown> | undefined = copy;
    for (const key of keys.slice(0, -1)) {
      node = node?.[key] as Record<string, unknown> | undefined;
    }
    const last = keys[keys.length - 1];
    if (node && node[last] !== undefined) node[last] = REDACTED;
  }
  return copy;
}

/**
 * An action's input as audit rows and the API show it: without its secrets, and with
 * credential-looking strings hidden. Field names are not guessed at: the definition
 * says which fields are secret, so a field that names a Secret stays readable.
 */
export function redactInput(
  action: RunbookActionName,
  input: Record<string, unknown>,
): Record<string, unknown> {
  return redactValues(withoutSecrets(action, input));
}

function redactValues<T>(value: T): T {
  if (typeof value === 'string') return redactText(value) as T;
  if (Array.isArray(value)) return value.map(redactValues) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, redactValues(v)]),
    ) as T;
  }
  return value;
}
