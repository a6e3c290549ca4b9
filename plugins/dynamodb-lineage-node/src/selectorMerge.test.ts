import { AdvancedEventSelector } from '@lineage/plugin-dynamodb-lineage-common';
import { desiredEventSelectors } from './desiredState';
import {
  basicToAdvanced,
  countConditionValues,
  mergeSelectors,
  sameSelectorSet,
} from './selectorMerge';
import { makeSpec } from './__fixtures__/specs';

const ours = desiredEventSelectors(makeSpec());
const s3Objects: AdvancedEventSelector = {
  Name: 'S3 objects',
  FieldSelectors: [
    { Field: 'eventCategory', Equals: ['Data'] },
    { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
  ],
};

describe('basicToAdvanced', () => {
  it('rewrites management and data selectors with the same meaning', () => {
    expect(
      basicToAdvanced([
        {
          ReadWriteType: 'WriteOnly',
          IncludeManagementEvents: true,
          ExcludeManagementEventSources: ['kms.amazonaws.com'],
          DataResources: [
            { Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::audit-bucket/'] },
            { Type: 'AWS::Lambda::Function', Values: ['arn:aws:lambda'] },
            {
              Type: 'AWS::DynamoDB::Table',
              Values: ['arn:aws:dynamodb:us-east-1:111111111111:table/ledger'],
            },
          ],
        },
      ]),
    ).toEqual([
      {
        Name: 'Management events (basic selector 1)',
        FieldSelectors: [
          { Field: 'eventCategory', Equals: ['Management'] },
          { Field: 'readOnly', Equals: ['false'] },
          { Field: 'eventSource', NotEquals: ['kms.amazonaws.com'] },
        ],
      },
      {
        Name: 'AWS::S3::Object data events (basic selector 1)',
        FieldSelectors: [
          { Field: 'eventCategory', Equals: ['Data'] },
          { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
          { Field: 'readOnly', Equals: ['false'] },
          {
            Field: 'resources.ARN',
            StartsWith: ['arn:aws:s3:::audit-bucket/'],
          },
        ],
      },
      {
        Name: 'AWS::Lambda::Function data events (basic selector 1)',
        FieldSelectors: [
          { Field: 'eventCategory', Equals: ['Data'] },
          { Field: 'resources.type', Equals: ['AWS::Lambda::Function'] },
          { Field: 'readOnly', Equals: ['false'] },
        ],
      },
      {
        Name: 'AWS::DynamoDB::Table data events (basic selector 1)',
        FieldSelectors: [
          { Field: 'eventCategory', Equals: ['Data'] },
          { Field: 'resources.type', Equals: ['AWS::DynamoDB::Table'] },
          { Field: 'readOnly', Equals: ['false'] },
          {
            Field: 'resources.ARN',
            Equals: ['arn:aws:dynamodb:us-east-1:111111111111:table/ledger'],
          },
        ],
      },
    ]);
  });

  it('drops management events when the basic selector excludes them', () => {
    expect(
      basicToAdvanced([{ IncludeManagementEvents: false, DataResources: [] }]),
    ).toEqual([]);
  });
});

describe('mergeSelectors', () => {
  it('keeps a shared trail’s advanced selectors and adds ours', () => {
    const merge = mergeSelectors({ advanced: [s3Objects] }, ours, {
      trailIsOurs: false,
    });
    expect(merge.unchanged).toBe(false);
    expect(merge.kept.map(s => s.Name)).toEqual(['S3 objects']);
    expect(merge.merged.map(s => s.Name)).toEqual([
      'S3 objects',
      'dynamodb-lineage: DynamoDB tables',
    ]);
  });

  it('replaces an earlier version of ours instead of stacking it', () => {
    const oldOurs: AdvancedEventSelector = {
      Name: 'dynamodb-lineage: DynamoDB tables',
      FieldSelectors: [
        { Field: 'eventCategory', Equals: ['Data'] },
        { Field: 'resources.type', Equals: ['AWS::DynamoDB::Table'] },
        { Field: 'readOnly', Equals: ['true'] },
      ],
    };
    const merge = mergeSelectors({ advanced: [oldOurs, s3Objects] }, ours, {
      trailIsOurs: false,
    });
    expect(merge.merged).toHaveLength(2);
    expect(sameSelectorSet(merge.merged, [s3Objects, ...ours])).toBe(true);
  });

  it('converts a shared trail’s basic selectors, keeping management events', () => {
    const merge = mergeSelectors(
      { basic: [{ ReadWriteType: 'All', IncludeManagementEvents: true }] },
      ours,
      { trailIsOurs: false },
    );
    expect(merge.converted).toBe(true);
    expect(merge.merged.map(s => s.Name)).toEqual([
      'Management events (basic selector 1)',
      'dynamodb-lineage: DynamoDB tables',
    ]);
  });

  it('drops the CreateTrail default basic selector on a trail we manage', () => {
    const merge = mergeSelectors(
      { basic: [{ ReadWriteType: 'All', IncludeManagementEvents: true }] },
      ours,
      { trailIsOurs: true },
    );
    expect(merge.merged.map(s => s.Name)).toEqual([
      'dynamodb-lineage: DynamoDB tables',
    ]);
  });

  it('keeps other basic selectors even on a trail we manage', () => {
    const merge = mergeSelectors(
      {
        basic: [
          {
            ReadWriteType: 'All',
            IncludeManagementEvents: false,
            DataResources: [
              { Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::assets/'] },
            ],
          },
        ],
      },
      ours,
      { trailIsOurs: true },
    );
    expect(merge.merged.map(s => s.Name)).toEqual([
      'AWS::S3::Object data events (basic selector 1)',
      'dynamodb-lineage: DynamoDB tables',
    ]);
  });

  it('does not add ours when a selector of another name already says the same', () => {
    const same: AdvancedEventSelector = {
      Name: 'DynamoDB data events for lineage',
      FieldSelectors: [...ours[0].FieldSelectors].reverse(),
    };
    const merge = mergeSelectors({ advanced: [same] }, ours, {
      trailIsOurs: true,
    });
    expect(merge.unchanged).toBe(true);
    expect(merge.merged).toEqual([same]);
  });

  it('leaves basic selectors alone when they already log every table', () => {
    const merge = mergeSelectors(
      {
        basic: [
          {
            ReadWriteType: 'All',
            IncludeManagementEvents: false,
            DataResources: [
              { Type: 'AWS::DynamoDB::Table', Values: ['arn:aws:dynamodb'] },
            ],
          },
        ],
      },
      ours,
      { trailIsOurs: false },
    );
    expect(merge.unchanged).toBe(true);
  });

  it('reports unchanged when AWS returns the same set reordered', () => {
    const reordered: AdvancedEventSelector[] = [
      s3Objects,
      {
        Name: ours[0].Name,
        FieldSelectors: [...ours[0].FieldSelectors].reverse(),
      },
    ];
    expect(
      mergeSelectors({ advanced: reordered }, ours, { trailIsOurs: false })
        .unchanged,
    ).toBe(true);
  });

  it('is not unchanged for a trail without selectors', () => {
    expect(mergeSelectors({}, ours, { trailIsOurs: true }).unchanged).toBe(
      false,
    );
  });
});

describe('countConditionValues', () => {
  it('counts every value of every operator', () => {
    expect(countConditionValues([s3Objects, ...ours])).toBe(4);
  });
});
