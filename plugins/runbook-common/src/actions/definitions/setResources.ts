import { z } from 'zod';
import { defineAction, RequestIssue } from '../definition';
import { ActionLimits, parseCpuMillis, parseMemoryBytes } from '../limits';
import { CPU_QUANTITY_PATTERN, MEMORY_QUANTITY_PATTERN } from '../parts';

const resourceListSchema = z
  .strictObject({
    cpu: z
      .string()
      .regex(CPU_QUANTITY_PATTERN, 'must be a CPU quantity like "500m" or "2"')
      .optional(),
    memory: z
      .string()
      .regex(
        MEMORY_QUANTITY_PATTERN,
        'must be a memory quantity like "512Mi" or "4Gi"',
      )
      .optional(),
  })
  .refine(r => r.cpu !== undefined || r.memory !== undefined, {
    message: 'must set cpu or memory',
  });

const input = z
  .strictObject({
    requests: resourceListSchema.optional(),
    limits: resourceListSchema.optional(),
  })
  .refine(r => r.requests !== undefined || r.limits !== undefined, {
    message: 'must set requests or limits',
  });

/** The runbook's ceilings, and requests no larger than limits. */
function checkResources(
  value: z.output<typeof input>,
  limits: ActionLimits,
): RequestIssue[] {
  const issues: RequestIssue[] = [];
  const maxCpu = parseCpuMillis(limits.resources.maxCpu) ?? Infinity;
  const maxMemory = parseMemoryBytes(limits.resources.maxMemory) ?? Infinity;
  for (const kind of ['requests', 'limits'] as const) {
    const list = value[kind];
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
    const request = value.requests?.[res];
    const limit = value.limits?.[res];
    if (request && limit && parse(request)! > parse(limit)!) {
      issues.push({
        field: `input.requests.${res}`,
        message: `requests.${res} (${request}) must not exceed limits.${res} (${limit})`,
      });
    }
  }
  return issues;
}

const cpuHint = (l: ActionLimits) => `At most ${l.resources.maxCpu}`;
const memoryHint = (l: ActionLimits) => `At most ${l.resources.maxMemory}`;

/** Vertical scaling of the service's container. */
export const setResourcesAction = defineAction({
  name: 'set-resources',
  title: 'Vertical scaling',
  description: "Set the container's CPU and memory requests and limits.",
  input,
  checkLimits: checkResources,
  fields: [
    { name: 'requests.cpu', label: 'CPU request', type: 'text', hint: cpuHint },
    {
      name: 'requests.memory',
      label: 'Memory request',
      type: 'text',
      hint: memoryHint,
    },
    { name: 'limits.cpu', label: 'CPU limit', type: 'text', hint: cpuHint },
    {
      name: 'limits.memory',
      label: 'Memory limit',
      type: 'text',
      hint: memoryHint,
    },
  ],
  kinds: ['Component'],
  changesState: true,
  auditSeverity: 'medium',
});
