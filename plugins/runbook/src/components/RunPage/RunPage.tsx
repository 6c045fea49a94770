import { Content, InfoCard } from '@backstage/core-components';
import { useRouteRefParams } from '@backstage/frontend-plugin-api';
import { runRouteRef } from '../../routes';
import { RunProgress } from '../RunProgress';

/** One run, followed live: what it changes, its status and log, and cancel. */
export const RunPage = () => {
  const { id } = useRouteRefParams(runRouteRef);
  return (
    <Content>
      <InfoCard title={`Run ${id}`}>
        <RunProgress runId={id} details />
      </InfoCard>
    </Content>
  );
};
