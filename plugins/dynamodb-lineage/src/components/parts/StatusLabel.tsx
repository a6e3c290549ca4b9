import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import type {
  CheckStatus,
  OverallStatus,
} from '@lineage/plugin-dynamodb-lineage-common';

const OVERALL: Record<OverallStatus, { label: string; Icon: typeof StatusOK }> =
  {
    healthy: { label: 'Healthy', Icon: StatusOK },
    degraded: { label: 'Degraded', Icon: StatusWarning },
    failing: { label: 'Failing', Icon: StatusError },
    unknown: { label: 'Unknown', Icon: StatusPending },
    'not-enabled': { label: 'Not enabled', Icon: StatusAborted },
    pending: { label: 'Pending', Icon: StatusPending },
  };

const CHECK: Record<CheckStatus, { label: string; Icon: typeof StatusOK }> = {
  pass: { label: 'Pass', Icon: StatusOK },
  warn: { label: 'Warn', Icon: StatusWarning },
  fail: { label: 'Fail', Icon: StatusError },
  unknown: { label: 'Unknown', Icon: StatusPending },
};

export function overallStatusLabel(status: OverallStatus): string {
  return OVERALL[status].label;
}

/** The word for a team's or account-region's status, with its colour dot. */
export function OverallStatusLabel(props: { status: OverallStatus }) {
  const { label, Icon } = OVERALL[props.status];
  return <Icon>{label}</Icon>;
}

export function CheckStatusLabel(props: { status: CheckStatus }) {
  const { label, Icon } = CHECK[props.status];
  return <Icon>{label}</Icon>;
}
