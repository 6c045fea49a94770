import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/frontend-plugin-api';
import { catalogApiRef, useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { ANNOTATION_KUBERNETES_ID } from '@nexus-cos/plugin-runbook-common';
import { runbookApiRef } from '../../api';
import { useLoader } from '../../hooks/useLoader';
import { LoadedCard } from '../OverviewPage/LoadedCard';
import { HealthStatusChip } from '../health';
import { getSystemComponents } from '../system';
import { ServiceHealthList } from './ServiceHealthList';
import { summarize, systemHealth } from './systemHealth';

/** The health of every service of the System: the worst of them, then each one. */
export const SystemHealthCard = () => {
  const { entity } = useEntity();
  const systemRef = stringifyEntityRef(entity);
  const catalogApi = useApi(catalogApiRef);
  const api = useApi(runbookApiRef);
  const state = useLoader(async () => {
    const [components, overview] = await Promise.all([
      getSystemComponents(catalogApi, systemRef),
      api.getHealthOverview(),
    ]);
    return systemHealth(components, overview);
  }, [catalogApi, api, systemRef]);
  return (
    <LoadedCard title="System health" state={state} height={160}>
      {services => {
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
      }}
    </LoadedCard>
  );
};
