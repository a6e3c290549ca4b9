import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  type Entity,
  RELATION_OWNED_BY,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { EmptyState, InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  lineageTargetOf,
  RESOURCE_TYPE_AWS_ACCOUNT,
  RESOURCE_TYPE_CLOUDTRAIL_TRAIL,
} from '@lineage/plugin-dynamodb-lineage-common';
import { dynamoDbLineageApiRef } from '../../api/DynamoDbLineageApi';
import { AccountCoverageView } from './AccountCoverageView';
import { ComponentTablesView } from './ComponentTablesView';
import { LoadError } from '../parts/LoadError';
import { MissingAnnotationView } from './MissingAnnotationView';
import { TeamStatusView } from './TeamStatusView';
import { TrailScorecardView } from './TrailScorecardView';

/** The team the template should be filled in for, from the entity's owner. */
function ownerRefOf(entity: Entity): string | undefined {
  return entity.relations?.find(r => r.type === RELATION_OWNED_BY)?.targetRef;
}

function EntityStatusContent(props: { entity: Entity }) {
  const { entity } = props;
  const api = useApi(dynamoDbLineageApiRef);
  const entityRef = stringifyEntityRef(entity);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.getEntityStatus(entityRef),
    [api, entityRef],
  );

  if (loading) return <Progress />;
  if (error) {
    return (
      <LoadError what="the lineage status" error={error} onRetry={retry} />
    );
  }
  if (!value) return null;

  switch (value.kind) {
    case 'team':
      return <TeamStatusView team={value.team} />;
    case 'component':
      return (
        <ComponentTablesView
          status={value.status}
          tables={value.tables}
          owner={ownerRefOf(entity)}
        />
      );
    case 'aws-account':
      return (
        <AccountCoverageView
          accountId={value.accountId}
          status={value.status}
          regions={value.regions}
          owner={ownerRefOf(entity)}
        />
      );
    case 'trail':
      return (
        <TrailScorecardView
          health={value.health}
          history={value.history}
          owner={ownerRefOf(entity)}
        />
      );
    default:
      return (
        <EmptyState
          missing="info"
          title="No lineage status for this entity"
          description={value.reason}
        />
      );
  }
}

/**
 * DynamoDB lineage tracking for the entity on the page: a team's
 * account-regions, a component's tables and their lineage, an AWS account's
 * regions, or a trail's scorecard.
 *
 * @public
 */
export function DynamoDbLineageCard() {
  const { entity } = useEntity();
  const target = lineageTargetOf(entity);

  let content: JSX.Element;
  if (target.kind === 'missing-annotation') {
    content = <MissingAnnotationView annotation={target.annotation} />;
  } else if (target.kind === 'unsupported') {
    content = (
      <EmptyState
        missing="info"
        title="DynamoDB lineage does not apply to this entity"
        description={`The card shows Groups, Components that declare their tables, and Resources of type ${RESOURCE_TYPE_AWS_ACCOUNT} or ${RESOURCE_TYPE_CLOUDTRAIL_TRAIL}.`}
      />
    );
  } else {
    content = <EntityStatusContent entity={entity} />;
  }

  return <InfoCard title="DynamoDB lineage">{content}</InfoCard>;
}
