import { InfoCard, ResponseErrorPanel } from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import type { ServiceHealth } from '@nexus-cos/plugin-runbook-common';
import Skeleton from '@material-ui/lab/Skeleton';
import { useServiceHealth } from '../../hooks/useServiceHealth';
import { DiagnosticsCard } from '../diagnostics';
import {
  EventList,
  HealthSummary,
  LogTail,
  MetricCharts,
  PodTable,
} from '../health';

/** The service's pods; with several clusters, those of each under its name. */
const Pods = ({ health }: { health: ServiceHealth }) => {
  if ((health.clusters?.length ?? 0) < 2) {
    return <PodTable pods={health.workload?.pods} />;
  }
  return (
    <>
      {health.clusters!.map(part => (
        <section key={part.cluster} aria-label={`Pods in ${part.cluster}`}>
          <Typography variant="subtitle2" component="h3">
            {part.cluster}
          </Typography>
          <PodTable pods={part.workload?.pods} />
        </section>
      ))}
    </>
  );
};

/**
 * The Health tab: status and the runbook's response, pods, diagnostics on demand,
 * golden-signal charts over the last hour, recent events and a log tail. Events and logs wait for the health answer,
 * which says whether their cluster must be read with the user's token.
 */
export const HealthContent = () => {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const health = useServiceHealth(entityRef);
  if (health.error) return <ResponseErrorPanel error={health.error} />;
  const value = health.value;
  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={5}>
        <InfoCard title="Status">
          {value ? (
            <HealthSummary health={value} />
          ) : (
            <Skeleton variant="rect" height={200} aria-label="Loading health" />
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={7}>
        <InfoCard title="Pods">
          {value ? (
            <Pods health={value} />
          ) : (
            <Skeleton variant="rect" height={200} />
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <DiagnosticsCard
          entityRef={entityRef}
          clusters={value?.clusters?.map(c => c.cluster)}
        />
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="Golden signals (last hour)">
          {value ? (
            <MetricCharts metrics={value.metrics} />
          ) : (
            <Skeleton variant="rect" height={380} />
          )}
        </InfoCard>
      </Grid>
      {/* Full width: events have long objects and messages, log lines are long. */}
      <Grid item xs={12}>
        <InfoCard title="Recent events">
          {value ? (
            <EventList entityRef={entityRef} clusterAuth={value.clusterAuth} />
          ) : (
            <Skeleton variant="rect" height={200} aria-label="Loading events" />
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="Log tail">
          {value ? (
            <LogTail entityRef={entityRef} clusterAuth={value.clusterAuth} />
          ) : (
            <Skeleton variant="rect" height={320} aria-label="Loading logs" />
          )}
        </InfoCard>
      </Grid>
    </Grid>
  );
};
