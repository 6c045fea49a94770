import { ServiceFaults } from '../traffic/TrafficModel';

/** Every kind of fault the sandbox can inject. */
export const FAULT_KINDS = [
  'error-spike',
  'latency-spike',
  'down',
  'never-ready',
  'memory-pressure',
  'api-errors',
  'api-latency',
  'api-conflicts',
  'watch-cut',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

const SERVICE_KINDS: FaultKind[] = [
  'error-spike',
  'latency-spike',
  'down',
  'memory-pressure',
];

/** What to inject. `service` (and optionally `namespace`) scopes the service-level kinds. */
export interface FaultSpec {
  kind: FaultKind;
  /** kubernetes-id of the service (error-spike, latency-spike, down, memory-pressure). */
  service?: string;
  /** Limits a service fault to one namespace; default every namespace. */
  namespace?: string;
  /** Share of requests in (0, 1]: error-spike, api-errors, api-conflicts (writes only). */
  rate?: number;
  /** Added latency: latency-spike, api-latency. */
  latencyMs?: number;
  /** Image glob whose pulls fail: never-ready. */
  image?: string;
  /** memory-pressure: seconds for the leak to fill the memory limit (default 10). */
  fillSeconds?: number;
  /** watch-cut: how long watch streams live before being cut (default 0). */
  afterMs?: number;
}

/** An active fault. */
export interface Fault extends FaultSpec {
  id: string;
  createdAt: string;
}

/** A fault spec that cannot be injected; `field` names the offending field. */
export class FaultSpecError extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
  }
}

type Listener = (fault: Fault, change: 'added' | 'removed') => void;

/** Active faults, and what they mean for services, images and the API. */
export class FaultRegistry {
  private readonly faults = new Map<string, Fault>();
  private readonly listeners = new Set<Listener>();
  private nextId = 1;

  add(spec: FaultSpec): Fault {
    const fault: Fault = {
      ...validate(spec),
      id: `fault-${this.nextId++}`,
      createdAt: new Date().toISOString(),
    };
    this.faults.set(fault.id, fault);
    this.notify(fault, 'added');
    return fault;
  }

  /** Removes one fault; false when there is no such id. */
  remove(id: string): boolean {
    const fault = this.faults.get(id);
    if (!fault) return false;
    this.faults.delete(id);
    this.notify(fault, 'removed');
    return true;
  }

  /** Removes every fault matching the filter (all without one); returns those removed. */
  clear(filter: { service?: string; kind?: FaultKind } = {}): Fault[] {
    const removed = this.list().filter(
      f =>
        (!filter.service || f.service === filter.service) &&
        (!filter.kind || f.kind === filter.kind),
    );
    removed.forEach(f => this.remove(f.id));
    return removed;
  }

  list(): Fault[] {
    return [...this.faults.values()];
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Active faults of one kind that apply to a service. */
  forService(kind: FaultKind, namespace: string, service: string): Fault[] {
    return this.list().filter(
      f =>
        f.kind === kind &&
        f.service === service &&
        (!f.namespace || f.namespace === namespace),
    );
  }

  /** The traffic model's view of a service's faults. */
  serviceFaults(namespace: string, service: string): ServiceFaults {
    const of = (kind: FaultKind) => this.forService(kind, namespace, service);
    const fill = of('memory-pressure').map(f => f.fillSeconds!);
    return {
      errorRate: Math.min(
        1,
        of('error-spike').reduce((t, f) => t + f.rate!, 0),
      ),
      latency: of('latency-spike').reduce((t, f) => t + f.latencyMs! / 1000, 0),
      memoryFillSeconds: fill.length ? Math.min(...fill) : undefined,
    };
  }

  /** Of one API-level kind, the active faults. */
  api(kind: 'api-errors' | 'api-latency' | 'api-conflicts' | 'watch-cut') {
    return this.list().filter(f => f.kind === kind);
  }

  /** Image globs injected as never-ready. */
  neverReadyImages(): string[] {
    return this.list()
      .filter(f => f.kind === 'never-ready')
      .map(f => f.image!);
  }

  private notify(fault: Fault, change: 'added' | 'removed') {
    for (const listener of this.listeners) listener(fault, change);
  }
}

function validate(spec: FaultSpec): FaultSpec {
  if (typeof spec !== 'object' || spec === null)
    throw new FaultSpecError('', 'a fault must be a JSON object');
  const kind = spec.kind;
  if (!FAULT_KINDS.includes(kind))
    throw new FaultSpecError(
      'kind',
      `kind must be one of ${FAULT_KINDS.join(', ')}, got ${JSON.stringify(
        kind,
      )}`,
    );
  const out: FaultSpec = { kind };
  if (SERVICE_KINDS.includes(kind)) {
    if (typeof spec.service !== 'string' || !spec.service)
      throw new FaultSpecError('service', `${kind} needs a service`);
    out.service = spec.service;
    if (spec.namespace !== undefined) {
      if (typeof spec.namespace !== 'string' || !spec.namespace)
        throw new FaultSpecError('namespace', 'namespace must be a string');
      out.namespace = spec.namespace;
    }
  }
  const number = (
    field: 'rate' | 'latencyMs' | 'fillSeconds' | 'afterMs',
    min: number,
    max: number,
    fallback?: number,
  ) => {
    const value = spec[field] ?? fallback;
    if (
      typeof value !== 'number' ||
      !(value >= min && value <= max) ||
      (min === 0 && field !== 'afterMs' && value === 0)
    )
      throw new FaultSpecError(
        field,
        `${kind} needs ${field} in ${
          field === 'afterMs' ? '[' : '('
        }${min}, ${max}], got ${JSON.stringify(spec[field])}`,
      );
    out[field] = value;
  };
  if (['error-spike', 'api-errors', 'api-conflicts'].includes(kind))
    number('rate', 0, 1);
  if (['latency-spike', 'api-latency'].includes(kind))
    number('latencyMs', 0, 60_000);
  if (kind === 'memory-pressure') number('fillSeconds', 0, 86_400, 10);
  if (kind === 'watch-cut') number('afterMs', 0, 3_600_000, 0);
  if (kind === 'never-ready') {
    if (typeof spec.image !== 'string' || !spec.image)
      throw new FaultSpecError(
        'image',
        'never-ready needs an image glob, e.g. "*:2.0.0"',
      );
    out.image = spec.image;
  }
  return out;
}
