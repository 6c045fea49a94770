import { parseEntityRef } from '@backstage/catalog-model';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import type { FreezeInForce } from '@nexus-cos/plugin-runbook-common';
import { freezeText } from '../approvals/FreezeNotice';

/** What a freeze covers, in words. */
function coverage(scope: FreezeInForce['scope']): string {
  const parts = [
    scope.system && `System ${parseEntityRef(scope.system).name}`,
    scope.tier && `tier ${scope.tier}`,
  ].filter(Boolean);
  return parts.length ? `Covers ${parts.join(', ')}` : 'Covers every service';
}

/** The change freezes in force now: what they cover and until when. */
export const ActiveFreezes = (props: { items: FreezeInForce[] }) => {
  if (props.items.length === 0) {
    return (
      <Typography variant="body2">
        No change freeze is in force: changes run as the approval rules say.
      </Typography>
    );
  }
  return (
    <List dense aria-label="Change freezes in force">
      {props.items.map(freeze => (
        <ListItem key={freeze.name} disableGutters>
          <ListItemText
            primary={freezeText(freeze)}
            secondary={`${coverage(
              freeze.scope,
            )}. Only emergency changes tied to an open P0 or P1 incident run, after approval.`}
          />
        </ListItem>
      ))}
    </List>
  );
};
