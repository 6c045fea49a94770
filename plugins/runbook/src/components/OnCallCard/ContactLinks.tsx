import { Entity } from '@backstage/catalog-model';
import Box from '@material-ui/core/Box';
import IconButton from '@material-ui/core/IconButton';
import ChatIcon from '@material-ui/icons/Chat';
import EmailIcon from '@material-ui/icons/Email';
import PhoneIcon from '@material-ui/icons/Phone';
import {
  ANNOTATION_CHAT,
  ANNOTATION_PHONE,
} from '@nexus-cos/plugin-runbook-common';

type Profile = { displayName?: string; email?: string };

/** The name the catalog gives a User, else its entity name. */
export const displayNameOf = (user: Entity) =>
  (user.spec?.profile as Profile | undefined)?.displayName ??
  user.metadata.title ??
  user.metadata.name;

// Only web links: a catalog value must never become a javascript: URL.
const webUrl = (value?: string) =>
  value && /^https?:\/\//i.test(value) ? value : undefined;

/** Email, phone and chat links of a User, each labelled for screen readers. */
export const ContactLinks = (props: { user: Entity }) => {
  const { user } = props;
  const name = displayNameOf(user);
  const email = (user.spec?.profile as Profile | undefined)?.email;
  const phone = user.metadata.annotations?.[ANNOTATION_PHONE];
  const chat = webUrl(user.metadata.annotations?.[ANNOTATION_CHAT]);
  return (
    <Box component="span" whiteSpace="nowrap">
      {email && (
        <IconButton
          size="small"
          href={`mailto:${email}`}
          aria-label={`Email ${name}`}
        >
          <EmailIcon fontSize="small" />
        </IconButton>
      )}
      {phone && (
        <IconButton
          size="small"
          href={`tel:${phone.replace(/[^+\d]/g, '')}`}
          aria-label={`Call ${name}`}
        >
          <PhoneIcon fontSize="small" />
        </IconButton>
      )}
      {chat && (
        <IconButton
          size="small"
          href={chat}
          target="_blank"
          rel="noopener noreferrer"
          aria-label={`Chat with ${name}`}
        >
          <ChatIcon fontSize="small" />
        </IconButton>
      )}
    </Box>
  );
};
