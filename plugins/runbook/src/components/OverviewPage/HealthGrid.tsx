import { ResponseErrorPanel } from '@backstage/core-components';
import { parseEntityRef } from '@backstage/catalog-model';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import Skeleton from '@material-ui/lab/Skeleton';
import type { HealthOverview } from '@nexus-cos/plugin-runbook-common';
import { HealthStatusChip } from '../health';
import { CatalogFacts, useSystemsOf } from './useSystemsOf';

type Service = HealthOverview['items'][number];

const NO_SYSTEM = 'No system';

function bySystem(items: Service[], facts?: CatalogFacts) {
  const groups = new Map<string, Service[]>();
  for (const item of items) {
    const ref = facts?.get(item.entityRef)?.system;
    // `spec.system` may be a full ref or a bare name; both group under the name.
    const system = ref
      ? parseEntityRef(ref, { defaultKind: 'system' }).name
      : NO_SYSTEM;
    groups.set(system, [...(groups.get(system) ?? []), item]);
  }
  return [...groups.entries()].sort(([a], [b]) =>
    a === NO_SYSTEM ? 1 : a.localeCompare(b),
  );
}

/** Every service's status as a tile, grouped by the catalog's system. */
export const HealthGrid = (props: { overview: HealthOverview }) => {
  const { items } = props.overview;
  const facts = useSystemsOf(items.map(i => i.entityRef));
  if (items.length === 0) {
    return (
      <Typography variant="body2">
        No services report health: annotate them with
        backstage.io/kubernetes-id.
      </Typography>
    );
  }
  if (!facts.value && !facts.error) {
    return (
      <Skeleton variant="rect" height={320} aria-label="Loading systems" />
    );
  }
  return (
    <>
      {facts.error && <ResponseErrorPanel error={facts.error} />}
      {bySystem(items, facts.value).map(([system, services]) => (
        <Box component="section" key={system} mb={2} aria-label={system}>
          <Typography variant="h6" component="h3">
            {system}
          </Typography>
          <Grid container spacing={1}>
            {services.map(service => (
              <Grid item xs={6} sm={4} md={3} lg={2} key={service.entityRef}>
                <Paper
                  variant="outlined"
                  style={{ padding: 8, height: '100%' }}
                >
                  <Typography variant="subtitle2">
                    {facts.value?.get(service.entityRef)?.title ??
                      parseEntityRef(service.entityRef).name}
                  </Typography>
                  <HealthStatusChip status={service.status} />
                  {service.reasons[0] && (
                    <Typography variant="caption" component="p">
                      {service.reasons[0].message}
                    </Typography>
                  )}
                </Paper>
              </Grid>
            ))}
          </Grid>
        </Box>
      ))}
    </>
  );
};
