export { ApprovalDiff } from './ApprovalDiff';
export { ApprovalState, awaitingText } from './ApprovalState';
export { DecisionButtons } from './DecisionButtons';
export { RunDecision } from './RunDecision';
export { ExpiresIn } from './ExpiresIn';
export { FreezeNotice, freezeText } from './FreezeNotice';
export { IncidentLink } from './IncidentLink';
export { INITIATOR_TEXT } from './initiator';
export { serverMessage } from './serverMessage';
