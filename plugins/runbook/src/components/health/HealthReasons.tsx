import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import type { HealthReason } from '@nexus-cos/plugin-runbook-common';
import { DeclareIncidentButton } from '../DeclareIncident';

const Checklist = ({ reason }: { reason: HealthReason }) =>
  reason.checklist ? (
    <Box
      component="ol"
      pl={3}
      my={1}
      aria-label={`${reason.checklist.title} checklist`}
    >
      {reason.checklist.steps.map(step => (
        <li key={step.title}>
          <Typography variant="body2">
            {step.title}
            {step.command && (
              <>
                : <code>{step.command}</code>
              </>
            )}
          </Typography>
        </li>
      ))}
    </Box>
  ) : null;

/**
 * Why a service is not healthy. With `checklists`, each reason that maps to a runbook
 * alert response brings its checklist and a "Declare incident" shortcut at the suggested
 * severity; reasons such as an unsynced cache are not incidents of the service.
 */
export const HealthReasons = (props: {
  entityRef: string;
  reasons: HealthReason[];
  checklists?: boolean;
}) => {
  const { entityRef, reasons, checklists } = props;
  if (reasons.length === 0) return null;
  return (
    <Box component="ul" pl={0} m={0} style={{ listStyle: 'none' }}>
      {reasons.map(reason => (
        <li key={`${reason.code}:${reason.message}`}>
          <Typography variant="body2">{reason.message}</Typography>
          {checklists && (reason.checklist || reason.suggestedSeverity) && (
            <>
              <Checklist reason={reason} />
              <DeclareIncidentButton
                label={`Declare incident${
                  reason.suggestedSeverity
                    ? ` (${reason.suggestedSeverity})`
                    : ''
                }`}
                defaults={{
                  title: reason.checklist
                    ? `${reason.checklist.title}: ${reason.message}`
                    : reason.message,
                  severity: reason.suggestedSeverity,
                  entityRefs: [entityRef],
                }}
              />
            </>
          )}
        </li>
      ))}
    </Box>
  );
};
