import { ResponseErrorPanel } from '@backstage/core-components';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
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

/** Services by the full ref of their System, sorted by System name; no System last. */
function bySystem(items: Service[], facts?: CatalogFacts) {
  const groups = new Map<string, Service[]>();
  for (const item of items) {
    const ref = facts?.get(item.entityRef)?.system;
    // `spec.system` may be a full ref or a bare name in the service's namespace.
    const system = ref
      ? stringifyEntityRef(
          parseEntityRef(ref, {
            defaultKind: 'system',
            defaultNamespace: parseEntityRef(item.entityRef).namespace,
          }),
        )
      : NO_SYSTEM;
    groups.set(system, [...(groups.get(system) ?? []), item]);
  }
  const name = (ref: string) => parseEntityRef(ref).name;
  return [...groups.entries()].sort(([a], [b]) => {
    if (a === NO_SYSTEM || b === NO_SYSTEM) return a === NO_SYSTEM ? 1 : -1;
    return name(a).localeCompare(name(b));
  });
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
        <Box
          component="section"
          key={system}
          mb={2}
          aria-label={
            system === NO_SYSTEM ? system : parseEntityRef(system).name
          }
        >
          <Typography variant="h6" component="h3">
            {system === NO_SYSTEM ? (
              system
            ) : (
              // The catalog's presentation shows the System's title.
              <EntityRefLink entityRef={system} hideIcon />
            )}
          </Typography>
          <Grid container spacing={1}>
            {services.map(service => (
              <Grid item xs={6} sm={4} md={3} lg={2} key={service.entityRef}>
                <Paper
                  variant="outlined"
                  style={{ padding: 8, height: '100%' }}
                >
                  <Typography variant="subtitle2">
                    <EntityRefLink entityRef={service.entityRef} hideIcon>
                      {facts.value?.get(service.entityRef)?.title ??
                        parseEntityRef(service.entityRef).name}
                    </EntityRefLink>
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
