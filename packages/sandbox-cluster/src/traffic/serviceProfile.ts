import { between } from './random';

/** Constants of one service's behaviour, fixed by the seed and the service's name. */
export interface ServiceProfile {
  /** Median latency when idle, in seconds. */
  baseLatency: number;
  /** CPU each request costs, in millicore-seconds. */
  cpuPerRequest: number;
  /** Share of requests that fail even when healthy. */
  baseErrorRate: number;
  /** Average load as a share of the capacity of the service's designed replica count. */
  designUtilisation: number;
  /** Business: transactions per successful request, and revenue per transaction. */
  transactionsPerRequest: number;
  revenuePerTransaction: number;
  uploadsPerRequest: number;
  downloadsPerRequest: number;
  /** Seconds a user session lasts; sessions = request rate × this / requests per session. */
  sessionSeconds: number;
  /** Bytes in and out per request. */
  requestBytes: number;
  responseBytes: number;
}

export function serviceProfile(seed: string, service: string): ServiceProfile {
  const r = (min: number, max: number, field: string) =>
    between(min, max, seed, service, field);
  return {
    baseLatency: r(0.015, 0.06, 'latency'),
    cpuPerRequest: r(3, 6, 'cpu'),
    baseErrorRate: r(0.001, 0.004, 'errors'),
    designUtilisation: r(0.2, 0.35, 'utilisation'),
    transactionsPerRequest: r(0.02, 0.15, 'transactions'),
    revenuePerTransaction: r(5, 80, 'revenue'),
    uploadsPerRequest: r(0.001, 0.02, 'uploads'),
    downloadsPerRequest: r(0.01, 0.1, 'downloads'),
    sessionSeconds: r(120, 900, 'sessions'),
    requestBytes: r(600, 4000, 'request-bytes'),
    responseBytes: r(2000, 40000, 'response-bytes'),
  };
}
