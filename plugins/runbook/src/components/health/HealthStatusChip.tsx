import {
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import type { HealthStatus } from '@nexus-cos/plugin-runbook-common';

const INDICATORS: Record<
  HealthStatus,
  (props: { children?: React.ReactNode }) => JSX.Element
> = {
  healthy: StatusOK,
  degraded: StatusWarning,
  down: StatusError,
  unknown: StatusPending,
};

/** A health status as a coloured indicator with its name, so colour is never the only cue. */
export const HealthStatusChip = (props: { status: HealthStatus }) => {
  const Indicator = INDICATORS[props.status];
  return <Indicator>{props.status}</Indicator>;
};
