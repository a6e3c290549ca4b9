import { EmptyState } from '@backstage/core-components';
import {
  ANNOTATION_AWS_ACCOUNT_ID,
  ANNOTATION_REGIONS,
  RESOURCE_TYPE_AWS_ACCOUNT,
} from '@lineage/plugin-dynamodb-lineage-common';
import type { TeamStatus } from '@lineage/plugin-dynamodb-lineage-common';
import { AccountRegionTable } from '../parts/AccountRegionTable';
import { StatusSummary } from '../parts/StatusSummary';

export function TeamStatusView(props: { team: TeamStatus }) {
  const { team, accountRegions } = props.team;
  if (accountRegions.length === 0) {
    return (
      <EmptyState
        missing="data"
        title="This team owns no AWS account"
        description={`Register each AWS account of the team as a Resource with spec.type: ${RESOURCE_TYPE_AWS_ACCOUNT}, spec.owner set to this group, the annotation ${ANNOTATION_AWS_ACCOUNT_ID} (12 digits) and ${ANNOTATION_REGIONS} (comma-separated regions where the team runs DynamoDB).`}
      />
    );
  }
  const firstUncovered = accountRegions.find(r => r.status === 'not-enabled');
  return (
    <>
      <StatusSummary
        status={team.status}
        detail={`${team.coveredAccountRegions} of ${team.accountRegions} account-regions covered by a working trail`}
        reason={team.reason}
        prefill={{
          owner: team.entityRef,
          accountId: firstUncovered?.accountId,
          region: firstUncovered?.region,
        }}
      />
      <AccountRegionTable
        accountRegions={accountRegions}
        owner={team.entityRef}
      />
    </>
  );
}
