import { Entity } from '@backstage/catalog-model';
import {
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import { catalogApiRef, EntityProvider } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { screen, within } from '@testing-library/react';
import { mediaUpload } from '../../testing/entities';
import { OnCallCard } from './OnCallCard';

const group = (
  name: string,
  annotations: Record<string, string> = {},
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: {
    name,
    namespace: 'default',
    title: name.toUpperCase(),
    annotations,
  },
  spec: { type: 'team', children: [] },
});

const rotation = (members: string) => ({
  'nexus-cos.io/oncall-rotation': members,
  'nexus-cos.io/oncall-start': '2026-01-05',
  'nexus-cos.io/oncall-handover': '09:00',
  'nexus-cos.io/oncall-period': 'P1W',
  'nexus-cos.io/oncall-timezone': 'Europe/Berlin',
});

const user = (name: string, displayName: string, chat?: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: {
    name,
    namespace: 'default',
    annotations: {
      'nexus-cos.io/phone': '+49 30 1234567',
      ...(chat ? { 'nexus-cos.io/chat': chat } : {}),
    },
  },
  spec: { profile: { displayName, email: `${name}@nexus-cos.example` } },
});

const system: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'System',
  metadata: { name: 'media', namespace: 'default' },
  spec: { owner: 'group:default/team-media', domain: 'nexus-cos' },
};

const domain: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Domain',
  metadata: {
    name: 'nexus-cos',
    namespace: 'default',
    annotations: {
      'nexus-cos.io/escalation-chain':
        'group:default/platform-lead,group:default/devops,group:default/database-admin',
    },
  },
  spec: { owner: 'group:default/platform-lead' },
};

const catalog = (teamMedia: Entity) => [
  mediaUpload,
  system,
  domain,
  teamMedia,
  group('platform-lead', rotation('paul')),
  group('devops'),
  user('greta', 'Greta Vogel', 'https://chat.nexus-cos.example/@greta'),
  // A hostile chat value: the card must not turn it into a link.
  // eslint-disable-next-line no-script-url
  user('hannah', 'Hannah Berg', 'javascript:alert(1)'),
  user('paul', 'Paul Lead'),
];

function renderCard(entities: Entity[]) {
  return renderInTestApp(
    <TestApiProvider apis={[[catalogApiRef, catalogApiMock({ entities })]]}>
      <EntityProvider entity={mediaUpload}>
        <OnCallCard />
      </EntityProvider>
    </TestApiProvider>,
  );
}

describe('OnCallCard', () => {
  beforeEach(() => {
    // Wednesday of the tenth rotation week: greta's shift (week 9 of greta, hannah, ivan).
    jest.useFakeTimers({
      now: new Date('2026-03-11T12:00:00Z'),
      advanceTimers: true,
    });
  });
  afterEach(() => jest.useRealTimers());

  it("shows the owner's on-call now and at the next hand-overs with contact links", async () => {
    renderCard(catalog(group('team-media', rotation('greta,hannah,ivan'))));

    expect(
      await screen.findByText('On call now for TEAM-MEDIA'),
    ).toBeInTheDocument();
    const names = screen.getAllByText(/^(Greta Vogel|Hannah Berg|ivan)$/);
    expect(names.map(n => n.textContent)).toEqual([
      'Greta Vogel',
      'Hannah Berg',
      'ivan',
    ]);
    expect(
      screen.getByText(/not in the catalog, no contact details/),
    ).toBeInTheDocument();
    const until = names[0].parentElement!.querySelector('time')!;
    expect(until).toHaveAttribute('dateTime', '2026-03-16T09:00:00+01:00');

    expect(
      screen.getByRole('link', { name: 'Email Greta Vogel' }),
    ).toHaveAttribute('href', 'mailto:greta@nexus-cos.example');
    expect(
      screen.getByRole('link', { name: 'Call Greta Vogel' }),
    ).toHaveAttribute('href', 'tel:+49301234567');
    expect(
      screen.getByRole('link', { name: 'Chat with Greta Vogel' }),
    ).toHaveAttribute('href', 'https://chat.nexus-cos.example/@greta');
    expect(
      screen.queryByRole('link', { name: 'Chat with Hannah Berg' }),
    ).toBeNull();
  });

  it("walks the domain's escalation chain with each step's current on-call", async () => {
    renderCard(catalog(group('team-media', rotation('greta,hannah,ivan'))));
    const chain = await screen.findByRole('list', { name: 'Escalation chain' });
    const steps = within(chain).getAllByRole('listitem');
    expect(steps).toHaveLength(3);
    expect(within(steps[0]).getByText('PLATFORM-LEAD')).toBeInTheDocument();
    expect(within(steps[0]).getByText('Paul Lead')).toBeInTheDocument();
    expect(
      within(steps[0]).getByRole('link', { name: 'Email Paul Lead' }),
    ).toBeInTheDocument();
    expect(
      within(steps[1]).getByText('DEVOPS: no on-call rotation'),
    ).toBeInTheDocument();
    expect(
      within(steps[2]).getByText('database-admin: not found in the catalog'),
    ).toBeInTheDocument();
  });

  it('says what to configure when the owner has no rotation', async () => {
    renderCard(catalog(group('team-media')));
    expect(
      await screen.findByText(
        /TEAM-MEDIA has no on-call rotation: add nexus-cos.io\/oncall-rotation/,
      ),
    ).toBeInTheDocument();
  });

  it('names the broken annotation when a rotation cannot be read', async () => {
    renderCard(
      catalog(
        group('team-media', {
          ...rotation('greta'),
          'nexus-cos.io/oncall-handover': '9am',
        }),
      ),
    );
    expect(
      await screen.findByText(
        /Invalid annotation nexus-cos.io\/oncall-handover/,
      ),
    ).toBeInTheDocument();
  });

  it('shows a skeleton while loading and the error when the catalog fails', async () => {
    const api = catalogApiMock.mock({
      getEntityByRef: jest.fn(async () => {
        throw new Error('catalog is unavailable');
      }),
    });
    renderInTestApp(
      <TestApiProvider apis={[[catalogApiRef, api]]}>
        <EntityProvider entity={mediaUpload}>
          <OnCallCard />
        </EntityProvider>
      </TestApiProvider>,
    );
    expect(screen.getByLabelText('Loading on-call')).toBeInTheDocument();
    expect(
      (await screen.findAllByText(/catalog is unavailable/))[0],
    ).toBeInTheDocument();
  });
});
