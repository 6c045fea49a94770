import {
  StatusError,
  StatusOK,
  StatusPending,
} from '@backstage/core-components';
import { parseEntityRef } from '@backstage/catalog-model';
import Tooltip from '@material-ui/core/Tooltip';
import type { BackupItem } from '@nexus-cos/plugin-runbook-common';
import { DateTime } from 'luxon';

const who = (by: string) => {
  if (by.startsWith('schedule:')) return `schedule ${by.slice(9)}`;
  try {
    return parseEntityRef(by).name;
  } catch {
    return by;
  }
};

/** A backup's last verification: passed or failed, how, by whom and when, and why. */
export const VerificationStatus = (props: { backup: BackupItem }) => {
  const v = props.backup.verification;
  if (!v) return <StatusPending>not verified</StatusPending>;
  const when = DateTime.fromISO(v.at).toRelative();
  const text = `${v.ok ? 'passed' : 'failed'}${v.full ? ' (full)' : ''}, ${who(
    v.by,
  )}, ${when}`;
  return (
    <Tooltip title={v.detail}>
      <span>
        {v.ok ? <StatusOK>{text}</StatusOK> : <StatusError>{text}</StatusError>}
      </span>
    </Tooltip>
  );
};
