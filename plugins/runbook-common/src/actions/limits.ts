import {
  IMAGE_PATTERN,
  RequestIssue,
  RunbookActionInput,
  RunRequest,
} from './schemas';

/** The limits a runbook puts on its actions, after annotations and config are merged. @public */
export type ActionLimits = {
  /** Allowed replica range of scale, start and the autoscaler. */
  replicas: { min: number; max: number };
  /** The only image repository set-image and blue-green-deploy accept, if any. */
  imageRepository?: string;
  /** Ceilings of set-resources. */
  resources: { maxCpu: string; maxMemory: string };
  /** How long a rollout may take before it is rolled back. */
  rolloutTimeoutSeconds: number;
  /** Default post-rollout health window of set-image. */
  healthWindowSeconds: number;
  /** Default watch window after a blue-green switch. */
  blueGreenMonitorSeconds: number;
};

const MEMORY_FACTORS: Record<string, number> = {
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
};

/** CPU quantity in millicores, or undefined when it is not one. @public */
export function parseCpuMillis(quantity: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(m?)$/.exec(quantity);
  if (!m) return undefined;
  return m[2] ? Number(m[1]) : Number(m[1]) * 1000;
}

/** Memory quantity in bytes, or undefined when it is not one. @public */
export function parseMemoryBytes(quantity: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(quantity);
  if (!m) return undefined;
  return Number(m[1]) * MEMORY_FACTORS[m[2] ?? ''];
}

/** Parses the `nexus-cos.io/replicas` annotation, "<min>-<max>". @public */
export function parseReplicaRange(
  value: string,
): { min: number; max: number } | undefined {
  const m = /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(value);
  if (!m) return undefined;
  const [min, max] = [Number(m[1]), Number(m[2])];
  return min <= max ? { min, max } : undefined;
}

/** The repository part of an image reference (no tag, no digest). @public */
export function imageRepositoryOf(image: string): string | undefined {
  return IMAGE_PATTERN.exec(image)?.groups?.repository;
}

function checkImage(image: string, limits: ActionLimits): RequestIssue[] {
  const repository = imageRepositoryOf(image);
  if (limits.imageRepository && repository !== limits.imageRepository) {
    return [
      {
        field: 'input.image',
        message: `image must come from the repository "${limits.imageRepository}", not "${repository}"`,
      },
    ];
  }
  return [];
}

function checkReplicas(field: string, value: number, limits: ActionLimits) {
  const { min, max } = limits.replicas;
  return value < min || value > max
    ? [
        {
          field,
          message: `${field.replace(
            /^input\./,
            '',
          )} must be between ${min} and ${max}, got ${value}`,
        },
      ]
    : [];
}

function checkResources(
  input: RunbookActionInput<'set-resources'>,
  limits: ActionLimits,
): RequestIssue[] {
  const issues: RequestIssue[] = [];
  const maxCpu = parseCpuMillis(limits.resources.maxCpu) ?? Infinity;
  const maxMemory = parseMemoryBytes(limits.resources.maxMemory) ?? Infinity;
  for (const kind of ['requests', 'limits'] as const) {
    const list = input[kind];
    if (list?.cpu && parseCpuMillis(list.cpu)! > maxCpu) {
      issues.push({
        field: `input.${kind}.cpu`,
        message: `${kind}.cpu must be at most ${limits.resources.maxCpu}, got ${list.cpu}`,
      });
    }
    if (list?.memory && parseMemoryBytes(list.memory)! > maxMemory) {
      issues.push({
        field: `input.${kind}.memory`,
        message: `${kind}.memory must be at most ${limits.resources.maxMemory}, got ${list.memory}`,
      });
    }
  }
  for (const res of ['cpu', 'memory'] as const) {
    const parse = res === 'cpu' ? parseCpuMillis : parseMemoryBytes;
    const request = input.requests?.[res];
    const limit = input.limits?.[res];
    if (request && limit && parse(request)! > parse(limit)!) {
      issues.push({
        field: `input.requests.${res}`,
        message: `requests.${res} (${request}) must not exceed limits.${res} (${limit})`,
      });
    }
  }
  return issues;
}

/**
 * Checks a schema-valid request against the runbook's limits. The backend refuses any
 * request with issues (400), and the frontend forms show the same messages as you type.
 * @public
 */
export function checkActionLimits(
  request: RunRequest,
  limits: ActionLimits,
): RequestIssue[] {
  switch (request.action) {
    case 'scale':
      return checkReplicas('input.replicas', request.input.replicas, limits);
    case 'set-image':
    case 'blue-green-deploy':
      return checkImage(request.input.image, limits);
    case 'checklist':
      return request.input.image ? checkImage(request.input.image, limits) : [];
    case 'set-resources':
      return checkResources(request.input, limits);
    case 'configure-autoscaling': {
      if (!request.input.enabled) return [];
      const { minReplicas, maxReplicas } = request.input;
      const issues = [
        ...checkReplicas('input.minReplicas', minReplicas, limits),
        ...checkReplicas('input.maxReplicas', maxReplicas, limits),
      ];
      if (minReplicas > maxReplicas) {
        issues.push({
          field: 'input.minReplicas',
          message: `minReplicas (${minReplicas}) must not exceed maxReplicas (${maxReplicas})`,
        });
      }
      return issues;
    }
    default:
      return [];
  }
}

/** Human-readable limits, one line each, for forms and error pages. @public */
export function describeActionLimits(limits: ActionLimits): string[] {
  return [
    `Replicas between ${limits.replicas.min} and ${limits.replicas.max}`,
    limits.imageRepository
      ? `Images only from ${limits.imageRepository}`
      : 'Images from any repository',
    `Resources at most ${limits.resources.maxCpu} CPU and ${limits.resources.maxMemory} memory`,
    `Rollouts time out after ${limits.rolloutTimeoutSeconds} s`,
    `Health window after a rollout: ${limits.healthWindowSeconds} s`,
    `Watch window after a blue-green switch: ${limits.blueGreenMonitorSeconds} s`,
  ];
}
