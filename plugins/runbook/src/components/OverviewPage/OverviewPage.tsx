import { Content } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import Grid from '@material-ui/core/Grid';
import { runbookApiRef } from '../../api';
import { useClusterAuthLoader } from '../../hooks/useClusterAuthLoader';
import { HEALTH_REFRESH_MS } from '../../hooks/useServiceHealth';
import { INCIDENTS_REFRESH_MS } from '../../hooks/useIncidents';
import { useLoader } from '../../hooks/useLoader';
import { ActiveFreezes } from './ActiveFreezes';
import { HealthGrid } from './HealthGrid';
import { LoadedCard } from './LoadedCard';
import { OnCallNow } from './OnCallNow';
import { OpenIncidents } from './OpenIncidents';
import { PendingApprovals } from './PendingApprovals';
import { RecentRuns } from './RecentRuns';

/** Audit records read to find the last runs; runs write several records each. */
const AUDIT_WINDOW = 200;

/** How often the changes waiting for the user's decision are read again. */
const APPROVALS_REFRESH_MS = 30_000;

/**
 * The platform at a glance: every service's health by system, open incidents by severity,
 * the changes waiting for the user's approval, the change freezes in force, the last runs
 * and who is on call now.
 */
export const OverviewPage = () => {
  const api = useApi(runbookApiRef);
  const health = useClusterAuthLoader(
    clusterToken => api.getHealthOverview({ clusterToken }),
    [api],
    { refreshMs: HEALTH_REFRESH_MS },
  );
  const incidents = useLoader(
    () => api.listIncidents({ status: 'open' }),
    [api],
    { refreshMs: INCIDENTS_REFRESH_MS },
  );
  // Newest first: the finished runs are among the trail's latest records.
  const audit = useLoader(
    () => api.listAudit({ limit: AUDIT_WINDOW, order: 'desc' }),
    [api],
  );
  const onCall = useLoader(() => api.getOnCallOverview(), [api]);
  const approvals = useLoader(() => api.listApprovals(), [api], {
    refreshMs: APPROVALS_REFRESH_MS,
  });
  const freezes = useLoader(() => api.listFreezes(), [api], {
    refreshMs: APPROVALS_REFRESH_MS,
  });
  return (
    <Content>
      <Grid container spacing={3}>
        <Grid item xs={12}>
          <LoadedCard title="Service health" state={health} height={320}>
            {overview => <HealthGrid overview={overview} />}
          </LoadedCard>
        </Grid>
        {/* The incidents table has six columns; the on-call list is names and icons. */}
        <Grid item xs={12} lg={8}>
          <LoadedCard title="Open incidents" state={incidents} height={240}>
            {list => <OpenIncidents incidents={list.items} />}
          </LoadedCard>
        </Grid>
        <Grid item xs={12} lg={4}>
          <LoadedCard title="On call" state={onCall} height={240}>
            {overview => <OnCallNow overview={overview} />}
          </LoadedCard>
        </Grid>
        <Grid item xs={12} lg={8}>
          <LoadedCard title="Pending approvals" state={approvals} height={120}>
            {lists => (
              <PendingApprovals items={lists.items} fleet={lists.fleet} />
            )}
          </LoadedCard>
        </Grid>
        <Grid item xs={12} lg={4}>
          <LoadedCard title="Change freezes" state={freezes} height={120}>
            {list => <ActiveFreezes items={list.items} />}
          </LoadedCard>
        </Grid>
        <Grid item xs={12}>
          <LoadedCard title="Recent runs" state={audit} height={240}>
            {page => <RecentRuns records={page.items} />}
          </LoadedCard>
        </Grid>
      </Grid>
    </Content>
  );
};
