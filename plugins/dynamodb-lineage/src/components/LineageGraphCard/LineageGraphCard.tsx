import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { type Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import {
  ANNOTATION_IAM_ROLE_ARNS,
  ANNOTATION_TABLE_ARNS,
  parseListAnnotation,
  RESOURCE_TYPE_DYNAMODB_TABLE,
  type LineageGraph,
  type LineageGraphRoot,
} from '@lineage/plugin-dynamodb-lineage-common';
import { dynamoDbLineageApiRef } from '../../api/DynamoDbLineageApi';
import { MissingAnnotationView } from '../DynamoDbLineageCard/MissingAnnotationView';
import { LoadError } from '../parts/LoadError';
import { ingestionLagText, rootTable, tableFlows } from './dataFlow';
import { FindingsList } from './FindingsList';
import { TableFlowView } from './TableFlowView';

/** The windows a reader can pick; the first is the default. */
export const LINEAGE_WINDOW_DAYS = [7, 30, 90] as const;

function isTableResource(entity: Entity): boolean {
  return (
    entity.kind.toLocaleLowerCase('en-US') === 'resource' &&
    entity.spec?.type === RESOURCE_TYPE_DYNAMODB_TABLE
  );
}

/**
 * Where the graph starts: a table Resource at its table (its annotation holds
 * the ARN), any other entity at itself, through the principals it maps.
 */
export function lineageGraphRootOf(
  entity: Entity,
): LineageGraphRoot | { missingAnnotation: string } {
  if (!isTableResource(entity)) {
    return { entityRef: stringifyEntityRef(entity) };
  }
  const [tableArn] = parseListAnnotation(
    entity.metadata.annotations?.[ANNOTATION_TABLE_ARNS],
  );
  return tableArn ? { tableArn } : { missingAnnotation: ANNOTATION_TABLE_ARNS };
}

function NoTraffic(props: { entity: Entity; days: number }) {
  const { entity, days } = props;
  const name = entity.metadata.title ?? entity.metadata.name;
  if (isTableResource(entity)) {
    return (
      <Typography variant="body2">
        Nobody read or wrote {name} in the last {days} days.
      </Typography>
    );
  }
  const mapped = Boolean(
    entity.metadata.annotations?.[ANNOTATION_IAM_ROLE_ARNS]?.trim(),
  );
  return (
    <Box data-testid="lineage-no-traffic">
      <Typography variant="body2">
        No DynamoDB call of {name} in the last {days} days.
      </Typography>
      {!mapped && (
        <Typography variant="body2" color="textSecondary">
          Lineage names an entity by the IAM roles or users it runs as: add
          their ARNs to the annotation <code>{ANNOTATION_IAM_ROLE_ARNS}</code>{' '}
          (comma-separated) so its calls show here.
        </Typography>
      )}
    </Box>
  );
}

function GraphContent(props: {
  entity: Entity;
  graph: LineageGraph;
  days: number;
}) {
  const { entity, graph, days } = props;
  const flows = tableFlows(graph);
  const openTable = rootTable(graph)?.id;
  return (
    <>
      {graph.truncated && (
        <Typography variant="body2" color="textSecondary" paragraph>
          The graph is large: it stops before {graph.depth} table hops. Open a
          table to follow it further.
        </Typography>
      )}
      {flows.length === 0 ? (
        <NoTraffic entity={entity} days={days} />
      ) : (
        flows.map(flow => (
          <TableFlowView
            key={flow.table.id}
            flow={flow}
            rootNodeId={graph.rootNodeId}
            days={days}
            chartOpen={flow.table.id === openTable}
          />
        ))
      )}
      <FindingsList findings={graph.findings} />
    </>
  );
}

/**
 * Where the data of an entity's tables comes from and goes: writers → table
 * → readers with their calls, from the stored lineage, named by the catalog
 * where an entity claims the caller, with the governance findings. For
 * Components (and other entities mapped by their IAM roles) and
 * `dynamodb-table` Resources.
 *
 * @public
 */
export function LineageGraphCard() {
  const { entity } = useEntity();
  const root = lineageGraphRootOf(entity);
  return 'missingAnnotation' in root ? (
    <InfoCard title="DynamoDB data lineage">
      <MissingAnnotationView annotation={root.missingAnnotation} />
    </InfoCard>
  ) : (
    <LineageGraphContent entity={entity} root={root} />
  );
}

function LineageGraphContent(props: {
  entity: Entity;
  root: LineageGraphRoot;
}) {
  const { entity } = props;
  const api = useApi(dynamoDbLineageApiRef);
  const [days, setDays] = useState<number>(LINEAGE_WINDOW_DAYS[0]);
  const tableArn = 'tableArn' in props.root ? props.root.tableArn : undefined;
  const entityRef =
    'entityRef' in props.root ? props.root.entityRef : undefined;
  const { value, loading, error, retry } = useAsyncRetry(
    () =>
      api.getLineageGraph(
        tableArn ? { tableArn, days } : { entityRef: entityRef!, days },
      ),
    [api, tableArn, entityRef, days],
  );

  let content: JSX.Element | null;
  if (loading) content = <Progress />;
  else if (error) {
    content = (
      <LoadError what="the data lineage" error={error} onRetry={retry} />
    );
  } else if (value) {
    content = <GraphContent entity={entity} graph={value} days={days} />;
  } else content = null;

  return (
    <InfoCard
      title="DynamoDB data lineage"
      subheader={
        value && !loading ? (
          <span data-testid="lineage-lag">
            {ingestionLagText(value.ingestion)} · {value.window.from} to{' '}
            {value.window.to} (UTC)
          </span>
        ) : undefined
      }
      action={
        <TextField
          select
          size="small"
          variant="outlined"
          label="Window"
          value={days}
          onChange={e => setDays(Number(e.target.value))}
          style={{ minWidth: 120, marginTop: 8 }}
        >
          {LINEAGE_WINDOW_DAYS.map(d => (
            <MenuItem key={d} value={d}>
              Last {d} days
            </MenuItem>
          ))}
        </TextField>
      }
    >
      {content}
    </InfoCard>
  );
}
