import { ReactNode } from 'react';
import { StructuredMetadataTable } from '@backstage/core-components';
import { parseEntityRef } from '@backstage/catalog-model';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import type { FleetRun } from '@nexus-cos/plugin-runbook-common';
import { FLEET_COPY, services } from '../FleetCard/fleetCopy';
import { FleetPlanTable } from '../FleetCard/FleetPlanTable';
import { facts } from './ApprovalCard';

const keepTitles = { titleFormat: (key: string) => key };

/** The services a fleet run would change: those it does not skip. */
const changing = (fleet: FleetRun) =>
  fleet.children.filter(c => c.status !== 'skipped').length;

/**
 * One fleet run awaiting approval (start-all or stop-all of a System or the Domain): who
 * asked, why, under which rule, who may decide and until when, then its plan, the services
 * in order (approvers see the plan: a fleet run has no diff of its own), then `children`
 * (the decision buttons, or withdraw).
 */
export const FleetApprovalCard = (props: {
  fleet: FleetRun;
  children?: ReactNode;
}) => {
  const { fleet, children } = props;
  const copy = FLEET_COPY[fleet.action];
  const approval = fleet.approval;
  return (
    <Paper
      variant="outlined"
      component="article"
      aria-label={`${copy.title} on ${parseEntityRef(fleet.scope).name}`}
      style={{ padding: 16 }}
    >
      <Typography variant="h6" component="h3">
        {copy.title} on <EntityRefLink entityRef={fleet.scope} hideIcon />
      </Typography>
      {approval && (
        <StructuredMetadataTable
          metadata={{
            ...facts({ ...fleet, entityRef: fleet.scope }, approval),
            ...(fleet.gracePeriodSeconds !== undefined
              ? { 'Grace period': `${fleet.gracePeriodSeconds} s` }
              : {}),
            'Fleet run': fleet.id,
          }}
          options={keepTitles}
        />
      )}
      <Box component="section" aria-label="Plan to approve" mt={1}>
        <Typography variant="subtitle2">
          What it would do: {copy.verb.toLocaleLowerCase('en-US')}{' '}
          {services(changing(fleet))}, in this order
        </Typography>
        <FleetPlanTable
          plan={fleet.plan}
          children={fleet.children}
          pending={`will ${copy.verb.toLocaleLowerCase('en-US')}`}
        />
      </Box>
      {children && <Box mt={1}>{children}</Box>}
    </Paper>
  );
};
