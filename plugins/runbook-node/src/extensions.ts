import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type { RunbookActionName } from '@nexus-cos/plugin-runbook-common';
import type { RunbookActionExecutor } from './executor';
import type { RunbookIncidentProvider } from './incidentProvider';
import type { RunbookOnCallProvider } from './onCallProvider';
import type { RunbookMetricsProvider } from './metricsProvider';

/** Lets a module replace the built-in executor of one action. @public */
export interface RunbookActionExecutorExtensionPoint {
  setExecutor<A extends RunbookActionName>(
    action: A,
    executor: RunbookActionExecutor<A>,
  ): void;
}

/** @public */
export const runbookActionExecutorExtensionPoint =
  createExtensionPoint<RunbookActionExecutorExtensionPoint>({
    id: 'runbook.action-executor',
  });

/** Lets modules mirror incidents into external systems. @public */
export interface RunbookIncidentProviderExtensionPoint {
  addIncidentProvider(provider: RunbookIncidentProvider): void;
}

/** @public */
export const runbookIncidentProviderExtensionPoint =
  createExtensionPoint<RunbookIncidentProviderExtensionPoint>({
    id: 'runbook.incident-provider',
  });

/** Lets a module replace the catalog rotations with an external scheduler. @public */
export interface RunbookOnCallProviderExtensionPoint {
  setOnCallProvider(provider: RunbookOnCallProvider): void;
}

/** @public */
export const runbookOnCallProviderExtensionPoint =
  createExtensionPoint<RunbookOnCallProviderExtensionPoint>({
    id: 'runbook.oncall-provider',
  });

/** Lets a module replace the built-in Prometheus metrics provider. @public */
export interface RunbookMetricsProviderExtensionPoint {
  setMetricsProvider(provider: RunbookMetricsProvider): void;
}

/** @public */
export const runbookMetricsProviderExtensionPoint =
  createExtensionPoint<RunbookMetricsProviderExtensionPoint>({
    id: 'runbook.metrics-provider',
  });
