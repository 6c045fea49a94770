import { InputError } from '@backstage/errors';
import type { V1Secret } from '@kubernetes/client-node';
import {
  ANNOTATION_KUBERNETES_ID,
  ObjectDiff,
  RunbookActionInput,
} from '@nexus-cos/plugin-runbook-common';
import type {
  PreparedChange,
  RunbookActionExecutor,
  RunbookTarget,
} from '@nexus-cos/plugin-runbook-node';
import { diffObjects } from '../kubernetes/diff';
import {
  ClusterClients,
  KubernetesClients,
  patchAs,
  withApiErrors as api,
} from '../kubernetes/KubernetesClients';
import {
  Consumer,
  ROTATED_AT_ANNOTATION,
  ROTATION_ROLE_LABEL,
  b64,
  backupName,
  consumerDiffs,
  consumersOf,
  createBackup,
  deleteSecret,
  deleteStaleStagedValues,
  generateValue,
  ownSecret,
  readSecret,
  rollConsumers,
  stagedName,
  unb64,
  verifyConsumers,
} from './rotationSteps';
import type { SecurityInventory } from './SecurityInventory';

type Input = RunbookActionInput<'rotate-secret'>;
/** The input as recorded: a supplied value is replaced by the Secret it was staged in. */
type StagedInput = Input & { stagedValue?: string };

/** Stored with the run: names and annotation values only, never a secret value. */
type Undo = {
  secret: string;
  key: string;
  staged?: string;
  rotatedAt: string | null;
  consumers: Consumer[];
};

const STAGED_KEY = 'value';
const MAX_NAME = 253 - '-rotation-staged-000000'.length;
const REFUSED_TYPES: Record<string, string> = {
  'kubernetes.io/tls': 'is a TLS Secret; renew its certificate instead',
  'kubernetes.io/service-account-token':
    'is a ServiceAccount token, which Kubernetes rotates',
};

/**
 * The Secret to rotate, if the service may rotate it: it exists, is an ordinary Secret,
 * belongs to the service (labelled with its id, or read by one of its Deployments) and
 * has the key. Every refusal is a 400 naming the field.
 */
async function rotatableSecret(
  c: ClusterClients,
  target: RunbookTarget,
  input: Input,
): Promise<V1Secret> {
  const { namespace, service } = target;
  if (input.secret.length > MAX_NAME) {
    throw new InputError(
      `secret: names longer than ${MAX_NAME} characters cannot be rotated (no room for the backup's name)`,
    );
  }
  const secret = await api(() => readSecret(c, namespace, input.secret));
  if (!secret) {
    throw new InputError(
      `secret: there is no Secret ${input.secret} in ${namespace}`,
    );
  }
  const refused = REFUSED_TYPES[secret.type ?? ''];
  if (refused) throw new InputError(`secret: ${input.secret} ${refused}`);
  if (secret.metadata?.labels?.[ROTATION_ROLE_LABEL]) {
    throw new InputError(
      `secret: ${input.secret} holds a rotation's own value; rotate the Secret it belongs to`,
    );
  }
  const consumers = await consumersOf(c, namespace, input.secret);
  const ours =
    secret.metadata?.labels?.[ANNOTATION_KUBERNETES_ID] === service ||
    consumers.some(
      d =>
        d.deployment.metadata?.labels?.[ANNOTATION_KUBERNETES_ID] === service,
    );
  if (!ours) {
    throw new InputError(
      `secret: ${input.secret} is not a Secret of ${service} (not labelled ${ANNOTATION_KUBERNETES_ID}=${service} and not read by its Deployments)`,
    );
  }
  const keys = Object.keys(secret.data ?? {}).sort();
  if (!keys.includes(input.key)) {
    throw new InputError(
      `key: Secret ${input.secret} has no key ${input.key} (it has ${
        keys.join(', ') || 'none'
      })`,
    );
  }
  return secret;
}

/**
 * `rotate-secret`: a supplied value is staged in the cluster before the run is
 * recorded; then the previous value goes to `<secret>-rotation-backup`, the key gets the
 * new value, every Deployment that reads the Secret rolls (a pod-template annotation, as
 * Reloader does) and must become ready. On failure, or when the janitor finds the run's
 * backend gone, the backup's value and the consumers' templates come back. The backup
 * and the staged value are deleted at the end either way.
 */
export function rotateSecret(deps: {
  clients: KubernetesClients;
  pollIntervalMs: number;
  rotation: { alphabet: string; length: number };
  inventory: SecurityInventory;
}): RunbookActionExecutor<'rotate-secret'> {
  const clients = (t: RunbookTarget) => deps.clients.for(t.cluster);
  const refreshed = () => deps.inventory.refresh().catch(() => undefined);

  async function newValue(
    c: ClusterClients,
    t: RunbookTarget,
    input: StagedInput,
  ) {
    if (!input.stagedValue) {
      return generateValue(
        deps.rotation.alphabet,
        input.length ?? deps.rotation.length,
      );
    }
    const staged = await api(() =>
      readSecret(c, t.namespace, input.stagedValue!),
    );
    const data = staged?.data?.[STAGED_KEY];
    if (!data) {
      throw new Error(
        `The staged value (Secret ${input.stagedValue}) is gone; start the rotation again`,
      );
    }
    return unb64(data);
  }

  return {
    async stage(target, input) {
      const c = clients(target);
      await rotatableSecret(c, target, input);
      if (input.value === undefined) {
        return { input, discard: async () => {} };
      }
      await deleteStaleStagedValues(c, target.namespace, input.secret);
      const name = stagedName(input.secret);
      await api(() =>
        c.core.createNamespacedSecret({
          namespace: target.namespace,
          body: ownSecret({
            name,
            namespace: target.namespace,
            role: 'staged',
            of: input.secret,
            data: { [STAGED_KEY]: input.value! },
          }),
        }),
      );
      const { value: _value, ...rest } = input;
      return {
        input: { ...rest, stagedValue: name },
        discard: () => deleteSecret(c, target.namespace, name),
      };
    },

    async dryRun(target, input): Promise<ObjectDiff[]> {
      const c = clients(target);
      const secret = await rotatableSecret(c, target, input);
      const value =
        input.value ??
        generateValue(
          deps.rotation.alphabet,
          input.length ?? deps.rotation.length,
        );
      const after = await api(() =>
        c.core.patchNamespacedSecret(
          {
            name: input.secret,
            namespace: target.namespace,
            body: {
              metadata: {
                annotations: {
                  [ROTATED_AT_ANNOTATION]: new Date().toISOString(),
                },
              },
              data: { [input.key]: b64(value) },
            },
            dryRun: 'All',
          },
          patchAs('merge'),
        ),
      );
      return [
        diffObjects('Secret', input.secret, target.namespace, secret, after),
        ...(await consumerDiffs(
          c,
          target.namespace,
          input.secret,
          await consumersOf(c, target.namespace, input.secret),
          after.metadata?.resourceVersion ?? 'next',
        )),
      ];
    },

    async prepare(target, input: StagedInput, ctx): Promise<PreparedChange> {
      const c = clients(target);
      const secret = await rotatableSecret(c, target, input);
      const backup = backupName(input.secret);
      if (await api(() => readSecret(c, target.namespace, backup))) {
        throw new Error(
          `Secret ${backup} exists: an earlier rotation of ${input.secret} did not finish; delete it after checking the Secret`,
        );
      }
      const consumers = (
        await consumersOf(c, target.namespace, input.secret)
      ).map(({ name, previous }) => ({ name, previous }));
      await ctx.log(
        `Rotating key ${input.key} of Secret ${input.secret}; consumers: ${
          consumers.map(d => d.name).join(', ') || 'none'
        }`,
      );
      const undo: Undo = {
        secret: input.secret,
        key: input.key,
        ...(input.stagedValue ? { staged: input.stagedValue } : {}),
        rotatedAt:
          secret.metadata?.annotations?.[ROTATED_AT_ANNOTATION] ?? null,
        consumers,
      };
      return {
        before: {
          secret: input.secret,
          key: input.key,
          rotatedAt: undo.rotatedAt,
          consumers: consumers.map(d => d.name),
        },
        undo,
        plan: { generated: !input.stagedValue },
      };
    },

    async apply(target, input: StagedInput, prepared, ctx) {
      const c = clients(target);
      const undo = prepared.undo as Undo;
      const secret = await rotatableSecret(c, target, input);
      await createBackup(c, target.namespace, secret, input.key, ctx);
      const value = await newValue(c, target, input);
      const rotatedAt = new Date().toISOString();
      const updated = await api(() =>
        c.core.patchNamespacedSecret(
          {
            name: input.secret,
            namespace: target.namespace,
            body: {
              metadata: {
                resourceVersion: secret.metadata?.resourceVersion,
                annotations: { [ROTATED_AT_ANNOTATION]: rotatedAt },
              },
              data: { [input.key]: b64(value) },
            },
          },
          patchAs('merge'),
        ),
      );
      await ctx.log(
        `Key ${input.key} of Secret ${input.secret} has its new value`,
      );
      await rollConsumers(
        c,
        target.namespace,
        input.secret,
        undo.consumers.map(d => ({
          name: d.name,
          value: updated.metadata?.resourceVersion ?? rotatedAt,
        })),
        ctx,
      );
    },

    async converge(target, input: StagedInput, prepared, ctx) {
      const c = clients(target);
      const undo = prepared.undo as Undo;
      const names = undo.consumers.map(d => d.name);
      await verifyConsumers(
        c,
        target.namespace,
        names,
        ctx,
        deps.pollIntervalMs,
      );
      if (undo.staged) await deleteSecret(c, target.namespace, undo.staged);
      // Last: without a backup, a later undo knows the rotation finished.
      await deleteSecret(c, target.namespace, backupName(input.secret));
      await ctx.log('Consumers are ready; the previous value is deleted');
      await refreshed();
      const secret = await api(() =>
        readSecret(c, target.namespace, input.secret),
      );
      return {
        after: {
          secret: input.secret,
          key: input.key,
          rotatedAt: secret?.metadata?.annotations?.[ROTATED_AT_ANNOTATION],
          consumers: names,
        },
        result: {
          secret: input.secret,
          key: input.key,
          generated: Boolean(
            (prepared.plan as { generated?: boolean }).generated,
          ),
          consumers: names,
        },
      };
    },

    async undo(target, prepared, ctx) {
      const c = clients(target);
      const undo = prepared.undo as Undo;
      const { namespace } = target;
      const backup = await api(() =>
        readSecret(c, namespace, backupName(undo.secret)),
      );
      if (backup) {
        await api(() =>
          c.core.patchNamespacedSecret(
            {
              name: undo.secret,
              namespace,
              body: {
                metadata: {
                  annotations: { [ROTATED_AT_ANNOTATION]: undo.rotatedAt },
                },
                data: { [undo.key]: backup.data?.[undo.key] ?? null },
              },
            },
            patchAs('merge'),
          ),
        );
        await ctx.log(
          `Key ${undo.key} of Secret ${undo.secret} has its previous value again`,
        );
        await rollConsumers(
          c,
          namespace,
          undo.secret,
          undo.consumers.map(d => ({ name: d.name, value: d.previous })),
          ctx,
        );
        await verifyConsumers(
          c,
          namespace,
          undo.consumers.map(d => d.name),
          { ...ctx, limits: { ...ctx.limits, healthWindowSeconds: 0 } },
          deps.pollIntervalMs,
        );
      } else {
        await ctx.log(
          `No backup of ${undo.secret}: the Secret was not changed, or the rotation had finished`,
        );
      }
      if (undo.staged) await deleteSecret(c, namespace, undo.staged);
      await deleteSecret(c, namespace, backupName(undo.secret));
      await refreshed();
    },
  };
}
