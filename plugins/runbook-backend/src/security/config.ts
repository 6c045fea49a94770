import { Config } from '@backstage/config';
import { GENERATED_SECRET_LENGTH } from '@nexus-cos/plugin-runbook-common';

/** Where the consumers of a database role read its credentials. */
export type DatabaseSecretRef = {
  namespace: string;
  name: string;
  /** Key holding the role's name, checked against `role` when set. */
  usernameKey?: string;
  passwordKey: string;
};

/** `runbook.security.databasePasswords.<dr target>`: the application role rotate-db-password changes. */
export type DatabasePasswordConfig = {
  role: string;
  secret: DatabaseSecretRef;
};

/** `runbook.security.*` with defaults applied (see config.d.ts). */
export type SecurityConfig = {
  refreshIntervalSeconds: number;
  certificateWarningDays: number;
  /** CRITICAL findings of an image above which health reports a reason. */
  criticalVulnerabilities: number;
  reviewMaxAgeDays: number;
  rotationMaxAgeDays: number;
  rotation: { alphabet: string; length: number };
  vulnerabilityReports: { maxBodyBytes: number };
  databasePasswords: Map<string, DatabasePasswordConfig>;
};

const DEFAULT_ALPHABET =
  'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const ROLE = /^[a-z_][a-z0-9_]{0,62}$/;
const KEY = /^[-._a-zA-Z0-9]+$/;

export function readSecurityConfig(root: Config): SecurityConfig {
  const c = root.getOptionalConfig('runbook.security');
  const num = (key: string, fallback: number, min = 0) => {
    const value = c?.getOptionalNumber(key) ?? fallback;
    if (!(value >= min))
      throw new Error(`runbook.security.${key} must be at least ${min}`);
    return value;
  };
  const alphabet =
    c?.getOptionalString('rotation.alphabet') ?? DEFAULT_ALPHABET;
  const distinct = new Set(alphabet);
  if (distinct.size !== alphabet.length || distinct.size < 16) {
    throw new Error(
      'runbook.security.rotation.alphabet must have at least 16 characters, each once',
    );
  }
  if (!/^[\x21-\x7e]+$/.test(alphabet)) {
    throw new Error(
      'runbook.security.rotation.alphabet must be visible ASCII characters',
    );
  }
  const length = num('rotation.length', 32, GENERATED_SECRET_LENGTH.min);
  if (length > GENERATED_SECRET_LENGTH.max || !Number.isInteger(length)) {
    throw new Error(
      `runbook.security.rotation.length must be a whole number from ${GENERATED_SECRET_LENGTH.min} to ${GENERATED_SECRET_LENGTH.max}`,
    );
  }
  return {
    refreshIntervalSeconds: num('refreshIntervalSeconds', 120, 1),
    certificateWarningDays: num('certificateWarningDays', 30),
    criticalVulnerabilities: num('criticalVulnerabilities', 0),
    reviewMaxAgeDays: num('reviewMaxAgeDays', 90, 1),
    rotationMaxAgeDays: num('rotationMaxAgeDays', 90, 1),
    rotation: { alphabet, length },
    vulnerabilityReports: {
      maxBodyBytes: num(
        'vulnerabilityReports.maxBodyBytes',
        10 * 1024 * 1024,
        1024,
      ),
    },
    databasePasswords: readDatabasePasswords(root),
  };
}

function readDatabasePasswords(root: Config) {
  const out = new Map<string, DatabasePasswordConfig>();
  const c = root.getOptionalConfig('runbook.security.databasePasswords');
  for (const target of c?.keys() ?? []) {
    const t = c!.getConfig(target);
    const at = `runbook.security.databasePasswords.${target}`;
    const role = t.getString('role');
    if (!ROLE.test(role)) {
      throw new Error(
        `${at}.role must be a role name of lower-case letters, digits and "_"`,
      );
    }
    const connection = root.getOptionalString(
      `runbook.drTargets.${target}.connection`,
    );
    if (connection && safeUser(connection) === role) {
      throw new Error(
        `${at}.role must not be the user of runbook.drTargets.${target}.connection: the portal never rotates its own connection`,
      );
    }
    const s = t.getConfig('secret');
    const secret: DatabaseSecretRef = {
      namespace: s.getString('namespace'),
      name: s.getString('name'),
      usernameKey: s.getOptionalString('usernameKey'),
      passwordKey: s.getOptionalString('passwordKey') ?? 'password',
    };
    for (const key of [secret.usernameKey, secret.passwordKey]) {
      if (key !== undefined && !KEY.test(key)) {
        throw new Error(`${at}.secret keys must be Secret data keys`);
      }
    }
    out.set(target, { role, secret });
  }
  return out;
}

function safeUser(connection: string): string | undefined {
  try {
    return decodeURIComponent(new URL(connection).username) || undefined;
  } catch {
    return undefined;
  }
}
