import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import type { ResponseChecklist } from '@nexus-cos/plugin-runbook-common';

/** A runbook checklist as numbered steps, each with its command ready to paste. */
export const ChecklistSteps = (props: { checklist: ResponseChecklist }) => (
  <Box
    component="ol"
    pl={3}
    my={1}
    aria-label={`${props.checklist.title} checklist`}
  >
    {props.checklist.steps.map(step => (
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
);
