import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/frontend-plugin-api';
import { catalogApiRef, useEntity } from '@backstage/plugin-catalog-react';
import { runbookApiRef } from '../../api';
import { INCIDENTS_REFRESH_MS } from '../../hooks/useIncidents';
import { useLoader } from '../../hooks/useLoader';
import { LoadedCard } from '../OverviewPage/LoadedCard';
import { OpenIncidents } from '../OverviewPage/OpenIncidents';
import { getSystemComponents } from '../system';

/**
 * Open incidents of the System and of its services, counted by severity, each with its
 * response countdown.
 */
export const SystemIncidentsCard = () => {
  const { entity } = useEntity();
  const systemRef = stringifyEntityRef(entity);
  const catalogApi = useApi(catalogApiRef);
  const api = useApi(runbookApiRef);
  const state = useLoader(
    async () => {
      const components = await getSystemComponents(catalogApi, systemRef);
      return api.listIncidents({
        entity: [systemRef, ...components.map(c => stringifyEntityRef(c))],
        status: 'open',
      });
    },
    [catalogApi, api, systemRef],
    { refreshMs: INCIDENTS_REFRESH_MS },
  );
  return (
    <LoadedCard title="System incidents" state={state} height={120}>
      {list => <OpenIncidents incidents={list.items} />}
    </LoadedCard>
  );
};
