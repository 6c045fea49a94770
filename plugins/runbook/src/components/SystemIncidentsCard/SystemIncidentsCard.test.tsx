import {
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import {
  catalogApiRef,
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { act, screen, within } from '@testing-library/react';
import { runbookApiRef } from '../../api';
import { fakeRunbookApi } from '../../testing/fakeRunbookApi';
import { pinDate } from '../../testing/clock';
import { incident, iso, MINUTE } from '../../testing/incidents';
import {
  checkout,
  mediaComponents,
  mediaSystem,
  SYSTEM_REF,
} from '../../testing/system';
import { SystemIncidentsCard } from './SystemIncidentsCard';

// Countdowns and "… ago" are read against a frozen Date, not the wall clock.
pinDate();

function renderCard(
  api: ReturnType<typeof fakeRunbookApi>,
  catalogApi = catalogApiMock({ entities: [...mediaComponents, checkout] }),
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [runbookApiRef, api],
        [catalogApiRef, catalogApi],
      ]}
    >
      <EntityProvider entity={mediaSystem(mediaComponents)}>
        <SystemIncidentsCard />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('SystemIncidentsCard', () => {
  it('lists the open incidents of the system and its services, most severe first, with countdowns', async () => {
    const api = fakeRunbookApi({
      listIncidents: jest.fn(async () => ({
        items: [
          incident(),
          incident({
            id: 'inc-2',
            title: 'Transcoding queue stalled',
            severity: 'P0',
            entityRefs: ['component:default/media-transcode'],
            detectedAt: iso(-3 * MINUTE),
            respondBy: iso(-3 * MINUTE),
          }),
        ],
      })),
    });
    renderCard(api);

    const table = await screen.findByRole('table', { name: 'Incidents' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(within(rows[0]).getByText('P0 Critical')).toBeInTheDocument();
    expect(
      within(rows[0]).getByText('Transcoding queue stalled'),
    ).toBeInTheDocument();
    expect(within(rows[0]).getByText(/^overdue by 3m/)).toBeInTheDocument();
    // Which service each incident is on, linked to its page.
    expect(
      within(rows[0]).getByRole('link', { name: 'media-transcode' }),
    ).toHaveAttribute('href', '/catalog/default/component/media-transcode');
    expect(within(rows[1]).getByText('P2 Medium')).toBeInTheDocument();
    expect(
      within(rows[1]).getByText(/^respond within 1h 55m$/),
    ).toBeInTheDocument();
    expect(
      screen.getByLabelText('Open incidents by severity'),
    ).toHaveTextContent('P0 Critical1P1 High0P2 Medium1P3 Low0');

    // One request for the System and every one of its Components, and no others.
    expect(api.listIncidents).toHaveBeenCalledTimes(1);
    const { entity, status } = api.listIncidents.mock.calls[0][0];
    expect(status).toBe('open');
    expect([...entity].sort()).toEqual(
      [
        SYSTEM_REF,
        'component:default/media-docs',
        'component:default/media-thumbnails',
        'component:default/media-transcode',
        'component:default/media-upload',
      ].sort(),
    );
  });

  it('says when nothing is open', async () => {
    renderCard(
      fakeRunbookApi({ listIncidents: jest.fn(async () => ({ items: [] })) }),
    );
    expect(await screen.findByText('No open incidents.')).toBeInTheDocument();
  });

  it("shows a skeleton while loading, then the backend's error", async () => {
    let fail: (e: Error) => void = () => {};
    const api = fakeRunbookApi({
      listIncidents: jest.fn(
        () =>
          new Promise((_, reject) => {
            fail = reject;
          }),
      ),
    });
    renderCard(api);
    expect(
      await screen.findByLabelText('Loading System incidents'),
    ).toBeInTheDocument();
    act(() =>
      fail(new Error('entity must name at most 100 entities; got 140')),
    );
    expect(
      (await screen.findAllByText(/at most 100 entities; got 140/))[0],
    ).toBeInTheDocument();
    expect(screen.queryByLabelText('Loading System incidents')).toBeNull();
  });

  it("shows the catalog's error without asking for incidents", async () => {
    const api = fakeRunbookApi();
    const catalogApi = catalogApiMock.mock({
      getEntities: jest.fn(async () => {
        throw new Error('catalog unavailable');
      }),
    });
    renderCard(api, catalogApi);
    expect(
      (await screen.findAllByText(/catalog unavailable/))[0],
    ).toBeInTheDocument();
    expect(api.listIncidents).not.toHaveBeenCalled();
  });
});
