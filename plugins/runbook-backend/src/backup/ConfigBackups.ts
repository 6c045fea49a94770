import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '@backstage/errors';
import type { V1ConfigMap, V1ObjectMeta } from '@kubernetes/client-node';
import type {
  BackupReport,
  ConfigRestoreObject,
  ConfigRestoreReport,
  ObjectDiff,
  RunbookActionInput,
} from '@nexus-cos/plugin-runbook-common';
import {
  ExecutorContext,
  RunbookTarget,
  RunReportError,
} from '@nexus-cos/plugin-runbook-node';
import { diffObjects } from '../kubernetes/diff';
import {
  KubernetesClients,
  isNotFound,
  withApiErrors,
} from '../kubernetes/KubernetesClients';
import {
  BackupService,
  errorText,
  newBackupId,
  originOf,
  sha256File,
  workDirFor,
} from './BackupService';

/** The annotation `kubectl apply` writes: the whole applied object, a Secret's values included. */
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** A ConfigMap as a bundle keeps it. */
type BundledConfigMap = {
  name: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  data?: Record<string, string>;
  binaryData?: Record<string, string>;
  immutable?: boolean;
};

/** A Secret as a bundle keeps it: its name, type, keys and metadata, never a value. */
type BundledSecret = {
  name: string;
  type?: string;
  keys: string[];
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
};

/** The JSON document a configuration backup stores. */
export type ConfigBundle = {
  kind: 'runbook-config-bundle';
  version: 1;
  entityRef: string;
  namespace: string;
  createdAt: string;
  configMaps: BundledConfigMap[];
  secrets: BundledSecret[];
};

/** ConfigMaps the cluster writes into every namespace itself. */
const CLUSTER_OWNED = new Set(['kube-root-ca.crt']);

/**
 * Labels and annotations only: no managedFields, server fields or owner references, and
 * never the last-applied annotation, which holds a Secret's values.
 */
function metadataOf(meta: V1ObjectMeta | undefined) {
  const annotations = Object.fromEntries(
    Object.entries(meta?.annotations ?? {}).filter(([k]) => k !== LAST_APPLIED),
  );
  return {
    ...(meta?.labels && Object.keys(meta.labels).length
      ? { labels: meta.labels }
      : {}),
    ...(Object.keys(annotations).length ? { annotations } : {}),
  };
}

/** The ConfigMap a bundle entry describes. */
const configMapOf = (cm: BundledConfigMap): V1ConfigMap => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: {
    name: cm.name,
    labels: cm.labels,
    annotations: cm.annotations,
  },
  data: cm.data,
  binaryData: cm.binaryData,
  immutable: cm.immutable,
});

const sameMap = (a?: Record<string, string>, b?: Record<string, string>) =>
  JSON.stringify(Object.entries(a ?? {}).sort()) ===
  JSON.stringify(Object.entries(b ?? {}).sort());

/**
 * The runbook's "Backup configurations", without `kubectl get secrets -o yaml`'s leak:
 * ConfigMaps with their values, Secrets as names, keys and metadata only. A restore puts
 * the ConfigMaps back and checks that the Secrets still exist with their keys.
 */
export class ConfigBackups {
  constructor(
    private readonly o: { clients: KubernetesClients; backups: BackupService },
  ) {}

  get unavailable(): string | undefined {
    return this.o.backups.unavailable;
  }

  before(target: RunbookTarget) {
    return {
      before: {
        namespace: target.namespace,
        store: this.o.backups.storeId,
      },
      undo: null,
      plan: {},
    };
  }

  async inputRefusal(
    target: RunbookTarget,
    backupId: string,
  ): Promise<string | undefined> {
    return this.o.backups.refusalOf(target.entityRef, 'config', backupId);
  }

  async backup(
    target: RunbookTarget,
    ctx: ExecutorContext,
  ): Promise<BackupReport> {
    const work = await workDirFor('config-backup');
    try {
      const bundle = await withApiErrors(() => this.#bundle(target));
      const file = path.join(work.dir, 'bundle.json');
      await writeFile(file, `${JSON.stringify(bundle, null, 2)}\n`, {
        mode: 0o600,
      });
      const createdAt = new Date(bundle.createdAt);
      const id = newBackupId(`${target.service}-config`, createdAt);
      const actor = ctx.run?.actor ?? 'plugin:runbook';
      const { size } = await stat(file);
      const stored = await this.o.backups.keep(
        {
          id,
          target: target.entityRef,
          kind: 'config',
          entityRef: target.entityRef,
          createdAt: bundle.createdAt,
          sizeBytes: size,
          sha256: await sha256File(file),
          tables: [],
          runId: ctx.run?.id ?? '',
          origin: originOf(actor),
          by: actor,
          namespace: target.namespace,
          objects: {
            configMaps: bundle.configMaps.length,
            secrets: bundle.secrets.length,
          },
        },
        file,
        `config/${target.namespace}/${id}.json`,
      );
      await ctx.log(
        `Stored configuration backup ${id}: ${bundle.configMaps.length} ConfigMap(s), ${bundle.secrets.length} Secret name(s) of ${target.namespace}`,
      );
      const pruned = await this.o.backups.prune(
        target,
        target.entityRef,
        'config',
        ctx,
        'config-backup',
      );
      const { storeKey: _key, ...item } = stored;
      return { kind: 'config-backup', verdict: 'pass', backup: item, pruned };
    } catch (error) {
      const failure = `Configuration backup of ${
        target.namespace
      } failed, nothing was stored: ${errorText(error)}`;
      throw new RunReportError(failure, {
        kind: 'config-backup',
        verdict: 'fail',
        failure,
        pruned: [],
      });
    } finally {
      await work.done();
    }
  }

  async backupDryRun(target: RunbookTarget): Promise<ObjectDiff[]> {
    const bundle = await withApiErrors(() => this.#bundle(target));
    return [
      {
        kind: 'Backup',
        name: `${target.service}-config (new)`,
        namespace: this.o.backups.storeId,
        operation: 'create',
        changes: [
          { path: 'namespace', after: target.namespace },
          {
            path: 'configMaps',
            after: bundle.configMaps.map(c => c.name),
          },
          {
            path: 'secrets (names and keys only)',
            after: bundle.secrets.map(s => s.name),
          },
        ],
      },
    ];
  }

  /**
   * Creates or replaces each ConfigMap of the bundle. When one fails, those already
   * changed are put back as they were, so a restore is all or nothing.
   */
  async restore(
    target: RunbookTarget,
    input: RunbookActionInput<'config-restore'>,
    ctx: ExecutorContext,
  ): Promise<ConfigRestoreReport> {
    const { bundle, backupId } = await this.#load(target, input.backupId);
    const core = this.o.clients.for(target.cluster).core;
    const { namespace } = bundle;
    const changed: Array<{ name: string; previous?: V1ConfigMap }> = [];
    const configMaps: ConfigRestoreObject[] = [];
    try {
      for (const cm of bundle.configMaps) {
        const live = await this.#read(target, cm.name);
        if (live && this.#matches(live, cm)) {
          configMaps.push({ name: cm.name, outcome: 'unchanged' });
          continue;
        }
        await withApiErrors(() =>
          this.#write(target, configMapOf(cm), live, false),
        );
        changed.push({ name: cm.name, previous: live });
        configMaps.push({
          name: cm.name,
          outcome: live ? 'replaced' : 'created',
        });
        await ctx.log(
          `${live ? 'Replaced' : 'Created'} ConfigMap ${namespace}/${cm.name}`,
        );
      }
    } catch (error) {
      const undone = await this.#putBack(target, changed, ctx);
      throw new Error(
        `Restoring ConfigMaps of ${namespace} failed: ${errorText(
          error,
        )}; ${undone}`,
      );
    }
    const secrets = await withApiErrors(() =>
      core.listNamespacedSecret({ namespace }),
    );
    const report: ConfigRestoreReport = {
      kind: 'config-restore',
      backupId,
      namespace,
      configMaps,
      secrets: bundle.secrets.map(s => {
        const live = secrets.items.find(i => i.metadata?.name === s.name);
        const keys = Object.keys(live?.data ?? {});
        return {
          name: s.name,
          present: Boolean(live),
          missingKeys: s.keys.filter(k => !keys.includes(k)),
        };
      }),
    };
    const missing = report.secrets.filter(
      s => !s.present || s.missingKeys.length,
    );
    await ctx.log(
      missing.length
        ? `Secrets are never restored (their values are never backed up); recreate from your secret store: ${missing
            .map(s =>
              s.present
                ? `${s.name} (missing keys ${s.missingKeys.join(', ')})`
                : `${s.name} (missing)`,
            )
            .join('; ')}`
        : `All ${report.secrets.length} Secret(s) of the bundle exist with their keys`,
      missing.length ? 'warn' : 'info',
    );
    return report;
  }

  /** The API server's dry-run answer for each ConfigMap the restore would write. */
  async restoreDryRun(
    target: RunbookTarget,
    input: RunbookActionInput<'config-restore'>,
  ): Promise<ObjectDiff[]> {
    const { bundle } = await this.#load(target, input.backupId);
    const diffs: ObjectDiff[] = [];
    for (const cm of bundle.configMaps) {
      const live = await this.#read(target, cm.name);
      if (live && this.#matches(live, cm)) continue;
      const after = await withApiErrors(() =>
        this.#write(target, configMapOf(cm), live, true),
      );
      diffs.push(
        diffObjects('ConfigMap', cm.name, bundle.namespace, live, after),
      );
    }
    return diffs;
  }

  async #bundle(target: RunbookTarget): Promise<ConfigBundle> {
    const core = this.o.clients.for(target.cluster).core;
    const { namespace } = target;
    const [configMaps, secrets] = await Promise.all([
      core.listNamespacedConfigMap({ namespace }),
      core.listNamespacedSecret({ namespace }),
    ]);
    const byName = (a: { name: string }, b: { name: string }) =>
      a.name.localeCompare(b.name);
    return {
      kind: 'runbook-config-bundle',
      version: 1,
      entityRef: target.entityRef,
      namespace,
      createdAt: new Date().toISOString(),
      configMaps: configMaps.items
        .filter(c => !CLUSTER_OWNED.has(c.metadata?.name ?? ''))
        .map(c => ({
          name: c.metadata!.name!,
          ...metadataOf(c.metadata),
          ...(c.data ? { data: c.data } : {}),
          ...(c.binaryData ? { binaryData: c.binaryData } : {}),
          ...(c.immutable ? { immutable: true } : {}),
        }))
        .sort(byName),
      // Only what names a Secret: its values, in `data` or anywhere else, stay behind.
      secrets: secrets.items
        .map(s => ({
          name: s.metadata!.name!,
          ...(s.type ? { type: s.type } : {}),
          keys: Object.keys(s.data ?? {}).sort(),
          ...metadataOf(s.metadata),
        }))
        .sort(byName),
    };
  }

  async #load(target: RunbookTarget, id: string) {
    const backup = await this.o.backups.find(target.entityRef, 'config', id);
    const work = await workDirFor('config-restore');
    try {
      const fetched = await this.o.backups.fetch(backup, work.dir);
      if (fetched.problem || !fetched.file) {
        throw new InputError(
          `input.backupId: ${backup.id} cannot be used: ${fetched.problem}`,
        );
      }
      const bundle = JSON.parse(
        await readFile(fetched.file, 'utf8'),
      ) as ConfigBundle;
      if (bundle.namespace !== target.namespace) {
        throw new InputError(
          `input.backupId: ${backup.id} is a bundle of namespace ${bundle.namespace}, not ${target.namespace}`,
        );
      }
      return { bundle, backupId: backup.id };
    } finally {
      await work.done();
    }
  }

  async #read(target: RunbookTarget, name: string) {
    try {
      return await this.o.clients
        .for(target.cluster)
        .core.readNamespacedConfigMap({ name, namespace: target.namespace });
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  #matches(live: V1ConfigMap, cm: BundledConfigMap) {
    const meta = metadataOf(live.metadata);
    return (
      sameMap(live.data, cm.data) &&
      sameMap(live.binaryData, cm.binaryData) &&
      sameMap(meta.labels, cm.labels) &&
      sameMap(meta.annotations, cm.annotations)
    );
  }

  /** Creates or replaces a ConfigMap as `body` says; with `dry`, only the API server's answer. */
  #write(
    target: RunbookTarget,
    body: V1ConfigMap,
    live: V1ConfigMap | undefined,
    dry: boolean,
  ) {
    const core = this.o.clients.for(target.cluster).core;
    const { namespace } = target;
    const dryRun = dry ? 'All' : undefined;
    const meta = { ...body.metadata, namespace, managedFields: undefined };
    if (!live) {
      return core.createNamespacedConfigMap({
        namespace,
        body: { ...body, metadata: { ...meta, resourceVersion: undefined } },
        dryRun,
      });
    }
    return core.replaceNamespacedConfigMap({
      name: meta.name!,
      namespace,
      body: {
        ...body,
        metadata: { ...meta, resourceVersion: live.metadata?.resourceVersion },
      },
      dryRun,
    });
  }

  /** Puts back what a failed restore changed; says whether that worked. */
  async #putBack(
    target: RunbookTarget,
    changed: Array<{ name: string; previous?: V1ConfigMap }>,
    ctx: ExecutorContext,
  ): Promise<string> {
    const failed: string[] = [];
    for (const { name, previous } of changed.reverse()) {
      try {
        const live = await this.#read(target, name);
        if (previous) {
          await this.#write(target, previous, live, false);
        } else if (live) {
          await this.o.clients
            .for(target.cluster)
            .core.deleteNamespacedConfigMap({
              name,
              namespace: target.namespace,
            });
        }
        await ctx.log(`Put ConfigMap ${name} back as it was`, 'warn');
      } catch (error) {
        failed.push(`${name} (${errorText(error)})`);
      }
    }
    if (!changed.length) return 'no ConfigMap was changed';
    return failed.length
      ? `could not put back ${failed.join(', ')}`
      : `the ${changed.length} ConfigMap(s) already changed were put back as they were`;
  }
}
