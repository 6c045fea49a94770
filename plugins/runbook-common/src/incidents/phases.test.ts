import { INCIDENT_STATUSES, IncidentStatus } from './schemas';
import { incidentTransitionRefusal, nextIncidentPhases } from './phases';

const allowed: Array<[IncidentStatus, IncidentStatus]> = [
  ['detected', 'assessing'],
  ['assessing', 'responding'],
  ['assessing', 'resolved'],
  ['responding', 'resolved'],
  ['resolved', 'responding'],
  ['resolved', 'post-mortem'],
];

const everyPair = INCIDENT_STATUSES.flatMap(from =>
  INCIDENT_STATUSES.map(to => [from, to] as [IncidentStatus, IncidentStatus]),
);
const refused = everyPair.filter(
  ([from, to]) => !allowed.some(([f, t]) => f === from && t === to),
);

describe('incident phases', () => {
  it.each(allowed)('allows %s → %s', (from, to) => {
    expect(incidentTransitionRefusal(from, to)).toBeUndefined();
    expect(nextIncidentPhases(from)).toContain(to);
  });

  it.each(refused)('refuses %s → %s with a reason', (from, to) => {
    const reason = incidentTransitionRefusal(from, to);
    expect(reason).toContain(`phase ${from}`);
    expect(reason).toContain(to);
  });

  it('names the allowed phases when refusing', () => {
    expect(incidentTransitionRefusal('detected', 'resolved')).toBe(
      'an incident in phase detected can move to assessing, not resolved',
    );
    expect(incidentTransitionRefusal('post-mortem', 'responding')).toBe(
      'an incident in phase post-mortem is closed and cannot move to responding',
    );
  });

  it('covers every pair of phases', () => {
    expect(allowed.length + refused.length).toBe(25);
  });
});
