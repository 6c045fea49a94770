import {
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import type { MaintenanceItemStatus } from '@nexus-cos/plugin-runbook-common';

const INDICATORS: Record<
  MaintenanceItemStatus,
  (props: { children?: React.ReactNode }) => JSX.Element
> = {
  done: StatusOK,
  warn: StatusWarning,
  failed: StatusError,
  pending: StatusPending,
  overdue: StatusError,
};

/** An item's status as a coloured indicator with its name. */
export const MaintenanceStatus = (props: { status: MaintenanceItemStatus }) => {
  const Indicator = INDICATORS[props.status];
  return <Indicator>{props.status}</Indicator>;
};
