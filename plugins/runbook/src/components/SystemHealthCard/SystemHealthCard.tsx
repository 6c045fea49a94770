import { InfoCard, ResponseErrorPanel } from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/frontend-plugin-api';
import { catalogApiRef, useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Skeleton from '@material-ui/lab/Skeleton';
import { ANNOTATION_KUBERNETES_ID } from '@nexus-cos/plugin-runbook-common';
import { runbookApiRef } from '../../api';
import { useClusterAuthLoader } from '../../hooks/useClusterAuthLoader';
import { HEALTH_REFRESH_MS } from '../../hooks/useServiceHealth';
import { useLoader } from '../../hooks/useLoader';
import { HealthStatusChip } from '../health';
import { getSystemComponents } from '../system';
import { ServiceHealthList } from './ServiceHealthList';
import { ServiceHealthLine, summarize, systemHealth } from './systemHealth';

const SystemHealth = ({ services }: { services: ServiceHealthLine[] }) => {
  if (services.length === 0) {
    return (
      <Typography variant="body2">
        No services of this system have the {ANNOTATION_KUBERNETES_ID}{' '}
        annotation, so none report health.
      </Typography>
    );
  }
  const { worst, text } = summarize(services);
  return (
    <>
      <Box
        display="flex"
        alignItems="baseline"
        mb={1}
        aria-label="System health summary"
      >
        <Typography variant="h6" component="p">
          <HealthStatusChip status={worst} />
        </Typography>
        <Typography variant="body1" style={{ marginLeft: 8 }}>
          {text}
        </Typography>
      </Box>
      <ServiceHealthList services={services} />
    </>
  );
};

/** The health of every service of the System: the worst of them, then each one. */
export const SystemHealthCard = () => {
  const { entity } = useEntity();
  const systemRef = stringifyEntityRef(entity);
  const catalogApi = useApi(catalogApiRef);
  const api = useApi(runbookApiRef);
  const components = useLoader(
    () => getSystemComponents(catalogApi, systemRef),
    [catalogApi, systemRef],
  );
  // As on the Ops overview: clusters read with the user's token get it.
  const overview = useClusterAuthLoader(
    clusterToken => api.getHealthOverview({ clusterToken }),
    [api],
    { refreshMs: HEALTH_REFRESH_MS },
  );
  const error = components.error ?? overview.error;
  const services =
    components.value &&
    overview.value &&
    systemHealth(components.value, overview.value);
  return (
    <InfoCard title="System health">
      {error && <ResponseErrorPanel error={error} />}
      {!error && !services && (
        <Skeleton
          variant="rect"
          height={160}
          aria-label="Loading System health"
        />
      )}
      {!error && services && <SystemHealth services={services} />}
    </InfoCard>
  );
};
