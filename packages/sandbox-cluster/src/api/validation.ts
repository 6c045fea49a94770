import { StatusCause } from './errors';
import { Causes } from './fieldErrors';
import { KubeObject } from '../store/types';
import { LABEL_KEY, parseLabelSelector, selectorToString } from './selectors';
import { validateRbac } from './rbac';
import { validateCertManager } from '../certmanager/certificateSpec';
import { validateTrivyReport } from '../trivy/reportSchema';

const DNS_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Whether a string may be a label value: at most 63 characters of `[A-Za-z0-9_.-]`, alphanumeric at both ends. */
export function isValidLabelValue(value: string) {
  return value.length <= 63 && LABEL_VALUE.test(value);
}

/** Field errors for an object about to be stored; empty when it is valid. */
export function validateObject(
  object: KubeObject,
  old?: KubeObject,
): StatusCause[] {
  const c = new Causes();
  validateMeta(
    object,
    c,
    object.kind === 'Service' || object.kind === 'Namespace',
  );
  switch (object.kind) {
    case 'Deployment':
    case 'ReplicaSet':
      validateWorkload(object, c, old);
      break;
    case 'Pod':
      validatePodSpec(object.spec, 'spec', c);
      break;
    case 'Service':
      validateService(object, c);
      break;
    case 'ConfigMap':
      validateStringMap(object.data, 'data', c);
      break;
    case 'Secret':
      validateStringMap(object.data, 'data', c);
      for (const [k, v] of Object.entries(object.data ?? {})) {
        if (typeof v === 'string' && !BASE64.test(v)) {
          c.invalid(
            `data[${k}]`,
            '<secret contents redacted>',
            'illegal base64 data',
          );
        }
      }
      if (object.type === 'kubernetes.io/tls') {
        for (const key of ['tls.crt', 'tls.key'])
          if (!(key in (object.data ?? {}))) c.required(`data[${key}]`);
      }
      break;
    case 'HorizontalPodAutoscaler':
      validateHpa(object, c);
      break;
    case 'NetworkPolicy':
      validateNetworkPolicy(object, c);
      break;
    case 'Role':
    case 'ClusterRole':
    case 'RoleBinding':
    case 'ClusterRoleBinding':
      validateRbac(object, c, old);
      break;
    case 'Certificate':
    case 'Issuer':
    case 'ClusterIssuer':
      validateCertManager(object, c);
      break;
    case 'VulnerabilityReport':
    case 'ConfigAuditReport':
      validateTrivyReport(object, c);
      break;
    default:
  }
  return c.list;
}

function validateMeta(object: KubeObject, c: Causes, dnsLabel: boolean) {
  const name = object.metadata.name;
  if (!name) c.required('metadata.name');
  else if (
    !(dnsLabel ? DNS_LABEL : DNS_SUBDOMAIN).test(name) ||
    name.length > 253
  ) {
    c.invalid(
      'metadata.name',
      name,
      `a lowercase RFC 1123 ${
        dnsLabel ? 'label' : 'subdomain'
      } must consist of lower case alphanumeric characters, '-' or '.'`,
    );
  }
  for (const [k, v] of Object.entries(object.metadata.labels ?? {})) {
    if (typeof v !== 'string' || !isValidLabelValue(v)) {
      c.invalid(
        `metadata.labels`,
        v,
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', at most 63 characters",
      );
    }
    if (!LABEL_KEY.test(k))
      c.invalid('metadata.labels', k, 'invalid label key');
  }
  validateStringMap(object.metadata.annotations, 'metadata.annotations', c);
}

function validateStringMap(map: unknown, field: string, c: Causes) {
  if (map === undefined || map === null) return;
  if (typeof map !== 'object' || Array.isArray(map)) {
    c.invalid(field, map, 'must be a map of strings');
    return;
  }
  for (const [k, v] of Object.entries(map)) {
    if (typeof v !== 'string')
      c.invalid(`${field}[${k}]`, v, 'must be a string');
  }
}

function validateWorkload(object: KubeObject, c: Causes, old?: KubeObject) {
  const spec = object.spec ?? {};
  if (!Number.isInteger(spec.replicas) || spec.replicas < 0) {
    c.invalid(
      'spec.replicas',
      spec.replicas,
      'must be greater than or equal to 0',
    );
  }
  const selector = spec.selector;
  if (!selector || (!selector.matchLabels && !selector.matchExpressions)) {
    c.required('spec.selector');
  } else {
    const labels = spec.template?.metadata?.labels;
    if (!parseLabelSelector(selectorToString(selector)).matches(labels)) {
      c.invalid(
        'spec.template.metadata.labels',
        labels ?? {},
        '`selector` does not match template `labels`',
      );
    }
    if (
      old &&
      JSON.stringify(old.spec?.selector) !== JSON.stringify(selector)
    ) {
      c.invalid('spec.selector', selector, 'field is immutable');
    }
  }
  if (object.kind === 'Deployment') {
    const type = spec.strategy?.type;
    if (!['RollingUpdate', 'Recreate'].includes(type)) {
      c.unsupported('spec.strategy.type', type, ['Recreate', 'RollingUpdate']);
    }
    const ru = spec.strategy?.rollingUpdate;
    if (type === 'RollingUpdate' && ru) {
      for (const f of ['maxSurge', 'maxUnavailable']) {
        const v = ru[f];
        if (
          !(Number.isInteger(v) && v >= 0) &&
          !(typeof v === 'string' && /^\d+%$/.test(v))
        ) {
          c.invalid(
            `spec.strategy.rollingUpdate.${f}`,
            v,
            'must be a non-negative integer or percentage',
          );
        }
      }
    }
    if (
      !Number.isInteger(spec.progressDeadlineSeconds) ||
      spec.progressDeadlineSeconds <= 0
    ) {
      c.invalid(
        'spec.progressDeadlineSeconds',
        spec.progressDeadlineSeconds,
        'must be greater than 0',
      );
    }
  }
  if (!spec.template || typeof spec.template !== 'object')
    c.required('spec.template');
  else validatePodSpec(spec.template.spec, 'spec.template.spec', c);
}

function validatePodSpec(spec: any, at: string, c: Causes) {
  if (!spec || typeof spec !== 'object') {
    c.required(at);
    return;
  }
  if (!Array.isArray(spec.containers) || spec.containers.length === 0) {
    c.required(`${at}.containers`);
    return;
  }
  const names = new Set<string>();
  spec.containers.forEach((container: any, i: number) => {
    const field = `${at}.containers[${i}]`;
    if (!container || typeof container !== 'object') {
      c.invalid(field, container, 'must be an object');
      return;
    }
    if (!container.name) c.required(`${field}.name`);
    else if (!DNS_LABEL.test(container.name)) {
      c.invalid(`${field}.name`, container.name, 'a lowercase RFC 1123 label');
    } else if (names.has(container.name)) {
      c.list.push({
        reason: 'FieldValueDuplicate',
        message: `Duplicate value: "${container.name}"`,
        field: `${field}.name`,
      });
    }
    names.add(container.name);
    if (!container.image || typeof container.image !== 'string')
      c.required(`${field}.image`);
    (Array.isArray(container.ports) ? container.ports : []).forEach(
      (p: any, j: number) => {
        const port = p?.containerPort;
        if (!Number.isInteger(port) || port < 1 || port > 65535) {
          c.invalid(
            `${field}.ports[${j}].containerPort`,
            port,
            'must be between 1 and 65535, inclusive',
          );
        }
      },
    );
    (Array.isArray(container.env) ? container.env : []).forEach(
      (e: any, j: number) => {
        if (!e?.name) c.required(`${field}.env[${j}].name`);
      },
    );
    for (const kind of ['limits', 'requests']) {
      for (const [res, q] of Object.entries(
        container.resources?.[kind] ?? {},
      )) {
        if (!/^[0-9.]+([numkMGTPE]i?|[eE][0-9]+)?$/.test(String(q))) {
          c.invalid(
            `${field}.resources.${kind}[${res}]`,
            q,
            'quantities must match the regular expression',
          );
        }
      }
    }
  });
}

function validateService(s: KubeObject, c: Causes) {
  const types = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'];
  if (!types.includes(s.spec?.type))
    c.unsupported('spec.type', s.spec?.type, types);
  const ports = s.spec?.ports;
  if (
    s.spec?.type !== 'ExternalName' &&
    (!Array.isArray(ports) || ports.length === 0)
  ) {
    c.required('spec.ports');
  }
  (Array.isArray(ports) ? ports : []).forEach((p: any, i: number) => {
    if (!Number.isInteger(p?.port) || p.port < 1 || p.port > 65535) {
      c.invalid(
        `spec.ports[${i}].port`,
        p?.port,
        'must be between 1 and 65535, inclusive',
      );
    }
  });
  validateStringMap(s.spec?.selector, 'spec.selector', c);
}

function validateHpa(h: KubeObject, c: Causes) {
  const spec = h.spec ?? {};
  if (!spec.scaleTargetRef?.name) c.required('spec.scaleTargetRef.name');
  if (!spec.scaleTargetRef?.kind) c.required('spec.scaleTargetRef.kind');
  if (!Number.isInteger(spec.maxReplicas) || spec.maxReplicas < 1) {
    c.invalid(
      'spec.maxReplicas',
      spec.maxReplicas,
      'must be greater than or equal to 1',
    );
  }
  const min = spec.minReplicas ?? 1;
  if (!Number.isInteger(min) || min < 1) {
    c.invalid('spec.minReplicas', min, 'must be greater than or equal to 1');
  } else if (Number.isInteger(spec.maxReplicas) && min > spec.maxReplicas) {
    c.invalid(
      'spec.maxReplicas',
      spec.maxReplicas,
      'must be greater than or equal to `minReplicas`',
    );
  }
}

function validateNetworkPolicy(policy: KubeObject, c: Causes) {
  const types = policy.spec?.policyTypes ?? [];
  (Array.isArray(types) ? types : [types]).forEach((t: unknown, i: number) => {
    if (t !== 'Ingress' && t !== 'Egress')
      c.unsupported(`spec.policyTypes[${i}]`, t, ['Egress', 'Ingress']);
  });
  const selector = policy.spec?.podSelector;
  if (
    selector !== undefined &&
    (typeof selector !== 'object' || selector === null)
  )
    c.invalid('spec.podSelector', selector, 'must be a label selector');
}
