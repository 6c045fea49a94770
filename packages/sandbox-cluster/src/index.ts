/**
 * A Kubernetes API server emulator for development, tests and benchmarks. Production
 * code never imports it; it is reached as a cluster URL.
 *
 * @packageDocumentation
 */
export {
  startSandboxCluster,
  DEFAULT_CATALOG_DIR,
} from './startSandboxCluster';
export type {
  SandboxCluster,
  SandboxClusterOptions,
} from './startSandboxCluster';
export { TIMING_PRESETS } from './timings';
export type { SandboxTimings } from './timings';
export type { CatalogService } from './seed/readCatalog';
export type { Controller, ControllerContext } from './controllers/Controller';
export type { KubeObject, ChangeEvent } from './store/types';
export type { ObjectStore } from './store/ObjectStore';
export type { ApiOperations } from './api/operations';
export type { ControllerManager } from './controllers/ControllerManager';
export type { EventRecorder } from './controllers/EventRecorder';
export type { PodLogs } from './controllers/PodLogs';
export type { PodUsageSource, ContainerUsage } from './metrics/podMetrics';
export { FAULT_KINDS } from './faults/FaultRegistry';
export type {
  Fault,
  FaultKind,
  FaultSpec,
  FaultRegistry,
} from './faults/FaultRegistry';
export type { TrafficModel, TrafficOptions } from './traffic/TrafficModel';
export type {
  ImageScans,
  ImageScan,
  Vulnerability,
  Severity,
} from './trivy/imageScans';
export { DEFAULT_TEST_CLOCK, TEST_CLOCK_ENV, testClock } from './traffic/clock';
