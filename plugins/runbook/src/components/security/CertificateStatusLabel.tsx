import {
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import type { CertificateStatus } from '@nexus-cos/plugin-runbook-common';

const INDICATORS: Record<
  CertificateStatus,
  (props: { children?: React.ReactNode }) => JSX.Element
> = {
  ok: StatusOK,
  warning: StatusWarning,
  expired: StatusError,
  missing: StatusPending,
};

/** A certificate's status with its name next to the colour. */
export const CertificateStatusLabel = (props: {
  status: CertificateStatus;
}) => {
  const Indicator = INDICATORS[props.status];
  return <Indicator>{props.status}</Indicator>;
};
