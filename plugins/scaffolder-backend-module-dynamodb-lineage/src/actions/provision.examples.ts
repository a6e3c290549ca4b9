import { TemplateExample } from '@backstage/plugin-scaffolder-node';

export const provisionExamples: TemplateExample[] = [
  {
    description:
      'Log every DynamoDB table of an account with the hardened defaults',
    example: `steps:
  - id: provision
    name: Enable DynamoDB lineage tracking
    action: aws:dynamodb-lineage:provision
    input:
      accountId: '444444444444'
      region: us-east-1
      owner: group:default/team-analytics
`,
  },
  {
    description:
      'Log two tables only, with a KMS key, a custom bucket and expiry after a year',
    example: `steps:
  - id: provision
    name: Enable DynamoDB lineage tracking for chosen tables
    action: aws:dynamodb-lineage:provision
    input:
      accountId: '111111111111'
      region: us-east-1
      owner: group:default/team-payments
      trailName: payments-lineage
      bucketName: payments-lineage-logs-111111111111
      s3KeyPrefix: lineage
      scope:
        mode: tables
        tableArns:
          - arn:aws:dynamodb:us-east-1:111111111111:table/payments
          - arn:aws:dynamodb:us-east-1:111111111111:table/ledger
      kmsKeyId: alias/cloudtrail-logs
      lifecycle:
        glacierAfterDays: 30
        expireAfterDays: 365
`,
  },
  {
    description:
      'Log tables whose names start with a prefix, writes only, with streams and Insights',
    example: `steps:
  - id: provision
    name: Enable write lineage for the orders tables
    action: aws:dynamodb-lineage:provision
    input:
      accountId: '222222222222'
      region: us-east-1
      owner: group:default/team-orders
      scope:
        mode: prefix
        prefixes:
          - orders
      readWriteType: WriteOnly
      includeStreams: true
      insights: true
`,
  },
];
