import { useState } from 'react';
import { Content } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import Box from '@material-ui/core/Box';
import Alert from '@material-ui/lab/Alert';
import {
  MaintenanceItem,
  MaintenancePeriod,
} from '@nexus-cos/plugin-runbook-common';
import { runbookApiRef } from '../../api';
import { useLoader } from '../../hooks/useLoader';
import { ResponseErrorPanel } from '@backstage/core-components';
import { CompleteItemDialog } from './CompleteItemDialog';
import { MaintenanceTable } from './MaintenanceTable';

const REFRESH_MS = 60_000;

const PERIODS: Array<{ period: MaintenancePeriod; title: string }> = [
  { period: 'daily', title: 'Today' },
  { period: 'weekly', title: 'This week' },
  { period: 'monthly', title: 'This month' },
];

/**
 * The runbook's routine maintenance: today, this week and this month, with what is done,
 * by whom and when, the evidence, what is overdue, and the manual items to tick.
 */
export const MaintenancePage = () => {
  const api = useApi(runbookApiRef);
  const options = { refreshMs: REFRESH_MS };
  const loaders = {
    daily: useLoader(() => api.getMaintenance('daily'), [api], options),
    weekly: useLoader(() => api.getMaintenance('weekly'), [api], options),
    monthly: useLoader(() => api.getMaintenance('monthly'), [api], options),
  };
  const [ticking, setTicking] = useState<{
    item: MaintenanceItem;
    period: MaintenancePeriod;
  }>();
  const overdue = PERIODS.flatMap(
    p =>
      loaders[p.period].value?.items.filter(i => i.status === 'overdue') ?? [],
  );
  return (
    <Content>
      {overdue.length > 0 && (
        <Box mb={3}>
          <Alert severity="error">
            {overdue.length} item{overdue.length > 1 ? 's' : ''} overdue:{' '}
            {overdue.map(i => i.title).join(', ')}
          </Alert>
        </Box>
      )}
      {PERIODS.map(({ period, title }) => (
        <Box mb={3} key={period}>
          {loaders[period].error ? (
            <ResponseErrorPanel error={loaders[period].error!} />
          ) : (
            <MaintenanceTable
              title={title}
              calendar={loaders[period].value}
              onComplete={item => setTicking({ item, period })}
            />
          )}
        </Box>
      ))}
      {ticking && (
        <CompleteItemDialog
          item={ticking.item}
          onClose={() => setTicking(undefined)}
          onDone={() => {
            loaders[ticking.period].reload();
            setTicking(undefined);
          }}
        />
      )}
    </Content>
  );
};
