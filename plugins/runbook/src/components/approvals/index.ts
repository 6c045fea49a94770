export { ApprovalDiff } from './ApprovalDiff';
export { ApprovalState, awaitingText } from './ApprovalState';
export {
  DecisionButtons,
  FleetDecisionButtons,
  fleetWhat,
} from './DecisionButtons';
export { RunDecision } from './RunDecision';
export { FleetDecision } from './FleetDecision';
export { ExpiresIn } from './ExpiresIn';
export { FreezeNotice, freezeText } from './FreezeNotice';
export { IncidentLink } from './IncidentLink';
export { INITIATOR_TEXT } from './initiator';
export { serverMessage } from './serverMessage';
