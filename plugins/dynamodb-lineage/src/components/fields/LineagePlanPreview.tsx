import useAsync from 'react-use/esm/useAsync';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import type {
  FieldChange,
  Plan,
  PlannedChange,
} from '@lineage/plugin-dynamodb-lineage-common';
import { dynamoDbLineageApiRef } from '../../api/DynamoDbLineageApi';
import { COST_NOTE } from '../parts/cost';
import { CostForecastView } from '../parts/CostForecastView';
import { JsonDisclosure } from '../parts/CheckText';
import { planRequestOf, type SiblingFieldNames } from './fieldContext';

export type LineagePlanPreviewUiOptions = SiblingFieldNames & {
  /** Property holding the table scope. Default `scope`. */
  scopeField?: string;
};

function show(value: unknown): string {
  // AWS answers null for a setting that was never made: the same as unset.
  if (value === undefined || value === null) return 'not set';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Documents longer than this (policies, rule sets) are folded away. */
const INLINE_JSON_LIMIT = 80;

function isLongDocument(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    JSON.stringify(value).length > INLINE_JSON_LIMIT
  );
}

/** A value as the line shows it: short ones inline, documents named and folded. */
function ValueText(props: { value: unknown; name: string }) {
  if (!isLongDocument(props.value)) return <>{show(props.value)}</>;
  return <>the {props.name} document (below)</>;
}

function FieldChangeLine(props: { change: FieldChange }) {
  const { change } = props;
  const documents = (
    [
      ['current', change.current],
      ['new', change.desired],
    ] as const
  ).filter(([, value]) => isLongDocument(value));
  return (
    <li>
      <Typography variant="body2" component="span">
        <code>{change.field}</code>:{' '}
        <ValueText value={change.current} name="current" /> →{' '}
        <ValueText value={change.desired} name="new" />
      </Typography>
      <Typography variant="body2" color="textSecondary" component="span">
        {' '}
        — {change.reason}
      </Typography>
      {documents.map(([name, value]) => (
        <JsonDisclosure
          key={name}
          summary={`Show the ${name} ${change.field} (JSON)`}
          json={JSON.stringify(value, null, 2)}
        />
      ))}
    </li>
  );
}

function ChangeItem(props: { step: number; change: PlannedChange }) {
  const { step, change } = props;
  return (
    <Box component="li" mb={1.5} data-testid={`plan-change-${change.key}`}>
      <Typography variant="body1" component="div">
        {step}. <Chip size="small" label={change.action} /> {change.summary}
      </Typography>
      {change.changes.length > 0 && (
        <Box component="ul" mt={0.5} mb={0} pl={3}>
          {change.changes.map(c => (
            <FieldChangeLine key={c.field} change={c} />
          ))}
        </Box>
      )}
    </Box>
  );
}

function PlanView(props: { plan: Plan }) {
  const { plan } = props;
  return (
    <>
      <Typography variant="body2" color="textSecondary" gutterBottom>
        Trail {plan.trailArn} · bucket {plan.bucketArn}
      </Typography>
      {plan.blockers && plan.blockers.length > 0 && (
        <Box mb={2} data-testid="plan-blockers">
          <Typography variant="body1" color="error">
            Creating this would be refused, and nothing changed, until this is
            fixed:
          </Typography>
          <Box component="ul" pl={2}>
            {plan.blockers.map(blocker => (
              <li key={blocker}>
                <Typography variant="body2">{blocker}</Typography>
              </li>
            ))}
          </Box>
          {plan.kmsPolicyStatement && (
            <>
              <Typography variant="body2">
                Add this statement to the key policy:
              </Typography>
              <Box
                component="pre"
                data-testid="plan-kms-policy-statement"
                style={{ whiteSpace: 'pre-wrap', fontSize: '0.8rem' }}
              >
                {JSON.stringify(plan.kmsPolicyStatement, null, 2)}
              </Box>
            </>
          )}
        </Box>
      )}
      {plan.changes.length === 0 ? (
        <Typography variant="body1" data-testid="plan-converged">
          Nothing to change: the trail and its bucket already match what you
          asked for.
        </Typography>
      ) : (
        <>
          <Typography variant="body1">
            Creating this will make {plan.changes.length} change
            {plan.changes.length === 1 ? '' : 's'}, in this order:
          </Typography>
          <Box component="ol" pl={0} style={{ listStyle: 'none' }}>
            {plan.changes.map((change, index) => (
              <ChangeItem key={change.key} step={index + 1} change={change} />
            ))}
          </Box>
        </>
      )}
      {plan.athenaTable && (
        <Box mt={2} data-testid="plan-athena-table">
          <Typography variant="subtitle1" component="h4">
            Athena forensics table
          </Typography>
          <Typography variant="body2">
            <code>
              {plan.athenaTable.database}.{plan.athenaTable.name}
            </code>{' '}
            over {plan.athenaTable.location}
          </Typography>
          <Typography variant="body2" color="textSecondary">
            {plan.athenaTable.note}
          </Typography>
          <JsonDisclosure
            summary="Show the CREATE TABLE statement (SQL)"
            label="SQL"
            json={plan.athenaTable.ddl}
          />
        </Box>
      )}
      {plan.costForecast && (
        <Box mt={2}>
          <Typography variant="subtitle1" component="h4">
            What it would cost
          </Typography>
          <CostForecastView forecast={plan.costForecast} />
        </Box>
      )}
      {plan.notes.length > 0 && (
        <Box component="ul" pl={2}>
          {plan.notes.map(note => (
            <li key={note}>
              <Typography variant="body2">{note}</Typography>
            </li>
          ))}
        </Box>
      )}
    </>
  );
}

/**
 * The dry run of the whole form, shown before the user presses Create:
 * what will be created or changed and why, and what it costs to run. It
 * stores nothing in the form.
 */
export function LineagePlanPreview(
  props: FieldExtensionComponentProps<unknown, LineagePlanPreviewUiOptions>,
) {
  const { formContext, uiSchema, schema } = props;
  const request = planRequestOf(formContext, uiSchema['ui:options']);
  const requestKey = JSON.stringify(request ?? null);
  const api = useApi(dynamoDbLineageApiRef);
  const { value, loading, error } = useAsync(
    async () => (request ? api.getPlan(request) : undefined),
    // The key, not the object: the form hands over a new object every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, requestKey],
  );
  const insights = request?.insights === true;

  return (
    <Box my={2} data-testid="lineage-plan-preview" aria-busy={loading}>
      <Typography variant="h6" component="h3" gutterBottom>
        {schema.title ?? 'Plan'}
      </Typography>
      {!request && (
        <Typography variant="body2">
          Choose the team, the AWS account and the region to see the plan.
        </Typography>
      )}
      {loading && <Progress />}
      {error && (
        <ResponseErrorPanel error={error} title="Could not compute the plan" />
      )}
      {value && <PlanView plan={value} />}
      <Box mt={2} data-testid="plan-cost-note">
        <Typography variant="body2" color="textSecondary">
          {COST_NOTE}
          {insights ? ' You asked for Insights: expect that extra charge.' : ''}
        </Typography>
      </Box>
    </Box>
  );
}
