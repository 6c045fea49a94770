const SENSITIVE_KEY =
  /pass(word)?|secret|token|credential|api[-_]?key|private[-_]?key|authorization/i;
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
