import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';
import type { RunStatus as RunStatusValue } from '@nexus-cos/plugin-runbook-common';

const INDICATORS: Record<
  RunStatusValue,
  (props: { children?: React.ReactNode }) => JSX.Element
> = {
  'awaiting-approval': StatusPending,
  pending: StatusPending,
  running: StatusRunning,
  succeeded: StatusOK,
  failed: StatusError,
  'rolled-back': StatusWarning,
  cancelled: StatusAborted,
  rejected: StatusAborted,
  expired: StatusAborted,
};

/** A run's status as a coloured indicator with its name, so colour is never the only cue. */
export const RunStatus = (props: { status: RunStatusValue }) => {
  const Indicator = INDICATORS[props.status];
  return <Indicator>{props.status}</Indicator>;
};
