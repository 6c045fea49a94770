import type { MetricThresholds } from '../analysis/types';
import type { RequestIssue } from './definition';
import { IMAGE_PATTERN } from './parts';

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
  /** What the golden signals must stay within during an analysed change. */
  analysis?: MetricThresholds;
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

/** The image's repository against the one the runbook allows. @public */
export function checkImage(
  image: string,
  limits: ActionLimits,
): RequestIssue[] {
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

/** A replica count against the runbook's range; `field` is the input path. @public */
export function checkReplicas(
  field: string,
  value: number,
  limits: ActionLimits,
): RequestIssue[] {
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
