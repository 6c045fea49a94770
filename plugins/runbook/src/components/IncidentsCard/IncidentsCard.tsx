import { InfoCard, ResponseErrorPanel } from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Skeleton from '@material-ui/lab/Skeleton';
import { useIncidents, useIncidentStats } from '../../hooks/useIncidents';
import { DeclareIncidentButton } from '../DeclareIncident';
import { IncidentList, IncidentStatsLine } from '../incidents';

const OPEN = { status: 'open' };

/** The service's open incidents with their response targets, MTTA/MTTR, and declare. */
export const IncidentsCard = () => {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const open = useIncidents(entityRef, OPEN);
  const stats = useIncidentStats(entityRef);
  return (
    <InfoCard title="Incidents">
      <Box minHeight={24}>
        {stats.value && <IncidentStatsLine stats={stats.value} />}
        {stats.error && (
          <Typography variant="body2" color="error">
            Statistics unavailable: {stats.error.message}
          </Typography>
        )}
      </Box>
      {open.error && <ResponseErrorPanel error={open.error} />}
      {!open.error && !open.value && (
        <Skeleton variant="rect" height={120} aria-label="Loading incidents" />
      )}
      {open.value?.items.length === 0 && (
        <Typography variant="body2">No open incidents.</Typography>
      )}
      {!!open.value?.items.length && (
        <IncidentList incidents={open.value.items} />
      )}
      <Box mt={1}>
        <DeclareIncidentButton
          defaults={{ entityRefs: [entityRef] }}
          onDeclared={() => {
            open.reload();
            stats.reload();
          }}
        />
      </Box>
    </InfoCard>
  );
};
