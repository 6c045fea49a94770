import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import type { HealthReason } from '@nexus-cos/plugin-runbook-common';
import { ChecklistSteps } from '../checklist';
import { DeclareIncidentButton } from '../DeclareIncident';

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
        <li key={`${reason.cluster ?? ''}:${reason.code}:${reason.message}`}>
          <Typography variant="body2">
            {reason.cluster && <strong>{reason.cluster}: </strong>}
            {reason.message}
          </Typography>
          {checklists && (reason.checklist || reason.suggestedSeverity) && (
            <>
              {reason.checklist && (
                <ChecklistSteps checklist={reason.checklist} />
              )}
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
