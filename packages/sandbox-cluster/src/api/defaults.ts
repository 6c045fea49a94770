import { KubeObject } from '../store/types';
import { defaultRbac } from './rbac';

/**
 * Drops `null` fields, as decoding into the apiserver's typed structs does; kubectl sends
 * e.g. `creationTimestamp: null` in templates, which must not make templates differ.
 */
function pruneNulls(value: any) {
  if (Array.isArray(value)) value.forEach(pruneNulls);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (v === null) delete value[k];
      else pruneNulls(v);
    }
  }
}

/** Fills defaults the apiserver would, so clients read complete objects back. */
export function applyDefaults(object: KubeObject, clusterIp: () => string) {
  pruneNulls(object);
  switch (object.kind) {
    case 'Deployment':
      defaultDeployment(object);
      break;
    case 'ReplicaSet':
      object.spec ??= {};
      object.spec.replicas ??= 1;
      object.spec.minReadySeconds ??= 0;
      defaultPodTemplate(object.spec.template);
      break;
    case 'Pod':
      defaultPodSpec(object.spec);
      break;
    case 'Service':
      defaultService(object, clusterIp);
      break;
    case 'Secret':
      defaultSecret(object);
      break;
    case 'Namespace':
      object.spec ??= { finalizers: ['kubernetes'] };
      object.status ??= { phase: 'Active' };
      break;
    case 'NetworkPolicy':
      defaultNetworkPolicy(object);
      break;
    case 'RoleBinding':
    case 'ClusterRoleBinding':
      defaultRbac(object);
      break;
    default:
  }
}

function defaultDeployment(d: KubeObject) {
  d.spec ??= {};
  const spec = d.spec;
  spec.replicas ??= 1;
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  spec.minReadySeconds ??= 0;
  spec.strategy ??= { type: 'RollingUpdate' };
  spec.strategy.type ??= 'RollingUpdate';
  if (spec.strategy.type === 'RollingUpdate') {
    spec.strategy.rollingUpdate ??= {};
    spec.strategy.rollingUpdate.maxSurge ??= '25%';
    spec.strategy.rollingUpdate.maxUnavailable ??= '25%';
  }
  defaultPodTemplate(spec.template);
}

function defaultPodTemplate(template: any) {
  if (!template || typeof template !== 'object') return;
  template.metadata ??= {};
  defaultPodSpec(template.spec);
}

function defaultPodSpec(spec: any) {
  if (!spec || typeof spec !== 'object') return;
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.schedulerName ??= 'default-scheduler';
  spec.securityContext ??= {};
  for (const c of Array.isArray(spec.containers) ? spec.containers : []) {
    if (!c || typeof c !== 'object') continue;
    const image = String(c.image ?? '');
    c.imagePullPolicy ??=
      image.endsWith(':latest') || !image.includes(':')
        ? 'Always'
        : 'IfNotPresent';
    c.terminationMessagePath ??= '/dev/termination-log';
    c.terminationMessagePolicy ??= 'File';
    c.resources ??= {};
    for (const p of Array.isArray(c.ports) ? c.ports : []) {
      if (p && typeof p === 'object') p.protocol ??= 'TCP';
    }
    for (const probe of [c.readinessProbe, c.livenessProbe, c.startupProbe]) {
      if (!probe || typeof probe !== 'object') continue;
      if (probe.httpGet && typeof probe.httpGet === 'object')
        probe.httpGet.scheme ??= 'HTTP';
      probe.timeoutSeconds ??= 1;
      probe.periodSeconds ??= 10;
      probe.successThreshold ??= 1;
      probe.failureThreshold ??= 3;
    }
  }
}

function defaultService(s: KubeObject, clusterIp: () => string) {
  s.spec ??= {};
  s.spec.type ??= 'ClusterIP';
  s.spec.sessionAffinity ??= 'None';
  if (s.spec.type !== 'ExternalName' && !s.spec.clusterIP) {
    s.spec.clusterIP = clusterIp();
    s.spec.clusterIPs = [s.spec.clusterIP];
  }
  for (const p of Array.isArray(s.spec.ports) ? s.spec.ports : []) {
    if (!p || typeof p !== 'object') continue;
    p.protocol ??= 'TCP';
    p.targetPort ??= p.port;
  }
  s.status ??= { loadBalancer: {} };
}

/** `stringData` is write-only: it is folded into base64 `data`, as the apiserver does. */
function defaultSecret(s: KubeObject) {
  s.type ??= 'Opaque';
  if (s.stringData && typeof s.stringData === 'object') {
    s.data ??= {};
    for (const [k, v] of Object.entries(s.stringData)) {
      s.data[k] = Buffer.from(String(v)).toString('base64');
    }
  }
  delete s.stringData;
}

/** An empty pod selector selects every pod; policy types follow the rules given. */
function defaultNetworkPolicy(p: KubeObject) {
  p.spec ??= {};
  p.spec.podSelector ??= {};
  if (!p.spec.policyTypes) {
    p.spec.policyTypes = ['Ingress'];
    if (Array.isArray(p.spec.egress) && p.spec.egress.length)
      p.spec.policyTypes.push('Egress');
  }
}
