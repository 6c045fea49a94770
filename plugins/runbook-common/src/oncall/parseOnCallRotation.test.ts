import {
  ANNOTATION_ONCALL_HANDOVER,
  ANNOTATION_ONCALL_OVERRIDES,
  ANNOTATION_ONCALL_PERIOD,
  ANNOTATION_ONCALL_ROTATION,
  ANNOTATION_ONCALL_START,
  ANNOTATION_ONCALL_TIMEZONE,
} from '../annotations';
import { parseOnCallRotation } from './parseOnCallRotation';
import { testGroup } from './testUtils';

describe('parseOnCallRotation', () => {
  it('reads a complete rotation with full user refs', () => {
    const overrides = [
      {
        start: '2026-12-24T09:00:00+01:00',
        end: '2026-12-27T09:00:00+01:00',
        user: 'bob',
        reason: 'swap',
      },
      {
        start: '2026-12-31T09:00:00Z',
        end: '2027-01-01T09:00:00Z',
        user: 'user:other/zed',
      },
    ];
    expect(
      parseOnCallRotation(
        testGroup({
          [ANNOTATION_ONCALL_ROTATION]: ' alice, user:default/bob ,carol',
          [ANNOTATION_ONCALL_PERIOD]: 'P2W',
          [ANNOTATION_ONCALL_OVERRIDES]: JSON.stringify(overrides),
        }),
      ),
    ).toEqual({
      groupRef: 'group:default/team-test',
      members: ['user:default/alice', 'user:default/bob', 'user:default/carol'],
      start: '2026-01-05',
      handover: '09:00',
      periodDays: 14,
      timezone: 'Europe/Berlin',
      overrides: [
        {
          start: overrides[0].start,
          end: overrides[0].end,
          userRef: 'user:default/bob',
          reason: 'swap',
        },
        {
          start: overrides[1].start,
          end: overrides[1].end,
          userRef: 'user:other/zed',
        },
      ],
    });
  });

  it("resolves bare user names in the group's namespace", () => {
    const rotation = parseOnCallRotation(testGroup({}, 'media'));
    expect(rotation?.groupRef).toBe('group:media/team-test');
    expect(rotation?.members[0]).toBe('user:media/alice');
  });

  it.each([
    ['P1D', 1],
    ['P3D', 3],
    ['P1W', 7],
    ['P2W', 14],
    ['P1W2D', 9],
  ])('reads the period %s as %i days', (period, days) => {
    expect(
      parseOnCallRotation(testGroup({ [ANNOTATION_ONCALL_PERIOD]: period }))
        ?.periodDays,
    ).toBe(days);
  });

  it('returns undefined for a group without a rotation', () => {
    expect(
      parseOnCallRotation(
        testGroup({ [ANNOTATION_ONCALL_ROTATION]: undefined }),
      ),
    ).toBeUndefined();
    const bare = testGroup();
    delete bare.metadata.annotations;
    expect(parseOnCallRotation(bare)).toBeUndefined();
  });

  it.each([
    ANNOTATION_ONCALL_START,
    ANNOTATION_ONCALL_HANDOVER,
    ANNOTATION_ONCALL_PERIOD,
    ANNOTATION_ONCALL_TIMEZONE,
  ])('names the missing annotation %s', key => {
    expect(() => parseOnCallRotation(testGroup({ [key]: undefined }))).toThrow(
      `Missing annotation ${key} on group:default/team-test`,
    );
  });

  it.each([
    [ANNOTATION_ONCALL_ROTATION, 'alice,,bob', /found an empty entry/],
    [ANNOTATION_ONCALL_ROTATION, '', /found an empty entry/],
    [
      ANNOTATION_ONCALL_ROTATION,
      'alice,group:default/devops',
      /"group:default\/devops" must refer to a user, not a group/,
    ],
    [ANNOTATION_ONCALL_START, '05.01.2026', /expected an ISO local date/],
    [ANNOTATION_ONCALL_START, '2026-02-30', /expected an ISO local date/],
    [ANNOTATION_ONCALL_HANDOVER, '9:00', /expected a local time HH:mm/],
    [ANNOTATION_ONCALL_HANDOVER, '24:00', /expected a local time HH:mm/],
    [ANNOTATION_ONCALL_PERIOD, 'P1M', /whole days or weeks/],
    [ANNOTATION_ONCALL_PERIOD, 'PT12H', /whole days or weeks/],
    [ANNOTATION_ONCALL_PERIOD, 'P0D', /at least one day/],
    [ANNOTATION_ONCALL_PERIOD, 'P', /at least one day/],
    [
      ANNOTATION_ONCALL_TIMEZONE,
      'Europe/Atlantis',
      /expected an IANA time zone/,
    ],
    [
      ANNOTATION_ONCALL_OVERRIDES,
      '[{start:',
      /expected a JSON array of overrides/,
    ],
    [ANNOTATION_ONCALL_OVERRIDES, '{"user":"bob"}', /expected array/],
    [
      ANNOTATION_ONCALL_OVERRIDES,
      '[{"start":"2026-12-24T09:00:00","end":"2026-12-27T09:00:00+01:00","user":"bob"}]',
      /\[0\.start\]/,
    ],
    [
      ANNOTATION_ONCALL_OVERRIDES,
      '[{"start":"2026-12-24T09:00:00+01:00","end":"2026-12-27T09:00:00+01:00"}]',
      /\[0\.user\]/,
    ],
    [
      ANNOTATION_ONCALL_OVERRIDES,
      '[{"start":"2026-12-27T09:00:00+01:00","end":"2026-12-24T09:00:00+01:00","user":"bob"}]',
      /start must be before end/,
    ],
    [
      ANNOTATION_ONCALL_OVERRIDES,
      '[{"start":"2026-12-24T09:00:00+01:00","end":"2026-12-24T10:00:00+01:00","user":"component:svc"}]',
      /must refer to a user, not a component/,
    ],
  ])('rejects %s = %j with a message naming it', (key, value, problem) => {
    const parse = () => parseOnCallRotation(testGroup({ [key]: value }));
    expect(parse).toThrow(
      `Invalid annotation ${key} on group:default/team-test`,
    );
    expect(parse).toThrow(problem);
  });
});
