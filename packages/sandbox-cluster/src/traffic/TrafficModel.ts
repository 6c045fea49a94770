import { isReady } from '../controllers/podLifecycle';
import { bytes, millicores } from '../metrics/podMetrics';
import { ObjectStore } from '../store/ObjectStore';
import { ChangeEvent, KubeObject } from '../store/types';
import { LATENCY_BUCKETS, bucketShares, meanLatency } from './latencyBuckets';
import { loadMultiplier } from './loadCurve';
import {
  FaultEffect,
  PodResources,
  PodSignals,
  capacityRps,
  podSignals,
} from './podSignals';
import { ServiceProfile, serviceProfile } from './serviceProfile';

/** Options of the traffic model. */
export interface TrafficOptions {
  /** Fixes every load curve and service constant. Default `nexus-cos`. */
  seed?: string;
  /** Simulated time runs this many times faster than the wall clock (the daily curve only; rates stay per second). Default 1. */
  timeScale?: number;
  /**
   * The simulated instant the daily curve starts at; from there simulated time moves
   * with the wall clock (× `timeScale`). Default: the wall clock's now, so the load
   * follows the time of day. Tests pin it, so the load they see does not depend on the
   * hour they run at. Rates and counters stay per wall-clock second either way.
   */
  startAt?: Date | number;
  /**
   * Share of a service's load sent as probe traffic to the pods its preview Service
   * (`<service>-preview`, selecting the idle colour of a blue-green pair) selects, on top
   * of what the main Service's pods serve. Default 0.05.
   */
  previewShare?: number;
  /** The least probe traffic a preview Service gets, in requests/s. Default 2. */
  previewMinRps?: number;
}

/** What the fault registry tells the model about one service. */
export interface ServiceFaults extends FaultEffect {
  /** While set, the working set grows by the memory limit every this many seconds. */
  memoryFillSeconds?: number;
}

/** Monotonic per-pod totals, as a real pod's counters would be. */
export interface PodCounters {
  requests: { '200': number; '500': number; '503': number };
  /** Cumulative counts per `LATENCY_BUCKETS` bound. */
  buckets: number[];
  durationSum: number;
  cpuSeconds: number;
  fsReadBytes: number;
  fsWriteBytes: number;
  networkReceiveBytes: number;
  networkTransmitBytes: number;
  transactions: number;
  revenue: number;
  uploads: number;
  downloads: number;
}

/** One pod as the model sees it. */
export interface PodTraffic {
  uid: string;
  namespace: string;
  name: string;
  service: string;
  /** The pod's `version` label (`blue` or `green` in a blue-green pair), if it has one. */
  version?: string;
  containers: string[];
  counters: PodCounters;
  /** The latest instantaneous signals (zero load when not serving). */
  signals: PodSignals;
  memoryBytes: number;
  userSessions: number;
}

interface PodEntry extends PodTraffic {
  labels: Record<string, string>;
  ready: boolean;
  running: boolean;
  resources: PodResources;
  restarts: number;
  leakBytes: number;
  /** What the pod's images add to its requests (`:errors`, `:slow`). */
  imageEffect: FaultEffect;
}

interface ServiceState {
  profile: ServiceProfile;
  baseRps: number;
  pods: Map<string, PodEntry>;
}

const IDLE: FaultEffect = { errorRate: 0, latency: 0 };

/**
 * Gives every service a life: a load curve, split over its ready pods (those the
 * Service selects), turned into per-pod latency, errors, CPU, memory, I/O and business
 * activity, and integrated into monotonic counters as wall-clock time passes.
 */
export class TrafficModel {
  private readonly seed: string;
  private readonly timeScale: number;
  private readonly previewShare: number;
  private readonly previewMinRps: number;
  private readonly startedAt = Date.now();
  private readonly simulatedStart: number;
  private readonly services = new Map<string, ServiceState>();
  private readonly byUid = new Map<string, PodEntry>();
  private readonly loadFactors = new Map<string, number>();
  private lastAdvance = Date.now();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly store: ObjectStore,
    private readonly faults: (
      namespace: string,
      service: string,
    ) => ServiceFaults,
    /** What containers running these images add to their pod's requests. */
    private readonly imageEffect: (images: string[]) => FaultEffect,
    /** Called when a pod's working set reaches its memory limit. */
    private readonly onOutOfMemory: (pod: PodTraffic) => void,
    options: TrafficOptions = {},
  ) {
    this.seed = options.seed ?? 'nexus-cos';
    this.timeScale = options.timeScale ?? 1;
    this.previewShare = options.previewShare ?? 0.05;
    this.previewMinRps = options.previewMinRps ?? 2;
    if (!(this.previewShare >= 0) || !(this.previewMinRps >= 0))
      throw new Error(
        `traffic.previewShare and previewMinRps must be >= 0, got ${this.previewShare} and ${this.previewMinRps}`,
      );
    this.simulatedStart =
      options.startAt === undefined ? this.startedAt : Number(options.startAt);
    if (!Number.isFinite(this.simulatedStart))
      throw new Error(
        `traffic.startAt must be a valid instant, got ${String(
          options.startAt,
        )}`,
      );
    for (const pod of store.list('/pods')) this.track(pod);
    this.unsubscribe = store.subscribe(e => this.onChange(e));
  }

  /** Multiplies a service's load (in every namespace, or one); 1 restores the curve. */
  setLoadFactor(service: string, factor: number, namespace?: string) {
    if (!(factor >= 0))
      throw new Error(`load factor must be >= 0, got ${factor}`);
    this.advance();
    this.loadFactors.set(`${namespace ?? '*'}/${service}`, factor);
  }

  /** Requests per second the service receives now, before any are shed. */
  serviceRps(namespace: string, service: string): number {
    const state = this.services.get(`${namespace}/${service}`);
    return state ? this.currentRps(namespace, service, state) : 0;
  }

  /**
   * Probe requests per second sent now to the pods the service's preview Service
   * (`<service>-preview`) selects, on top of `serviceRps`; 0 without that Service.
   */
  previewRps(namespace: string, service: string): number {
    const state = this.services.get(`${namespace}/${service}`);
    return state && this.previewSelector(namespace, service)
      ? this.probeRps(this.currentRps(namespace, service, state))
      : 0;
  }

  /**
   * Requests per second one ready pod of the service answers before it sheds load (its
   * CPU limit ÷ the CPU a request costs), or 0 for a service without pods. With
   * `serviceRps` it sets a load relative to capacity, whatever the hour.
   */
  replicaCapacityRps(namespace: string, service: string): number {
    const state = this.services.get(`${namespace}/${service}`);
    const pods = state ? [...state.pods.values()] : [];
    const pod = pods.find(p => p.ready) ?? pods[0];
    return pod ? capacityRps(state!.profile, pod.resources) : 0;
  }

  /** The simulated instant the load curves are at, for the wall-clock time `now`. */
  simulatedTime(now = Date.now()): Date {
    return new Date(
      this.simulatedStart + (now - this.startedAt) * this.timeScale,
    );
  }

  /** Every tracked pod, with counters brought up to now. */
  pods(): Iterable<PodTraffic> {
    this.advance();
    return this.byUid.values();
  }

  /**
   * The pod's usage as of the last advance (at most one traffic tick ago), or undefined
   * for pods the model does not know. Not advancing keeps listing many pods cheap.
   */
  usage(
    uid: string,
  ): { cpuMillicores: number; memoryBytes: number } | undefined {
    const pod = this.byUid.get(uid);
    return (
      pod && {
        cpuMillicores: pod.signals.cpuMillicores,
        memoryBytes: pod.memoryBytes,
      }
    );
  }

  /** Integrates every pod's rates from the last call until now. */
  advance(now = Date.now()) {
    const dt = (now - this.lastAdvance) / 1000;
    if (dt <= 0) return;
    this.lastAdvance = now;
    const oom: PodEntry[] = [];
    for (const [key, state] of this.services) {
      const [namespace, service] = splitKey(key);
      const fault = this.faults(namespace, service);
      const serving = this.servingPods(namespace, service, state);
      const previewSelector = this.previewSelector(namespace, service);
      const preview = previewSelector ? readyPods(state, previewSelector) : [];
      const rps = this.currentRps(namespace, service, state, now);
      const each = serving.length > 0 ? rps / serving.length : 0;
      const probeEach =
        preview.length > 0 ? this.probeRps(rps) / preview.length : 0;
      for (const pod of state.pods.values()) {
        const load =
          (serving.includes(pod) ? each : 0) +
          (preview.includes(pod) ? probeEach : 0);
        pod.signals = podSignals(state.profile, pod.resources, load, {
          errorRate: Math.min(1, fault.errorRate + pod.imageEffect.errorRate),
          latency: fault.latency + pod.imageEffect.latency,
        });
        if (!pod.running) pod.signals.cpuMillicores = 0;
        integrate(pod, state.profile, dt);
        if (fault.memoryFillSeconds && pod.running) {
          pod.leakBytes +=
            (pod.resources.memoryLimitBytes / fault.memoryFillSeconds) * dt;
        }
        pod.memoryBytes = pod.running
          ? Math.min(
              pod.resources.memoryLimitBytes,
              pod.signals.memoryBytes + pod.leakBytes,
            )
          : 0;
        if (
          pod.running &&
          pod.leakBytes > 0 &&
          pod.memoryBytes >= pod.resources.memoryLimitBytes
        )
          oom.push(pod);
      }
    }
    for (const pod of oom) {
      pod.leakBytes = 0;
      this.onOutOfMemory(pod);
    }
  }

  stop() {
    this.unsubscribe();
  }

  private currentRps(
    namespace: string,
    service: string,
    state: ServiceState,
    now = Date.now(),
  ) {
    const factor =
      this.loadFactors.get(`${namespace}/${service}`) ??
      this.loadFactors.get(`*/${service}`) ??
      1;
    return (
      state.baseRps *
      loadMultiplier(
        this.seed,
        `${namespace}/${service}`,
        this.simulatedTime(now).getTime(),
      ) *
      factor
    );
  }

  /** Ready pods behind the Service named like the service, or all ready pods without one. */
  private servingPods(namespace: string, service: string, state: ServiceState) {
    return readyPods(
      state,
      this.store.get('/services', namespace, service)?.spec?.selector ?? {},
    );
  }

  /**
   * The selector of the service's preview Service, if there is one with a selector (a
   * Service without one selects no pods, as in Kubernetes).
   */
  private previewSelector(
    namespace: string,
    service: string,
  ): Record<string, string> | undefined {
    const selector = this.store.get(
      '/services',
      namespace,
      `${service}-preview`,
    )?.spec?.selector;
    return selector && Object.keys(selector).length > 0 ? selector : undefined;
  }

  private probeRps(serviceRps: number) {
    return Math.max(this.previewMinRps, serviceRps * this.previewShare);
  }

  private onChange(event: ChangeEvent) {
    if (event.resource !== '/pods') return;
    if (event.type === 'DELETED') this.forget(event.object.metadata.uid!);
    else this.track(event.object);
  }

  private track(pod: KubeObject) {
    const labels = pod.metadata.labels ?? {};
    const service = labels['backstage.io/kubernetes-id'] ?? labels.app;
    if (!service) return;
    const uid = pod.metadata.uid!;
    const terminating = Boolean(pod.metadata.deletionTimestamp);
    const restarts = (pod.status?.containerStatuses ?? []).reduce(
      (sum: number, s: any) => sum + (s.restartCount ?? 0),
      0,
    );
    let entry = this.byUid.get(uid);
    if (!entry) {
      this.advance();
      const resources = podResources(pod);
      const state = this.serviceState(
        pod.metadata.namespace!,
        service,
        resources,
      );
      entry = {
        uid,
        namespace: pod.metadata.namespace!,
        name: pod.metadata.name,
        service,
        containers: (pod.spec?.containers ?? []).map((c: any) => c.name),
        labels,
        imageEffect: IDLE,
        ready: false,
        running: false,
        resources,
        restarts,
        leakBytes: 0,
        counters: emptyCounters(),
        signals: podSignals(state.profile, resources, 0, IDLE),
        memoryBytes: 0,
        userSessions: 0,
      };
      this.byUid.set(uid, entry);
      state.pods.set(uid, entry);
    }
    entry.labels = labels;
    entry.version = labels.version;
    entry.imageEffect = this.imageEffect(
      (pod.spec?.containers ?? []).map((c: any) => c.image),
    );
    entry.ready = !terminating && isReady(pod);
    entry.running = !terminating && pod.status?.phase === 'Running';
    // A restarted container starts with a fresh heap.
    if (restarts > entry.restarts) entry.leakBytes = 0;
    entry.restarts = restarts;
  }

  private forget(uid: string) {
    const entry = this.byUid.get(uid);
    if (!entry) return;
    this.byUid.delete(uid);
    this.services.get(`${entry.namespace}/${entry.service}`)?.pods.delete(uid);
  }

  /**
   * The service's state, created on its first pod: its base load is what its designed
   * replica count (the Deployments' replicas at that moment) serves at its design
   * utilisation.
   */
  private serviceState(
    namespace: string,
    service: string,
    resources: PodResources,
  ): ServiceState {
    const key = `${namespace}/${service}`;
    let state = this.services.get(key);
    if (state) return state;
    const profile = serviceProfile(this.seed, key);
    const replicas = this.store
      .select(
        'apps/deployments',
        namespace,
        d =>
          (d.metadata.labels?.['backstage.io/kubernetes-id'] ??
            d.spec?.template?.metadata?.labels?.app) === service,
      )
      .reduce((sum, d) => sum + (d.spec?.replicas ?? 1), 0);
    const capacity = capacityRps(profile, resources);
    state = {
      profile,
      baseRps: Math.max(1, replicas) * capacity * profile.designUtilisation,
      pods: new Map(),
    };
    this.services.set(key, state);
    return state;
  }
}

/** The service's ready pods whose labels match `selector` (every pod for `{}`). */
function readyPods(state: ServiceState, selector: Record<string, string>) {
  return [...state.pods.values()].filter(
    pod =>
      pod.ready &&
      Object.entries(selector).every(([k, v]) => pod.labels[k] === v),
  );
}

function splitKey(key: string): [string, string] {
  const slash = key.indexOf('/');
  return [key.slice(0, slash), key.slice(slash + 1)];
}

function emptyCounters(): PodCounters {
  return {
    requests: { '200': 0, '500': 0, '503': 0 },
    buckets: LATENCY_BUCKETS.map(() => 0),
    durationSum: 0,
    cpuSeconds: 0,
    fsReadBytes: 0,
    fsWriteBytes: 0,
    networkReceiveBytes: 0,
    networkTransmitBytes: 0,
    transactions: 0,
    revenue: 0,
    uploads: 0,
    downloads: 0,
  };
}

function integrate(pod: PodEntry, profile: ServiceProfile, dt: number) {
  const s = pod.signals;
  const c = pod.counters;
  const served = s.rps * dt;
  const ok = served * (1 - s.errorShare - s.shedShare);
  c.requests['200'] += ok;
  c.requests['500'] += served * s.errorShare;
  c.requests['503'] += served * s.shedShare;
  if (served > 0) {
    const queueMedian = s.medianLatency - s.addedLatency;
    const shares = bucketShares(queueMedian, s.addedLatency);
    for (let i = 0; i < shares.length; i++) c.buckets[i] += served * shares[i];
    c.durationSum += served * meanLatency(queueMedian, s.addedLatency);
  }
  c.cpuSeconds += (s.cpuMillicores / 1000) * dt;
  c.networkReceiveBytes += served * profile.requestBytes;
  c.networkTransmitBytes += ok * profile.responseBytes;
  const transactions = ok * profile.transactionsPerRequest;
  c.transactions += transactions;
  c.revenue += transactions * profile.revenuePerTransaction;
  const uploads = ok * profile.uploadsPerRequest;
  const downloads = ok * profile.downloadsPerRequest;
  c.uploads += uploads;
  c.downloads += downloads;
  // Uploads are written to disk and downloads read from it, plus a little logging.
  c.fsWriteBytes += uploads * profile.responseBytes * 10 + served * 200;
  c.fsReadBytes += downloads * profile.responseBytes * 10;
  pod.userSessions = s.rps * profile.sessionSeconds * 0.1;
}

function podResources(pod: KubeObject): PodResources {
  const sum = (pick: (c: any) => number) =>
    (pod.spec?.containers ?? []).reduce((t: number, c: any) => t + pick(c), 0);
  const cpuRequest = sum(c => millicores(c.resources?.requests?.cpu) || 100);
  const memoryRequest = sum(
    c => bytes(c.resources?.requests?.memory) || 128 * 2 ** 20,
  );
  return {
    cpuRequestMillicores: cpuRequest,
    // Without a limit a container may use what the node gives it: say two cores.
    cpuLimitMillicores: sum(c => millicores(c.resources?.limits?.cpu) || 2000),
    memoryRequestBytes: memoryRequest,
    memoryLimitBytes: sum(
      c =>
        bytes(c.resources?.limits?.memory) ||
        2 * (bytes(c.resources?.requests?.memory) || 128 * 2 ** 20),
    ),
  };
}
