import Step from '@material-ui/core/Step';
import StepLabel from '@material-ui/core/StepLabel';
import Stepper from '@material-ui/core/Stepper';
import {
  INCIDENT_STATUSES,
  IncidentStatus,
} from '@nexus-cos/plugin-runbook-common';

const LABELS: Record<IncidentStatus, string> = {
  detected: 'Detection',
  assessing: 'Assessment',
  responding: 'Response',
  resolved: 'Resolution',
  'post-mortem': 'Post-mortem',
};

/** The runbook's incident procedure, with the incident's phase as the active step. */
export const PhaseStepper = (props: { status: IncidentStatus }) => {
  const active = INCIDENT_STATUSES.indexOf(props.status);
  return (
    <Stepper activeStep={active} alternativeLabel aria-label="Incident phases">
      {INCIDENT_STATUSES.map((status, i) => (
        <Step key={status} completed={i < active}>
          <StepLabel aria-current={i === active ? 'step' : undefined}>
            {LABELS[status]}
          </StepLabel>
        </Step>
      ))}
    </Stepper>
  );
};
