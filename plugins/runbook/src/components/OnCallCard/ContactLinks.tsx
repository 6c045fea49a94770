import Box from '@material-ui/core/Box';
import IconButton from '@material-ui/core/IconButton';
import ChatIcon from '@material-ui/icons/Chat';
import EmailIcon from '@material-ui/icons/Email';
import PhoneIcon from '@material-ui/icons/Phone';
import type { Contact } from '@nexus-cos/plugin-runbook-common';

// Only web links: a catalog value must never become a javascript: URL.
const webUrl = (value?: string) =>
  value && /^https?:\/\//i.test(value) ? value : undefined;

/** Email, phone and chat links of a person, each labelled for screen readers. */
export const ContactLinks = (props: { contact: Contact }) => {
  const { name, email, phone } = props.contact;
  const chat = webUrl(props.contact.chat);
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
