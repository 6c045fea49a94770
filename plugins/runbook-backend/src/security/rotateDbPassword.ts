import { InputError } from '@backstage/errors';
import type { V1Secret } from '@kubernetes/client-node';
import type { ObjectDiff } from '@nexus-cos/plugin-runbook-common';
import type {
  ExecutorContext,
  PreparedChange,
  RunbookActionExecutor,
  RunbookTarget,
} from '@nexus-cos/plugin-runbook-node';
import type { DrTargetConfig } from '../backup/config';
import { parseConnection } from '../backup/PostgresBackupProvider';
import { HIDDEN_SECRET_VALUE, diffObjects } from '../kubernetes/diff';
import {
  ClusterClients,
  KubernetesClients,
  patchAs,
  withApiErrors as api,
} from '../kubernetes/KubernetesClients';
import type { DatabasePasswordConfig } from './config';
import { setRolePassword, tryRoleLogin } from './postgresRole';
import {
  Consumer,
  ROTATED_AT_ANNOTATION,
  b64,
  backupName,
  consumerDiffs,
  consumersOf,
  createBackup,
  deleteSecret,
  generateValue,
  readSecret,
  rollConsumers,
  unb64,
  verifyConsumers,
} from './rotationSteps';
import type { SecurityInventory } from './SecurityInventory';

/** Stored with the run: where things are, never a password. */
type Undo = {
  role: string;
  namespace: string;
  secret: string;
  passwordKey: string;
  rotatedAt: string | null;
  consumers: Consumer[];
};

const notConfigured = (target: string) =>
  `rotate-db-password: no application role is configured for ${target} (runbook.security.databasePasswords.${target})`;

/**
 * `rotate-db-password` on a DR-target Resource, the runbook's `rotate-db-password.sh`:
 * (1) `ALTER ROLE … PASSWORD` for the configured application role, through the DR
 * target's admin connection, which is never that role; (2) the Secret its consumers read
 * gets the new password; (3) they roll; (4) a real connection as the role, with the
 * password read back from the Secret, must succeed; (5) on failure the previous password
 * (kept in `<secret>-rotation-backup` meanwhile) goes back into the database and the
 * Secret, and the consumers roll back.
 */
export function rotateDbPassword(deps: {
  clients: KubernetesClients;
  pollIntervalMs: number;
  rotation: { alphabet: string; length: number };
  inventory: SecurityInventory;
  drTargets: Map<string, DrTargetConfig>;
  passwords: Map<string, DatabasePasswordConfig>;
}): RunbookActionExecutor<'rotate-db-password'> {
  const refreshed = () => deps.inventory.refresh().catch(() => undefined);
  const settingsOf = (target: RunbookTarget) => {
    const config = deps.passwords.get(target.service);
    const drTarget = deps.drTargets.get(target.service);
    if (!config || !drTarget)
      throw new InputError(notConfigured(target.service));
    return { ...config, admin: parseConnection(drTarget.connection) };
  };

  /** The configured Secret, which the input must name; its password key must be there. */
  async function configuredSecret(
    c: ClusterClients,
    target: RunbookTarget,
    input: { secret: string },
  ): Promise<{ settings: ReturnType<typeof settingsOf>; secret: V1Secret }> {
    const settings = settingsOf(target);
    const ref = settings.secret;
    if (input.secret !== ref.name) {
      throw new InputError(
        `secret: the role ${settings.role} of ${target.service} is configured with Secret ${ref.namespace}/${ref.name}, not ${input.secret}`,
      );
    }
    const secret = await api(() => readSecret(c, ref.namespace, ref.name));
    if (!secret) {
      throw new InputError(
        `secret: there is no Secret ${ref.name} in ${ref.namespace}`,
      );
    }
    if (!secret.data?.[ref.passwordKey]) {
      throw new InputError(
        `secret: Secret ${ref.name} has no key ${ref.passwordKey} (runbook.security.databasePasswords.${target.service}.secret.passwordKey)`,
      );
    }
    if (ref.usernameKey) {
      const user = secret.data?.[ref.usernameKey];
      if (!user || unb64(user) !== settings.role) {
        throw new InputError(
          `secret: key ${ref.usernameKey} of Secret ${ref.name} does not name the role ${settings.role}`,
        );
      }
    }
    return { settings, secret };
  }

  const clients = (t: RunbookTarget) => deps.clients.for(t.cluster);

  async function restore(
    target: RunbookTarget,
    undo: Undo,
    ctx: ExecutorContext,
  ): Promise<boolean> {
    const c = clients(target);
    const backup = await api(() =>
      readSecret(c, undo.namespace, backupName(undo.secret)),
    );
    if (!backup) return false;
    const previous = unb64(backup.data?.[undo.passwordKey] ?? '');
    await setRolePassword(settingsOf(target).admin, undo.role, previous);
    await ctx.log(`Role ${undo.role} has its previous password again`);
    await api(() =>
      c.core.patchNamespacedSecret(
        {
          name: undo.secret,
          namespace: undo.namespace,
          body: {
            metadata: {
              annotations: { [ROTATED_AT_ANNOTATION]: undo.rotatedAt },
            },
            data: { [undo.passwordKey]: backup.data?.[undo.passwordKey] },
          },
        },
        patchAs('merge'),
      ),
    );
    await ctx.log(`Secret ${undo.secret} has the previous password again`);
    await rollConsumers(
      c,
      undo.namespace,
      undo.secret,
      undo.consumers.map(d => ({ name: d.name, value: d.previous })),
      ctx,
    );
    await verifyConsumers(
      c,
      undo.namespace,
      undo.consumers.map(d => d.name),
      { ...ctx, limits: { ...ctx.limits, healthWindowSeconds: 0 } },
      deps.pollIntervalMs,
    );
    return true;
  }

  return {
    refusal: ({ target }) =>
      target && !deps.passwords.has(target.service)
        ? notConfigured(target.service)
        : undefined,

    async stage(target, input) {
      await configuredSecret(clients(target), target, input);
      return { input, discard: async () => {} };
    },

    async dryRun(target, input): Promise<ObjectDiff[]> {
      const c = clients(target);
      const { settings, secret } = await configuredSecret(c, target, input);
      const { namespace } = settings.secret;
      const after = await api(() =>
        c.core.patchNamespacedSecret(
          {
            name: input.secret,
            namespace,
            body: {
              metadata: {
                annotations: {
                  [ROTATED_AT_ANNOTATION]: new Date().toISOString(),
                },
              },
              data: {
                [settings.secret.passwordKey]: b64(
                  generateValue(deps.rotation.alphabet, deps.rotation.length),
                ),
              },
            },
            dryRun: 'All',
          },
          patchAs('merge'),
        ),
      );
      return [
        {
          kind: 'PostgreSQL role',
          name: settings.role,
          namespace: `${settings.admin.host}:${settings.admin.port}/${settings.admin.database}`,
          operation: 'update',
          changes: [
            {
              path: 'password',
              before: HIDDEN_SECRET_VALUE,
              after: HIDDEN_SECRET_VALUE,
            },
          ],
        },
        diffObjects('Secret', input.secret, namespace, secret, after),
        ...(await consumerDiffs(
          c,
          namespace,
          input.secret,
          await consumersOf(c, namespace, input.secret),
          after.metadata?.resourceVersion ?? 'next',
        )),
      ];
    },

    async prepare(target, input, ctx): Promise<PreparedChange> {
      const c = clients(target);
      const { settings, secret } = await configuredSecret(c, target, input);
      const { namespace, passwordKey } = settings.secret;
      if (await api(() => readSecret(c, namespace, backupName(input.secret)))) {
        throw new Error(
          `Secret ${backupName(
            input.secret,
          )} exists: an earlier rotation did not finish; check the role's password and the Secret, then delete it`,
        );
      }
      const current = await tryRoleLogin(
        settings.admin,
        settings.role,
        unb64(secret.data![passwordKey]),
      );
      if (!current.ok) {
        throw new Error(
          `The password in Secret ${namespace}/${input.secret} does not work for role ${settings.role} (${current.error}); fix that before rotating`,
        );
      }
      const consumers = (await consumersOf(c, namespace, input.secret)).map(
        ({ name, previous }) => ({ name, previous }),
      );
      await ctx.log(
        `Rotating the password of role ${settings.role}; Secret ${namespace}/${
          input.secret
        }; consumers: ${consumers.map(d => d.name).join(', ') || 'none'}`,
      );
      const undo: Undo = {
        role: settings.role,
        namespace,
        secret: input.secret,
        passwordKey,
        rotatedAt:
          secret.metadata?.annotations?.[ROTATED_AT_ANNOTATION] ?? null,
        consumers,
      };
      return {
        before: {
          role: settings.role,
          secret: `${namespace}/${input.secret}`,
          rotatedAt: undo.rotatedAt,
          consumers: consumers.map(d => d.name),
        },
        undo,
        plan: {},
      };
    },

    async apply(target, input, prepared, ctx) {
      const c = clients(target);
      const undo = prepared.undo as Undo;
      const { settings, secret } = await configuredSecret(c, target, input);
      await createBackup(c, undo.namespace, secret, undo.passwordKey, ctx);
      const password = generateValue(
        deps.rotation.alphabet,
        deps.rotation.length,
      );
      await setRolePassword(settings.admin, undo.role, password);
      await ctx.log(`Role ${undo.role} has a new password`);
      const updated = await api(() =>
        c.core.patchNamespacedSecret(
          {
            name: undo.secret,
            namespace: undo.namespace,
            body: {
              metadata: {
                annotations: {
                  [ROTATED_AT_ANNOTATION]: new Date().toISOString(),
                },
              },
              data: { [undo.passwordKey]: b64(password) },
            },
          },
          patchAs('merge'),
        ),
      );
      await ctx.log(`Secret ${undo.secret} has the new password`);
      await rollConsumers(
        c,
        undo.namespace,
        undo.secret,
        undo.consumers.map(d => ({
          name: d.name,
          value: updated.metadata?.resourceVersion ?? 'rotated',
        })),
        ctx,
      );
    },

    async converge(target, input, prepared, ctx) {
      const c = clients(target);
      const undo = prepared.undo as Undo;
      const settings = settingsOf(target);
      await verifyConsumers(
        c,
        undo.namespace,
        undo.consumers.map(d => d.name),
        ctx,
        deps.pollIntervalMs,
      );
      // What the consumers read is what must work: the password from the Secret.
      const secret = await api(() =>
        readSecret(c, undo.namespace, undo.secret),
      );
      const login = await tryRoleLogin(
        settings.admin,
        undo.role,
        unb64(secret?.data?.[undo.passwordKey] ?? ''),
      );
      if (!login.ok) {
        throw new Error(`Verification failed: ${login.error}`);
      }
      await ctx.log(
        `Verified: role ${undo.role} signs in with the password from the Secret`,
      );
      await deleteSecret(c, undo.namespace, backupName(input.secret));
      await refreshed();
      return {
        after: {
          role: undo.role,
          secret: `${undo.namespace}/${undo.secret}`,
          rotatedAt: secret?.metadata?.annotations?.[ROTATED_AT_ANNOTATION],
          consumers: undo.consumers.map(d => d.name),
        },
        result: { role: undo.role, verified: true },
      };
    },

    async undo(target, prepared, ctx) {
      const undo = prepared.undo as Undo;
      if (!(await restore(target, undo, ctx))) {
        await ctx.log(
          `No backup of ${undo.secret}: nothing was changed, or the rotation had finished`,
        );
      }
      await deleteSecret(
        clients(target),
        undo.namespace,
        backupName(undo.secret),
      );
      await refreshed();
    },
  };
}
