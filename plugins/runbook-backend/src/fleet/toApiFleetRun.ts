import type { FleetRun } from '@nexus-cos/plugin-runbook-common';
import type { StoredFleetRun } from './FleetStore';

/** A fleet run as the API shows it: no lease, no plan positions. */
export const toApiFleetRun = ({
  owner: _owner,
  children,
  ...run
}: StoredFleetRun): FleetRun => ({
  ...run,
  children: children.map(({ position: _p, depth: _d, ...child }) => child),
});
