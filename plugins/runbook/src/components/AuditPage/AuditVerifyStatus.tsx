import {
  StatusError,
  StatusOK,
  StatusPending,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import Chip from '@material-ui/core/Chip';
import { runbookApiRef } from '../../api';
import { useLoader } from '../../hooks/useLoader';

/**
 * Whether the audit trail's hash chain and its anchors verify, as a chip that verifies
 * again when clicked.
 */
export const AuditVerifyStatus = () => {
  const api = useApi(runbookApiRef);
  const verify = useLoader(() => api.verifyAudit(), [api]);
  const { value, error, loading } = verify;
  let label: JSX.Element;
  if (loading) {
    label = <StatusPending>Verifying the audit chain…</StatusPending>;
  } else if (error) {
    label = (
      <StatusError>
        Could not verify the audit chain: {error.message}
      </StatusError>
    );
  } else if (value?.ok) {
    label = (
      <StatusOK>
        Chain verified: {value.checked} records, {value.anchorsChecked} anchors
      </StatusOK>
    );
  } else {
    label = (
      <StatusError>
        Chain broken
        {value?.firstBrokenSeq !== undefined
          ? ` at record ${value.firstBrokenSeq}`
          : ''}
        {value?.problem ? `: ${value.problem}` : ''}
      </StatusError>
    );
  }
  return (
    <Chip
      variant="outlined"
      label={label}
      onClick={loading ? undefined : verify.reload}
    />
  );
};
