import { EmptyState } from '@backstage/core-components';
import {
  ANNOTATION_AWS_ACCOUNT_ID,
  ANNOTATION_REGIONS,
  RESOURCE_TYPE_AWS_ACCOUNT,
} from '@lineage/plugin-dynamodb-lineage-common';
import type { TeamStatus } from '@lineage/plugin-dynamodb-lineage-common';
import { AccountRegionTable } from '../parts/AccountRegionTable';
import { coverageText, findingCounts } from '../parts/checkOrder';
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
        // The overview's words for the same team: its worst account-region's
        // counts, then the coverage.
        detail={[
          team.worstAccountRegion &&
            findingCounts(team.worstAccountRegion.checkCounts),
          coverageText(team.coveredAccountRegions, team.accountRegions),
        ]
          .filter(Boolean)
          .join(' · ')}
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
        compact
      />
    </>
  );
}
