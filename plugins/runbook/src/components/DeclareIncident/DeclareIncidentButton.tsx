import { useState } from 'react';
import Button from '@material-ui/core/Button';
import type { Incident } from '@nexus-cos/plugin-runbook-common';
import {
  DeclareIncidentDefaults,
  DeclareIncidentDialog,
} from './DeclareIncidentDialog';

/** A "Declare incident" button whose dialog opens with `defaults`. */
export const DeclareIncidentButton = (props: {
  defaults: DeclareIncidentDefaults;
  onDeclared?: (incident: Incident) => void;
  label?: string;
}) => {
  const [open, setOpen] = useState(false);
  const [declared, setDeclared] = useState<Incident>();
  return (
    <>
      <Button
        variant="outlined"
        color="secondary"
        onClick={() => setOpen(true)}
      >
        {props.label ?? 'Declare incident'}
      </Button>
      {declared && (
        <span role="status">
          {' '}
          Declared {declared.severity} incident {declared.id}
        </span>
      )}
      {open && (
        <DeclareIncidentDialog
          open
          defaults={props.defaults}
          onClose={() => setOpen(false)}
          onDeclared={incident => {
            setOpen(false);
            setDeclared(incident);
            props.onDeclared?.(incident);
          }}
        />
      )}
    </>
  );
};
