import type {
  ActionFormField,
  FormValues,
} from '@nexus-cos/plugin-runbook-common';

/** What the page shows instead of a secret value. */
export const SECRET_MASK = '••••••';

function valueAt(input: unknown, keys: string[]): unknown {
  return keys.reduce<unknown>(
    (node, key) =>
      node && typeof node === 'object'
        ? (node as Record<string, unknown>)[key]
        : undefined,
    input,
  );
}

const typed = (values: unknown[]) =>
  values
    .filter(
      (v): v is string | number =>
        (typeof v === 'string' && v !== '') || typeof v === 'number',
    )
    .map(String);

/** What the user has typed into a form's secret fields. */
export function secretFormValues(
  fields: readonly ActionFormField[],
  values: FormValues,
): string[] {
  return typed(fields.filter(f => f.secret).map(f => values[f.name]));
}

/** The values of the secret fields in an action's input. */
export function secretInputValues(
  fields: readonly ActionFormField[],
  input: unknown,
): string[] {
  return typed(
    fields.filter(f => f.secret).map(f => valueAt(input, f.name.split('.'))),
  );
}

const base64 = (text: string) =>
  btoa(String.fromCharCode(...new TextEncoder().encode(text)));

/**
 * `text` with every secret masked: as typed, as JSON writes it inside a string, and in
 * base64, the form a Kubernetes Secret's `data` holds it in. The engine never echoes a
 * secret; this keeps the page from showing one should an answer do so anyway.
 */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  const forms = secrets.flatMap(s => [
    s,
    JSON.stringify(s).slice(1, -1),
    base64(s),
  ]);
  return [...new Set(forms)]
    .sort((a, b) => b.length - a.length)
    .reduce((masked, form) => masked.split(form).join(SECRET_MASK), text);
}

/** An error whose message has the secrets masked, for showing it. */
export function maskSecretsInError(
  error: Error,
  secrets: readonly string[],
): Error {
  const message = maskSecrets(error.message, secrets);
  if (message === error.message) return error;
  const masked = new Error(message);
  masked.name = error.name;
  return masked;
}

/** An input with the values of its secret fields masked, for showing a run's input. */
export function maskSecretInputs(
  fields: readonly ActionFormField[],
  input: Record<string, unknown>,
): Record<string, unknown> {
  const masked = JSON.parse(JSON.stringify(input)) as Record<string, unknown>;
  for (const field of fields.filter(f => f.secret)) {
    const keys = field.name.split('.');
    const key = keys.pop()!;
    const parent = valueAt(masked, keys);
    if (parent && typeof parent === 'object' && key in parent) {
      (parent as Record<string, unknown>)[key] = SECRET_MASK;
    }
  }
  return masked;
}
