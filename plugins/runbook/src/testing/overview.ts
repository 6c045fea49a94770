import { fakeRunbookApi } from './fakeRunbookApi';

/** A backend with no services, incidents, runs or rotations, unless changed. */
export const emptyOverviewApi = (
  changes: Parameters<typeof fakeRunbookApi>[0] = {},
) =>
  fakeRunbookApi({
    getHealthOverview: jest.fn(async () => ({ items: [] })),
    listIncidents: jest.fn(async () => ({ items: [] })),
    listAudit: jest.fn(async () => ({ items: [] })),
    listApprovals: jest.fn(async () => ({ items: [], fleet: [] })),
    listFreezes: jest.fn(async () => ({ items: [] })),
    getOnCallOverview: jest.fn(async () => ({
      at: '2026-11-26T10:00:00Z',
      items: [],
      source: 'catalog',
    })),
    ...changes,
  });
