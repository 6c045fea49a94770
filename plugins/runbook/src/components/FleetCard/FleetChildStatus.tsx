import { StatusAborted, StatusPending } from '@backstage/core-components';
import type { FleetChildStatus as FleetChildStatusValue } from '@nexus-cos/plugin-runbook-common';
import { RunStatus } from '../RunStatus';

/**
 * A service's status in a fleet run, as an indicator with its name. Before the fleet run
 * starts, `pending` says what it will do to the service instead of "not started".
 */
export const FleetChildStatus = (props: {
  status: FleetChildStatusValue;
  pending?: string;
}) => {
  const { status, pending } = props;
  if (status === 'skipped') return <StatusAborted>skipped</StatusAborted>;
  if (status === 'not-started') {
    return <StatusPending>{pending ?? 'not started'}</StatusPending>;
  }
  return <RunStatus status={status} />;
};
