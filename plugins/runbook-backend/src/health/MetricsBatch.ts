import { LoggerService } from '@backstage/backend-plugin-api';
import { HealthMetric, ServiceMetrics } from '@nexus-cos/plugin-runbook-common';
import { PromQuery, PromSeries } from './prometheusApi';

/** The last hour, as the series of the health view show it. */
const SERIES_SECONDS = 3600;

type Values = Partial<Record<HealthMetric, number>>;

/** A service's series of one metric, one slot per step of the last hour (NaN: no point). */
type Timeline = { start: number; values: Map<string, Float64Array> };

const keyOf = (labels: Record<string, string> | undefined) =>
  labels?.service ? `${labels.namespace ?? ''}/${labels.service}` : undefined;

/**
 * Every service's metrics, fetched with one PromQL per metric grouped `by (namespace,
 * service)` every `refreshMs`, so that a page view reads memory and never waits on
 * Prometheus. Current values are replaced at each refresh; the last hour's series are
 * extended by the steps that passed since the previous refresh, not fetched again.
 */
export class MetricsBatch {
  #current = new Map<string, Values>();
  #currentAt?: number;
  /** The instant (epoch seconds) the current values were asked for. */
  #currentTime = 0;
  #error?: string;
  #series = new Map<HealthMetric, Timeline>();
  #seriesEnd?: number;
  #first?: Promise<void>;
  #running?: Promise<void>;
  #timer?: ReturnType<typeof setInterval>;

  constructor(
    private readonly o: {
      /** PromQL per batched metric, with `{{window}}`; one series per service. */
      queries: Partial<Record<HealthMetric, string>>;
      window: string;
      refreshMs: number;
      stepSeconds: number;
      /** After this long without a good refresh, reads say the metrics are unavailable. */
      staleMs: number;
      ask: PromQuery;
      describe: string;
      logger: LoggerService;
    },
  ) {}

  /** Whether `metric` is fetched in the batch (it has a batch query). */
  covers(metric: HealthMetric): boolean {
    return this.o.queries[metric] !== undefined;
  }

  /** Starts the refreshes (idempotent); the first begins at once. */
  start(): void {
    if (this.#first) return;
    this.#first = this.refresh();
    this.#timer = setInterval(() => void this.refresh(), this.o.refreshMs);
    this.#timer.unref?.();
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  /** One refresh; concurrent callers share the one in flight. */
  refresh(): Promise<void> {
    this.#running ??= this.#refresh().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  /**
   * The metrics of one service from the last refresh. Only the very first read after
   * start waits, for the first refresh.
   */
  async read(
    namespace: string,
    service: string,
    only: HealthMetric[],
    series: boolean,
  ): Promise<Pick<ServiceMetrics, 'current' | 'series' | 'unavailable'>> {
    this.start();
    await this.#first;
    if (
      this.#currentAt === undefined ||
      Date.now() - this.#currentAt > this.o.staleMs
    ) {
      return {
        current: {},
        series: {},
        unavailable: `metrics: Prometheus at ${
          this.o.describe
        } did not answer (${this.#error ?? 'no answer yet'})`,
      };
    }
    const key = `${namespace}/${service}`;
    const values = this.#current.get(key) ?? {};
    const current: Values = {};
    for (const m of only) if (values[m] !== undefined) current[m] = values[m];
    const drawn: ServiceMetrics['series'] = {};
    if (series) {
      const { stepSeconds } = this.o;
      for (const m of only) {
        const timeline = this.#series.get(m);
        const slots = timeline?.values.get(key);
        const points: Array<[number, number]> = [];
        slots?.forEach((v, i) => {
          if (Number.isFinite(v))
            points.push([(timeline?.start ?? 0) + i * stepSeconds, v]);
        });
        // The current value ends the series: the steps lag by up to one step.
        const now = values[m];
        if (now !== undefined && (points.at(-1)?.[0] ?? 0) < this.#currentTime)
          points.push([this.#currentTime, now]);
        if (points.length) drawn[m] = points;
      }
    }
    return { current, series: drawn };
  }

  get #metrics(): HealthMetric[] {
    return Object.keys(this.o.queries) as HealthMetric[];
  }

  #promql(metric: HealthMetric) {
    return this.o.queries[metric]!.replaceAll('{{window}}', this.o.window);
  }

  async #refresh(): Promise<void> {
    const now = Math.floor(Date.now() / 1000);
    const errors: string[] = [];
    const answers = await Promise.all(
      this.#metrics.map(async m => {
        try {
          const result = await this.o.ask('query', {
            query: this.#promql(m),
            time: String(now),
          });
          return [m, result] as const;
        } catch (error) {
          errors.push((error as Error).message);
          return [m, undefined] as const;
        }
      }),
    );
    if (errors.length === answers.length && answers.length > 0) {
      if (this.#error === undefined) {
        this.o.logger.warn(
          `metrics: Prometheus at ${this.o.describe} did not answer (${errors[0]})`,
        );
      }
      this.#error = errors[0];
      return;
    }
    const current = new Map<string, Values>();
    for (const [metric, result] of answers) {
      for (const s of result ?? []) {
        const key = keyOf(s.metric);
        const value = s.value && Number(s.value[1]);
        if (!key || value === undefined || !Number.isFinite(value)) continue;
        const values = current.get(key) ?? {};
        values[metric] = value;
        current.set(key, values);
      }
    }
    this.#current = current;
    this.#currentAt = Date.now();
    this.#currentTime = now;
    this.#error = undefined;
    await this.#extendSeries(now);
  }

  /** Adds the steps since the last refresh to every series and drops what left the hour. */
  async #extendSeries(now: number) {
    const step = this.o.stepSeconds;
    const slots = Math.floor(SERIES_SECONDS / step) + 1;
    const end = Math.floor(now / step) * step;
    const start = end - (slots - 1) * step;
    if (this.#seriesEnd === end) return;
    const from =
      this.#seriesEnd !== undefined && this.#seriesEnd >= start
        ? this.#seriesEnd + step
        : start;
    const answers = await Promise.all(
      this.#metrics.map(async m => {
        try {
          const result = await this.o.ask('query_range', {
            query: this.#promql(m),
            start: String(from),
            end: String(end),
            step: String(step),
          });
          return [m, result] as const;
        } catch {
          return [m, undefined] as const;
        }
      }),
    );
    if (answers.every(([, result]) => result === undefined)) return;
    for (const [metric, result] of answers) {
      this.#series.set(
        metric,
        this.#shifted(this.#series.get(metric), start, slots, result ?? []),
      );
    }
    this.#seriesEnd = end;
  }

  #shifted(
    old: Timeline | undefined,
    start: number,
    slots: number,
    added: PromSeries[],
  ): Timeline {
    const step = this.o.stepSeconds;
    const values = new Map<string, Float64Array>();
    const slotsOf = (key: string) => {
      let a = values.get(key);
      if (!a) {
        a = new Float64Array(slots).fill(NaN);
        values.set(key, a);
      }
      return a;
    };
    if (old) {
      const offset = (start - old.start) / step;
      for (const [key, before] of old.values) {
        if (offset >= before.length) continue;
        const a = slotsOf(key);
        a.set(before.subarray(Math.max(0, offset)).subarray(0, slots));
      }
    }
    for (const s of added) {
      const key = keyOf(s.metric);
      if (!key) continue;
      const a = slotsOf(key);
      for (const [t, v] of s.values ?? []) {
        const i = Math.round((Number(t) - start) / step);
        if (i >= 0 && i < slots) a[i] = Number(v);
      }
    }
    for (const [key, a] of values) {
      if (!a.some(Number.isFinite)) values.delete(key);
    }
    return { start, values };
  }
}
