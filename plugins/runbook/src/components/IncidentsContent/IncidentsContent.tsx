import { useState } from 'react';
import { InfoCard, ResponseErrorPanel } from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import Skeleton from '@material-ui/lab/Skeleton';
import { useSearchParams } from 'react-router-dom';
import {
  IncidentFilter,
  useIncidents,
  useIncidentStats,
} from '../../hooks/useIncidents';
import { DeclareIncidentButton } from '../DeclareIncident';
import { IncidentDetail, IncidentList, IncidentStatsLine } from '../incidents';
import { IncidentFilters } from './IncidentFilters';

/**
 * The Incidents tab: MTTA/MTTR, the history (open first) with filters, declaring a new
 * incident, and the selected incident's procedure, timeline and post-mortem. `?incident=`
 * opens one, as the emergency change of an approval links to it.
 */
export const IncidentsContent = () => {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const [searchParams] = useSearchParams();
  const [filter, setFilter] = useState<IncidentFilter>({});
  const [selectedId, setSelectedId] = useState(
    searchParams.get('incident') ?? undefined,
  );
  const incidents = useIncidents(entityRef, filter);
  const stats = useIncidentStats(entityRef);
  const refresh = () => {
    incidents.reload();
    stats.reload();
  };
  const filtered = Boolean(filter.status || filter.severity);

  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={7}>
        <InfoCard title="Incidents">
          <Box
            display="flex"
            justifyContent="space-between"
            alignItems="center"
            minHeight={40}
          >
            {stats.error && (
              <Typography variant="body2" color="error">
                Statistics unavailable: {stats.error.message}
              </Typography>
            )}
            {stats.value && <IncidentStatsLine stats={stats.value} />}
            {!stats.value && !stats.error && <Skeleton width={240} />}
            <DeclareIncidentButton
              defaults={{ entityRefs: [entityRef] }}
              onDeclared={incident => {
                refresh();
                setSelectedId(incident.id);
              }}
            />
          </Box>
          <IncidentFilters value={filter} onChange={setFilter} />
          {incidents.error && <ResponseErrorPanel error={incidents.error} />}
          {!incidents.error && !incidents.value && (
            <Skeleton
              variant="rect"
              height={240}
              aria-label="Loading incidents"
            />
          )}
          {incidents.value?.items.length === 0 && (
            <Typography variant="body2">
              {filtered
                ? 'No incidents match these filters.'
                : 'No incidents recorded for this service.'}
            </Typography>
          )}
          {!!incidents.value?.items.length && (
            <IncidentList
              incidents={incidents.value.items}
              selectedId={selectedId}
              onSelect={setSelectedId}
            />
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={5}>
        <InfoCard title="Incident">
          {selectedId ? (
            <IncidentDetail
              key={selectedId}
              id={selectedId}
              onChanged={refresh}
            />
          ) : (
            <Typography variant="body2">
              Select an incident to see its phase, timeline and post-mortem.
            </Typography>
          )}
        </InfoCard>
      </Grid>
    </Grid>
  );
};
