import type {
  AccountRegionStatus,
  OverallStatus,
} from '@lineage/plugin-dynamodb-lineage-common';
import { AccountRegionTable } from '../parts/AccountRegionTable';
import { StatusSummary } from '../parts/StatusSummary';

export function AccountCoverageView(props: {
  accountId: string;
  status: OverallStatus;
  regions: AccountRegionStatus[];
  owner?: string;
}) {
  const { accountId, status, regions, owner } = props;
  const covered = regions.filter(
    r => r.status === 'healthy' || r.status === 'degraded',
  ).length;
  const firstUncovered = regions.find(r => r.status === 'not-enabled');
  return (
    <>
      <StatusSummary
        status={status}
        detail={`Account ${accountId}: ${covered} of ${regions.length} regions covered`}
        reason={regions.find(r => r.status === status)?.reason}
        prefill={{ owner, accountId, region: firstUncovered?.region }}
      />
      <AccountRegionTable accountRegions={regions} owner={owner} />
    </>
  );
}
