import { InfoCard, ResponseErrorPanel } from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import Skeleton from '@material-ui/lab/Skeleton';
import { useServiceHealth } from '../../hooks/useServiceHealth';
import { HealthSummary } from '../health';

/** The service's health at a glance, with the runbook's response when it is not healthy. */
export const HealthCard = () => {
  const { entity } = useEntity();
  const health = useServiceHealth(stringifyEntityRef(entity));
  return (
    <InfoCard title="Health">
      {health.error && <ResponseErrorPanel error={health.error} />}
      {!health.error && !health.value && (
        <Skeleton variant="rect" height={160} aria-label="Loading health" />
      )}
      {health.value && <HealthSummary health={health.value} />}
    </InfoCard>
  );
};
