import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import {
  ANNOTATION_AWS_ACCOUNT_ID,
  ANNOTATION_TABLE_ARNS,
  ANNOTATION_TRAIL_ARN,
} from '@lineage/plugin-dynamodb-lineage-common';
import { CodeBlock } from '../parts/CheckText';

/** What the annotation holds, with placeholders in angle brackets. */
const EXAMPLES: Record<string, { why: string; value: string }> = {
  [ANNOTATION_TABLE_ARNS]: {
    why: 'Declare the DynamoDB tables this component reads or writes to see whether a trail records them and who else uses them: their ARNs, comma-separated.',
    value:
      'arn:aws:dynamodb:<region>:<account id>:table/<table name>,arn:aws:dynamodb:<region>:<account id>:table/<other table>',
  },
  [ANNOTATION_AWS_ACCOUNT_ID]: {
    why: 'The card needs the 12-digit id of this AWS account.',
    value: "'<account id>'",
  },
  [ANNOTATION_TRAIL_ARN]: {
    why: 'The card needs the ARN of this CloudTrail trail.',
    value: 'arn:aws:cloudtrail:<home region>:<account id>:trail/<trail name>',
  },
};

/**
 * What to add to the entity's catalog-info.yaml for the card to show
 * something, as a snippet to copy.
 */
export function MissingAnnotationView(props: { annotation: string }) {
  const { annotation } = props;
  const example = EXAMPLES[annotation];
  const yaml = [
    'metadata:',
    '  annotations:',
    `    ${annotation}: ${example?.value ?? '<value>'}`,
  ].join('\n');
  return (
    <Box data-testid="missing-annotation">
      <Typography variant="subtitle1" component="h3" gutterBottom>
        Missing annotation: {annotation}
      </Typography>
      {example && (
        <Typography variant="body2" paragraph>
          {example.why}
        </Typography>
      )}
      <Typography variant="body2">
        Add it to the entity's catalog-info.yaml:
      </Typography>
      <CodeBlock code={yaml} label="annotation snippet" />
    </Box>
  );
}
