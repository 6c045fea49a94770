import {
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  KubernetesAuthProvidersApi,
  kubernetesAuthProvidersApiRef,
} from '@backstage/plugin-kubernetes-react';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { runbookApiRef } from '../../api';
import { mediaUpload } from '../../testing/entities';
import {
  clusterAuthRequiredHealth,
  fakeRunbookApi,
  OKTA_CLUSTER,
  SERVICE_REF,
} from '../../testing/fakeRunbookApi';
import {
  degradedHealth,
  healthApi,
  healthyWithoutMetrics,
} from '../../testing/health';
import { HealthContent } from './HealthContent';

function renderTab(
  api: ReturnType<typeof fakeRunbookApi>,
  kubernetesAuth?: Pick<KubernetesAuthProvidersApi, 'getCredentials'>,
) {
  const tab = (
    <EntityProvider entity={mediaUpload}>
      <HealthContent />
    </EntityProvider>
  );
  return renderInTestApp(
    kubernetesAuth ? (
      <TestApiProvider
        apis={[
          [runbookApiRef, api],
          [kubernetesAuthProvidersApiRef, kubernetesAuth],
        ]}
      >
        {tab}
      </TestApiProvider>
    ) : (
      <TestApiProvider apis={[[runbookApiRef, api]]}>{tab}</TestApiProvider>
    ),
  );
}

/** A backend that needs the user's Okta token to read media-upload's cluster. */
const oktaClusterApi = () =>
  healthApi({
    getHealth: jest.fn(async (_ref, options) =>
      options?.clusterToken
        ? degradedHealth({ clusterAuth: OKTA_CLUSTER })
        : clusterAuthRequiredHealth(),
    ),
  });

const OKTA_TOKEN = { authProvider: 'oidc.okta', token: 'alice-okta-token' };

describe('HealthContent', () => {
  it('shows pods with phase, restarts and age', async () => {
    renderTab(healthApi());
    const pods = await screen.findByRole('table', { name: 'Pods' });
    const rows = within(pods).getAllByRole('row').slice(1);
    expect(rows.map(r => r.textContent)).toEqual([
      expect.stringMatching(/^media-upload-7d9f-abcdeRunningyes0/),
      expect.stringMatching(
        /^media-upload-7d9f-fghijRunning \(CrashLoopBackOff\)no4/,
      ),
    ]);
    expect(within(rows[1]).getByRole('time')).toBeDefined();
  });

  it('shows the pods of each cluster of a service in several, and diagnoses the one picked', async () => {
    const health = degradedHealth();
    const pods = health.workload!.pods;
    renderTab(
      healthApi({
        getHealth: jest.fn(async () =>
          degradedHealth({
            workload: undefined,
            clusters: [
              {
                cluster: 'east',
                status: 'degraded',
                reasons: health.reasons,
                workload: { ...health.workload!, cluster: 'east' },
              },
              {
                cluster: 'west',
                status: 'healthy',
                reasons: [],
                workload: {
                  ...health.workload!,
                  cluster: 'west',
                  pods: [{ ...pods[0], name: 'media-upload-west-1' }],
                },
              },
            ],
          }),
        ),
        getEvents: jest.fn(async () => ({
          items: [
            {
              cluster: 'west',
              type: 'Warning',
              reason: 'BackOff',
              message: 'Back-off restarting failed container',
              object: 'Pod/media-upload-west-1',
              count: 3,
              lastSeen: '2026-11-26T09:59:00Z',
            },
          ],
        })),
      }),
    );
    const east = await screen.findByRole('region', { name: 'Pods in east' });
    const west = screen.getByRole('region', { name: 'Pods in west' });
    expect(
      within(east)
        .getAllByRole('row')
        .slice(1)
        .map(r => r.textContent),
    ).toEqual([
      expect.stringMatching(/^media-upload-7d9f-abcde/),
      expect.stringMatching(/^media-upload-7d9f-fghij/),
    ]);
    expect(
      within(west)
        .getAllByRole('row')
        .slice(1)
        .map(r => r.textContent),
    ).toEqual([expect.stringMatching(/^media-upload-west-1Running/)]);
    expect(screen.getByRole('combobox', { name: 'Cluster' })).toHaveValue(
      'east',
    );
    const events = await screen.findByRole('table', { name: 'Events' });
    expect(
      within(events).getByText('west: Pod/media-upload-west-1'),
    ).toBeInTheDocument();
  });

  it('draws the golden signals with their current values, and business metrics the service has', async () => {
    renderTab(healthApi());
    expect(
      await screen.findByRole('figure', { name: 'Request rate' }),
    ).toHaveTextContent('Request rate: 42.3 req/s');
    expect(
      screen.getByRole('figure', { name: 'Error rate' }),
    ).toHaveTextContent('Error rate: 7.50 %');
    expect(screen.getByRole('figure', { name: 'Latency' })).toHaveTextContent(
      'Latency: p50 40 ms, p95 200 ms, p99 450 ms',
    );
    expect(screen.getByRole('figure', { name: 'CPU' })).toHaveTextContent(
      'CPU: 0.35 cores',
    );
    expect(screen.getByRole('figure', { name: 'Memory' })).toHaveTextContent(
      'Memory: 256.0 MiB',
    );
    expect(
      screen.getByRole('figure', { name: 'Content uploads and downloads' }),
    ).toHaveTextContent('uploads 1.50 /s');
    expect(screen.queryByRole('figure', { name: 'Revenue' })).toBeNull();
  });

  it('lists recent events and filters the log tail to ERROR lines', async () => {
    const user = userEvent.setup();
    const api = healthApi({
      getEvents: jest.fn(async () => ({
        items: [
          {
            type: 'Warning',
            reason: 'BackOff',
            message: 'Back-off restarting failed container',
            object: 'Pod/media-upload-7d9f-fghij',
            count: 12,
            lastSeen: '2026-11-26T09:59:00Z',
          },
        ],
      })),
      getLogs: jest.fn(async (_ref, options) => ({
        pod: 'media-upload-7d9f-abcde',
        lines: options?.errorsOnly
          ? ['ERROR upload failed: bucket unreachable']
          : ['INFO started', 'ERROR upload failed: bucket unreachable'],
        errorsOnly: Boolean(options?.errorsOnly),
      })),
    });
    renderTab(api);

    const events = await screen.findByRole('table', { name: 'Events' });
    expect(
      within(events).getByText('Back-off restarting failed container'),
    ).toBeInTheDocument();
    expect(within(events).getByText('12')).toBeInTheDocument();
    expect(api.getEvents).toHaveBeenCalledWith(SERVICE_REF, { limit: 20 });

    const log = await screen.findByLabelText('Log of media-upload-7d9f-abcde');
    expect(log).toHaveTextContent('INFO started');
    await user.click(
      screen.getByRole('checkbox', { name: 'Only ERROR lines' }),
    );
    expect(api.getLogs).toHaveBeenLastCalledWith(SERVICE_REF, {
      tail: 200,
      errorsOnly: true,
    });
    await screen.findByText('ERROR upload failed: bucket unreachable', {
      exact: true,
    });
    expect(
      screen.getByLabelText('Log of media-upload-7d9f-abcde'),
    ).not.toHaveTextContent('INFO started');
  });

  it('says what is missing: metrics not configured, no pods, no events, empty log', async () => {
    const user = userEvent.setup();
    const health = healthyWithoutMetrics();
    renderTab(
      healthApi({
        getHealth: jest.fn(async () => ({
          ...health,
          workload: { ...health.workload!, pods: [] },
        })),
      }),
    );
    expect(
      (await screen.findAllByText('metrics: Prometheus not configured')).length,
    ).toBeGreaterThan(0);
    expect(screen.queryByRole('figure')).toBeNull();
    expect(screen.getByText('No pods are running.')).toBeInTheDocument();
    expect(await screen.findByText('No recent events.')).toBeInTheDocument();
    expect(await screen.findByText('The log is empty.')).toBeInTheDocument();
    await user.click(
      screen.getByRole('checkbox', { name: 'Only ERROR lines' }),
    );
    expect(
      await screen.findByText('No ERROR lines in the tail.'),
    ).toBeInTheDocument();
  });

  it('shows skeletons while health loads, and reads events and logs once it says how', async () => {
    const api = healthApi({
      getHealth: jest.fn(() => new Promise(() => {})),
    });
    renderTab(api);
    expect(await screen.findByLabelText('Loading health')).toBeInTheDocument();
    expect(screen.getByLabelText('Loading events')).toBeInTheDocument();
    expect(screen.getByLabelText('Loading logs')).toBeInTheDocument();
    // Health says whether their cluster needs the user's token.
    expect(api.getEvents).not.toHaveBeenCalled();
    expect(api.getLogs).not.toHaveBeenCalled();
  });

  it('shows the backend errors of each part', async () => {
    const api = healthApi({
      getEvents: jest.fn(async () => {
        throw new Error('events: cluster sandbox unreachable');
      }),
      getLogs: jest.fn(() => new Promise(() => {})),
    });
    renderTab(api);
    expect(
      (await screen.findAllByText(/events: cluster sandbox unreachable/))[0],
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Loading logs')).toBeInTheDocument();
  });

  it("reads a cluster that needs the user's credentials with their token", async () => {
    const api = oktaClusterApi();
    const kubernetesAuth = {
      getCredentials: jest.fn(async () => ({ token: 'alice-okta-token' })),
    };
    renderTab(api, kubernetesAuth);

    const pods = await screen.findByRole('table', { name: 'Pods' });
    expect(
      within(pods).getByText('media-upload-7d9f-abcde'),
    ).toBeInTheDocument();
    expect(screen.getByText('degraded')).toBeInTheDocument();
    expect(
      screen.queryByText(/read with your own oidc.okta sign-in/),
    ).not.toBeInTheDocument();
    expect(kubernetesAuth.getCredentials).toHaveBeenCalledWith('oidc.okta');
    expect(api.getHealth.mock.calls).toEqual([
      [SERVICE_REF, { clusterToken: undefined }],
      [SERVICE_REF, { clusterToken: OKTA_TOKEN }],
    ]);
    await screen.findByText('No recent events.');
    expect(api.getEvents).toHaveBeenCalledWith(SERVICE_REF, {
      limit: 20,
      clusterToken: OKTA_TOKEN,
    });
    expect(api.getLogs).toHaveBeenCalledWith(SERVICE_REF, {
      tail: 200,
      errorsOnly: false,
      clusterToken: OKTA_TOKEN,
    });
  });

  it('says what is missing when the app has no Kubernetes auth providers', async () => {
    const api = oktaClusterApi();
    renderTab(api);

    expect(
      await screen.findByText(
        'Cluster okta-prod is read with your own oidc.okta sign-in, and this request brought none: sign in to oidc.okta to see its workload (API callers: the Backstage-Kubernetes-Authorization-oidc-okta header)',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('unknown')).toBeInTheDocument();
    expect(
      screen.getByText('Workload unknown: the cluster was not read.'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Pods unknown: the cluster was not read.'),
    ).toBeInTheDocument();
    expect(api.getHealth).toHaveBeenCalledTimes(1);
  });

  it('keeps the first answer when the user does not sign in to the cluster', async () => {
    const api = oktaClusterApi();
    const kubernetesAuth = {
      getCredentials: jest.fn(async () => {
        throw new Error('Okta sign-in was cancelled');
      }),
    };
    renderTab(api, kubernetesAuth);

    expect(
      await screen.findByText(/read with your own oidc.okta sign-in/),
    ).toBeInTheDocument();
    expect(kubernetesAuth.getCredentials).toHaveBeenCalledWith('oidc.okta');
    expect(api.getHealth).toHaveBeenCalledTimes(1);
  });

  it('shows the backend error when health cannot be read', async () => {
    renderTab(
      healthApi({
        getHealth: jest.fn(async () => {
          throw new Error('entity component:default/media-upload not found');
        }),
      }),
    );
    expect(
      (await screen.findAllByText(/media-upload not found/))[0],
    ).toBeInTheDocument();
  });
});
