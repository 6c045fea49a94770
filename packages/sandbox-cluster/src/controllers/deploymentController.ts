import { controllerRef, isControlledBy, objectKey } from '../api/meta';
import { resourceByKind } from '../api/resources';
import { deepEqual } from '../store/deepEqual';
import { ChangeEvent, KubeObject } from '../store/types';
import { Controller, ControllerContext } from './Controller';
import {
  newReplicaSetTarget,
  oldReplicaSetTargets,
  revision,
  surgeAndUnavailable,
} from './rolloutMath';
import { RolloutPhase, deploymentStatus } from './deploymentStatus';
import { templateHash } from './templateHash';

const DEPLOYMENTS = resourceByKind('Deployment');
const REPLICA_SETS = resourceByKind('ReplicaSet');
const REVISION = 'deployment.kubernetes.io/revision';
const HASH_LABEL = 'pod-template-hash';

/**
 * The deployment controller: one ReplicaSet per pod template (named by its hash),
 * revisions counted up on each new or re-used template, rolling updates within
 * maxSurge/maxUnavailable (or Recreate), old sets pruned beyond revisionHistoryLimit,
 * and status with the Available and Progressing conditions `kubectl rollout status` reads.
 */
export class DeploymentController implements Controller {
  readonly name = 'deployment';
  /** When each deployment's deadline check is already scheduled for. */
  private readonly deadlineChecks = new Map<string, number>();

  constructor(private readonly ctx: ControllerContext) {}

  keysFor(event: ChangeEvent) {
    const { object } = event;
    if (event.resource === 'apps/deployments') {
      return event.type === 'DELETED' ? [] : [objectKey(object)];
    }
    if (event.resource === 'apps/replicasets') return ownerDeployments(object);
    if (event.resource === '/pods' && event.type === 'DELETED') {
      // Recreate waits for old pods to be gone, which changes no ReplicaSet status.
      return (object.metadata.ownerReferences ?? [])
        .filter(r => r.controller && r.kind === 'ReplicaSet')
        .map(r =>
          this.ctx.store.get(
            'apps/replicasets',
            object.metadata.namespace!,
            r.name,
          ),
        )
        .flatMap(rs => (rs ? ownerDeployments(rs) : []));
    }
    return [];
  }

  reconcile(key: string) {
    const [namespace, name] = key.split('/');
    const d = this.ctx.store.get('apps/deployments', namespace, name);
    if (!d || d.metadata.deletionTimestamp) return;
    const owned = this.ctx.store.select(
      'apps/replicasets',
      namespace,
      rs => isControlledBy(rs, d) && !rs.metadata.deletionTimestamp,
    );
    let newRs = owned.find(rs => sameTemplate(rs, d));
    const oldRses = owned.filter(rs => rs !== newRs);
    if (d.spec.paused) {
      // A paused Deployment starts no rollout, but still scales what it runs.
      if (newRs && oldRses.every(rs => (rs.spec.replicas ?? 0) === 0))
        this.scale(d, newRs, d.spec.replicas);
      this.writeStatus(d, newRs?.metadata.name, 'paused');
      return;
    }
    const maxOld = Math.max(0, ...oldRses.map(revision));
    let created = false;
    if (!newRs) {
      newRs = this.createReplicaSet(d, maxOld + 1, oldRses);
      created = true;
    } else if (revision(newRs) <= maxOld) {
      // A rollback re-uses an old template: its ReplicaSet becomes the newest revision.
      newRs = this.annotate(newRs, { [REVISION]: String(maxOld + 1) });
    }
    const liveDeployment = this.setRevision(d, revision(newRs));
    if (d.spec.strategy?.type === 'Recreate') this.recreate(d, newRs, oldRses);
    else this.rollingUpdate(d, newRs, oldRses);
    this.pruneHistory(d, oldRses);
    this.writeStatus(
      liveDeployment,
      newRs.metadata.name,
      created ? 'created' : 'syncing',
    );
  }

  private createReplicaSet(d: KubeObject, rev: number, oldRses: KubeObject[]) {
    const namespace = d.metadata.namespace!;
    let collisions = 0;
    let hash = templateHash(d.spec.template);
    let existing = this.ctx.store.get(
      'apps/replicasets',
      namespace,
      `${d.metadata.name}-${hash}`,
    );
    if (
      existing &&
      !existing.metadata.ownerReferences?.some(r => r.controller) &&
      sameTemplate(existing, d)
    ) {
      // An orphan of an earlier Deployment with this name and template: adopt it.
      existing.metadata.ownerReferences = [
        ...(existing.metadata.ownerReferences ?? []),
        controllerRef(d),
      ];
      existing.metadata.annotations = {
        ...existing.metadata.annotations,
        [REVISION]: String(rev),
      };
      return this.ctx.ops.update(
        REPLICA_SETS,
        namespace,
        existing.metadata.name,
        existing,
      );
    }
    while (existing) {
      // The name is taken by another template: salt the hash, as collisionCount does.
      collisions += 1;
      hash = templateHash(d.spec.template, collisions);
      existing = this.ctx.store.get(
        'apps/replicasets',
        namespace,
        `${d.metadata.name}-${hash}`,
      );
    }
    const template = structuredClone(d.spec.template);
    template.metadata.labels = {
      ...template.metadata.labels,
      [HASH_LABEL]: hash,
    };
    const rsBody = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${d.metadata.name}-${hash}`,
        labels: template.metadata.labels,
        annotations: {
          [REVISION]: String(rev),
          'deployment.kubernetes.io/desired-replicas': String(d.spec.replicas),
          'deployment.kubernetes.io/max-replicas': String(
            d.spec.replicas + surgeAndUnavailable(d).maxSurge,
          ),
        },
        ownerReferences: [controllerRef(d)],
      },
      spec: {
        replicas: 0,
        minReadySeconds: d.spec.minReadySeconds ?? 0,
        selector: {
          ...d.spec.selector,
          matchLabels: { ...d.spec.selector.matchLabels, [HASH_LABEL]: hash },
        },
        template,
      },
    };
    const rs = this.ctx.ops.create(REPLICA_SETS, namespace, rsBody);
    const target =
      d.spec.strategy?.type === 'Recreate'
        ? 0
        : newReplicaSetTarget(d, rs, oldRses);
    return this.scale(d, rs, target);
  }

  private rollingUpdate(
    d: KubeObject,
    newRs: KubeObject,
    oldRses: KubeObject[],
  ) {
    const scaledNew = this.scale(
      d,
      newRs,
      newReplicaSetTarget(d, newRs, oldRses),
    );
    const targets = oldReplicaSetTargets(d, scaledNew, oldRses);
    for (const rs of oldRses) this.scale(d, rs, targets.get(rs.metadata.name)!);
  }

  /** Recreate: every old pod is gone before the new ReplicaSet scales up. */
  private recreate(d: KubeObject, newRs: KubeObject, oldRses: KubeObject[]) {
    for (const rs of oldRses) this.scale(d, rs, 0);
    const oldPods = this.ctx.store.select('/pods', d.metadata.namespace, p =>
      oldRses.some(rs => isControlledBy(p, rs)),
    );
    if (oldPods.length === 0) this.scale(d, newRs, d.spec.replicas);
  }

  private scale(d: KubeObject, rs: KubeObject, replicas: number): KubeObject {
    const from = rs.spec.replicas ?? 0;
    if (from === replicas) return rs;
    rs.spec.replicas = replicas;
    rs.metadata.annotations = {
      ...rs.metadata.annotations,
      'deployment.kubernetes.io/desired-replicas': String(d.spec.replicas),
      'deployment.kubernetes.io/max-replicas': String(
        d.spec.replicas + surgeAndUnavailable(d).maxSurge,
      ),
    };
    const updated = this.ctx.ops.update(
      REPLICA_SETS,
      rs.metadata.namespace!,
      rs.metadata.name,
      rs,
    );
    const direction = replicas > from ? 'up' : 'down';
    this.ctx.events.record(
      d,
      'Normal',
      'ScalingReplicaSet',
      `Scaled ${direction} replica set ${rs.metadata.name} from ${from} to ${replicas}`,
      'deployment-controller',
    );
    return updated;
  }

  private annotate(object: KubeObject, annotations: Record<string, string>) {
    object.metadata.annotations = {
      ...object.metadata.annotations,
      ...annotations,
    };
    return this.ctx.ops.update(
      REPLICA_SETS,
      object.metadata.namespace!,
      object.metadata.name,
      object,
    );
  }

  private setRevision(d: KubeObject, rev: number): KubeObject {
    if (d.metadata.annotations?.[REVISION] === String(rev)) return d;
    d.metadata.annotations = {
      ...d.metadata.annotations,
      [REVISION]: String(rev),
    };
    return this.ctx.ops.update(
      DEPLOYMENTS,
      d.metadata.namespace!,
      d.metadata.name,
      d,
    );
  }

  /** Deletes the oldest fully scaled-down ReplicaSets beyond `revisionHistoryLimit`. */
  private pruneHistory(d: KubeObject, oldRses: KubeObject[]) {
    const limit: number = d.spec.revisionHistoryLimit ?? 10;
    const idle = oldRses
      .filter(
        rs => (rs.spec.replicas ?? 0) === 0 && (rs.status?.replicas ?? 0) === 0,
      )
      .sort((a, b) => revision(a) - revision(b));
    for (const rs of idle.slice(0, Math.max(0, idle.length - limit))) {
      this.ctx.ops.delete(
        REPLICA_SETS,
        rs.metadata.namespace!,
        rs.metadata.name,
        {},
      );
    }
  }

  private scheduleDeadlineCheck(key: string, at: number) {
    const scheduled = this.deadlineChecks.get(key);
    if (scheduled !== undefined && scheduled <= at && scheduled > Date.now())
      return;
    this.deadlineChecks.set(key, at);
    this.ctx.enqueue(this.name, key, Math.max(at - Date.now(), 1));
  }

  private writeStatus(
    d: KubeObject,
    newRsName: string | undefined,
    phase: RolloutPhase,
  ) {
    const owned = this.ctx.store.select(
      'apps/replicasets',
      d.metadata.namespace,
      rs => isControlledBy(rs, d),
    );
    const { status, deadlineAt } = deploymentStatus(d, owned, newRsName, phase);
    // Come back when the deadline passes, in case nothing else changes before then.
    if (deadlineAt !== undefined)
      this.scheduleDeadlineCheck(objectKey(d), deadlineAt + 50);
    if (deepEqual(status, d.status ?? {})) return;
    d.status = status;
    this.ctx.ops.update(
      DEPLOYMENTS,
      d.metadata.namespace!,
      d.metadata.name,
      d,
      { subresource: 'status' },
    );
  }
}

function ownerDeployments(rs: KubeObject) {
  return (rs.metadata.ownerReferences ?? [])
    .filter(r => r.controller && r.kind === 'Deployment')
    .map(r => `${rs.metadata.namespace}/${r.name}`);
}

function sameTemplate(rs: KubeObject, d: KubeObject) {
  const template = structuredClone(rs.spec.template);
  if (template.metadata?.labels) delete template.metadata.labels[HASH_LABEL];
  return deepEqual(template, d.spec.template);
}
