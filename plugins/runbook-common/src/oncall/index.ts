export type { OnCallOverride, OnCallRotation, OnCallShift } from './types';
export { parseOnCallRotation } from './parseOnCallRotation';
export { resolveOnCall, upcomingOnCallShifts } from './resolveOnCall';
export { parseEscalationChain } from './parseEscalationChain';
