import {
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { act, screen, within } from '@testing-library/react';
import type {
  Contact,
  EntityOnCall,
  GroupOnCall,
  OnCallAssignment,
} from '@nexus-cos/plugin-runbook-common';
import { runbookApiRef } from '../../api';
import { mediaUpload } from '../../testing/entities';
import { fakeRunbookApi, SERVICE_REF } from '../../testing/fakeRunbookApi';
import { OnCallCard } from './OnCallCard';

const contact = (
  name: string,
  displayName: string,
  chat?: string,
): Contact => ({
  userRef: `user:default/${name}`,
  name: displayName,
  email: `${name}@nexus-cos.example`,
  phone: '+49 30 1234567',
  ...(chat ? { chat } : {}),
});

const assignment = (
  who: Contact,
  start: string,
  end: string,
  groupRef = 'group:default/team-media',
): OnCallAssignment => ({
  shift: { userRef: who.userRef, groupRef, start, end, source: 'rotation' },
  contact: who,
});

const greta = contact(
  'greta',
  'Greta Vogel',
  'https://chat.nexus-cos.example/@greta',
);
// A hostile chat value: the card must not turn it into a link.
// eslint-disable-next-line no-script-url
const hannah = contact('hannah', 'Hannah Berg', 'javascript:alert(1)');
const ivan = contact('ivan', 'Ivan Petrov');

const teamMedia: GroupOnCall = {
  groupRef: 'group:default/team-media',
  name: 'Team Media',
  now: assignment(
    greta,
    '2026-03-09T09:00:00+01:00',
    '2026-03-16T09:00:00+01:00',
  ),
  next: [
    assignment(
      hannah,
      '2026-03-16T09:00:00+01:00',
      '2026-03-23T09:00:00+01:00',
    ),
    {
      ...assignment(
        ivan,
        '2026-03-23T09:00:00+01:00',
        '2026-03-30T09:00:00+02:00',
      ),
      shift: {
        ...assignment(
          ivan,
          '2026-03-23T09:00:00+01:00',
          '2026-03-30T09:00:00+02:00',
        ).shift,
        source: 'override',
        reason: 'holiday swap',
      },
    },
  ],
};

const onCall = (changes: Partial<EntityOnCall> = {}): EntityOnCall => ({
  entityRef: SERVICE_REF,
  at: '2026-03-11T12:00:00Z',
  owner: teamMedia,
  escalationChain: [
    {
      groupRef: 'group:default/platform-lead',
      name: 'Platform Lead',
      role: 'platform-lead',
      now: assignment(
        contact('paul', 'Paul Lead'),
        '2026-03-09T09:00:00+01:00',
        '2026-03-16T09:00:00+01:00',
        'group:default/platform-lead',
      ),
      next: [],
    },
    {
      groupRef: 'group:default/devops',
      name: 'DevOps',
      role: 'devops',
      next: [],
    },
    {
      groupRef: 'group:default/database-admin',
      name: 'Database Admin',
      next: [],
      problem: 'Missing annotation nexus-cos.io/oncall-timezone',
    },
  ],
  source: 'catalog',
  ...changes,
});

function renderCard(api: ReturnType<typeof fakeRunbookApi>) {
  return renderInTestApp(
    <TestApiProvider apis={[[runbookApiRef, api]]}>
      <EntityProvider entity={mediaUpload}>
        <OnCallCard />
      </EntityProvider>
    </TestApiProvider>,
  );
}

describe('OnCallCard', () => {
  it("shows the owner's on-call now and at the next hand-overs with contact links", async () => {
    const api = fakeRunbookApi({ getOnCall: jest.fn(async () => onCall()) });
    renderCard(api);

    expect(
      await screen.findByText('On call now for Team Media'),
    ).toBeInTheDocument();
    expect(api.getOnCall).toHaveBeenCalledWith(SERVICE_REF);
    const names = screen.getAllByText(
      /^(Greta Vogel|Hannah Berg|Ivan Petrov)$/,
    );
    expect(names.map(n => n.textContent)).toEqual([
      'Greta Vogel',
      'Hannah Berg',
      'Ivan Petrov',
    ]);
    expect(names[0].parentElement!.querySelector('time')).toHaveAttribute(
      'dateTime',
      '2026-03-16T09:00:00+01:00',
    );
    expect(names[1].parentElement!.querySelector('time')).toHaveAttribute(
      'dateTime',
      '2026-03-16T09:00:00+01:00',
    );
    expect(screen.getByText(/override: holiday swap/)).toBeInTheDocument();

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
    const api = fakeRunbookApi({ getOnCall: jest.fn(async () => onCall()) });
    renderCard(api);
    const chain = await screen.findByRole('list', { name: 'Escalation chain' });
    const steps = within(chain).getAllByRole('listitem');
    expect(steps).toHaveLength(3);
    expect(within(steps[0]).getByText('Platform Lead')).toBeInTheDocument();
    expect(within(steps[0]).getByText('Paul Lead')).toBeInTheDocument();
    expect(
      within(steps[0]).getByRole('link', { name: 'Email Paul Lead' }),
    ).toBeInTheDocument();
    expect(
      within(steps[1]).getByText('DevOps: no on-call rotation'),
    ).toBeInTheDocument();
    expect(
      within(steps[2]).getByText(
        'Database Admin: Missing annotation nexus-cos.io/oncall-timezone',
      ),
    ).toBeInTheDocument();
  });

  it('says what to configure when the owner has no rotation or there is no chain', async () => {
    const api = fakeRunbookApi({
      getOnCall: jest.fn(async () =>
        onCall({
          owner: { ...teamMedia, now: undefined, next: [] },
          escalationChain: [],
        }),
      ),
    });
    renderCard(api);
    expect(
      await screen.findByText(
        /Team Media has no on-call rotation: add nexus-cos.io\/oncall-rotation/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /No escalation chain: add nexus-cos.io\/escalation-chain/,
      ),
    ).toBeInTheDocument();
  });

  it("shows why the owner's rotation could not be resolved", async () => {
    const api = fakeRunbookApi({
      getOnCall: jest.fn(async () =>
        onCall({
          owner: {
            ...teamMedia,
            now: undefined,
            next: [],
            problem: 'Invalid annotation nexus-cos.io/oncall-handover',
          },
        }),
      ),
    });
    renderCard(api);
    expect(
      await screen.findByText(
        'Invalid annotation nexus-cos.io/oncall-handover',
      ),
    ).toBeInTheDocument();
  });

  it('says so when the entity has no Group owner', async () => {
    const api = fakeRunbookApi({
      getOnCall: jest.fn(async () => onCall({ owner: undefined })),
    });
    renderCard(api);
    expect(
      await screen.findByText(/This entity has no Group owner/),
    ).toBeInTheDocument();
  });

  it('shows a skeleton while loading, then the backend error', async () => {
    let fail: (e: Error) => void = () => {};
    const api = fakeRunbookApi({
      getOnCall: jest.fn(
        () =>
          new Promise((_, reject) => {
            fail = reject;
          }),
      ),
    });
    renderCard(api);
    expect(await screen.findByLabelText('Loading on-call')).toBeInTheDocument();
    act(() =>
      fail(new Error('entity component:default/media-upload not found')),
    );
    expect(
      (await screen.findAllByText(/media-upload not found/))[0],
    ).toBeInTheDocument();
  });
});
