import { AwsError } from '../../errors';
import type { CloudTrailRecord, EventResource } from '../../events/record';
import {
  type AdvancedEventSelector,
  type AdvancedFieldSelector,
  type EventSelector,
  FIELD_OPERATORS,
  type Trail,
  DEFAULT_EVENT_SELECTORS,
} from './model';

/**
 * Event selectors: what CloudTrail accepts (validation) and what a trail
 * captures (matching), for basic and advanced selectors.
 */

const invalid = (message: string) =>
  new AwsError('InvalidEventSelectorsException', message);

const BASIC_LIMIT = 5;
const DATA_RESOURCE_LIMIT = 250;
const ADVANCED_VALUE_LIMIT = 500;

const DATA_RESOURCE_TYPES: Record<string, { all: string; value: RegExp }> = {
  'AWS::DynamoDB::Table': {
    all: 'arn:aws:dynamodb',
    value: /^arn:aws:dynamodb:[a-z0-9-]+:\d{12}:table\/[A-Za-z0-9_.-]{3,255}$/,
  },
  'AWS::S3::Object': {
    all: 'arn:aws:s3',
    value: /^arn:aws:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/[^*]*$/,
  },
  'AWS::Lambda::Function': {
    all: 'arn:aws:lambda',
    value:
      /^arn:aws:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9$_-]+)?$/,
  },
};

export function validateEventSelectors(selectors: unknown): EventSelector[] {
  if (!Array.isArray(selectors)) {
    throw invalid('EventSelectors must be a list of event selectors.');
  }
  if (selectors.length > BASIC_LIMIT) {
    throw invalid(
      `The number of event selectors (${selectors.length}) exceeds the limit of ${BASIC_LIMIT}.`,
    );
  }
  let valueCount = 0;
  for (const selector of selectors as EventSelector[]) {
    if (
      selector.ReadWriteType !== undefined &&
      !['ReadOnly', 'WriteOnly', 'All'].includes(selector.ReadWriteType)
    ) {
      throw invalid(`Invalid ReadWriteType: ${selector.ReadWriteType}`);
    }
    for (const resource of selector.DataResources ?? []) {
      const rule = DATA_RESOURCE_TYPES[resource.Type ?? ''];
      if (!rule) {
        throw invalid(
          `Value ${resource.Type} for DataResources.Type is invalid.`,
        );
      }
      for (const value of resource.Values ?? []) {
        valueCount++;
        if (
          value !== rule.all &&
          (value.includes('*') || !rule.value.test(value))
        ) {
          throw invalid(`Value ${value} for DataResources.Values is invalid.`);
        }
      }
    }
  }
  if (valueCount > DATA_RESOURCE_LIMIT) {
    throw invalid(
      `The number of data resources (${valueCount}) exceeds the limit of ${DATA_RESOURCE_LIMIT}.`,
    );
  }
  return (selectors as EventSelector[]).map(selector => ({
    ReadWriteType: selector.ReadWriteType ?? 'All',
    IncludeManagementEvents: selector.IncludeManagementEvents ?? true,
    DataResources: selector.DataResources ?? [],
    ExcludeManagementEventSources: selector.ExcludeManagementEventSources ?? [],
  }));
}

const ADVANCED_FIELDS = new Set([
  'eventCategory',
  'eventSource',
  'eventName',
  'eventType',
  'readOnly',
  'resources.type',
  'resources.ARN',
  'userIdentity.arn',
  'errorCode',
  'sessionCredentialFromConsole',
  'vpcEndpointId',
]);

const EVENT_CATEGORIES = [
  'Management',
  'Data',
  'NetworkActivity',
  'ConfigurationItem',
  'ActivityAuditLog',
];

export function validateAdvancedEventSelectors(
  selectors: unknown,
): AdvancedEventSelector[] {
  if (!Array.isArray(selectors) || selectors.length === 0) {
    throw invalid('AdvancedEventSelectors must contain at least one selector.');
  }
  let valueCount = 0;
  for (const selector of selectors as AdvancedEventSelector[]) {
    const fields = selector.FieldSelectors;
    if (!Array.isArray(fields) || fields.length === 0) {
      throw invalid(
        'Each advanced event selector must have at least one field selector.',
      );
    }
    const byField = new Map<string, AdvancedFieldSelector>();
    for (const field of fields) {
      if (!ADVANCED_FIELDS.has(field.Field)) {
        throw invalid(`Invalid field selector: ${field.Field}.`);
      }
      if (byField.has(field.Field)) {
        throw invalid(
          `Field ${field.Field} is specified more than once in a selector.`,
        );
      }
      byField.set(field.Field, field);
      const operators = FIELD_OPERATORS.filter(op => field[op] !== undefined);
      if (operators.length === 0) {
        throw invalid(
          `Field selector ${field.Field} must have at least one operator.`,
        );
      }
      for (const op of operators) {
        const values = field[op]!;
        if (!Array.isArray(values) || values.length === 0) {
          throw invalid(
            `Operator ${op} of field ${field.Field} must have at least one value.`,
          );
        }
        for (const value of values) {
          if (
            typeof value !== 'string' ||
            value.length === 0 ||
            value.length > 2048
          ) {
            throw invalid(
              `Invalid value for ${field.Field}: values must be 1-2048 characters.`,
            );
          }
        }
        valueCount += values.length;
      }
      if (
        ['eventCategory', 'readOnly'].includes(field.Field) &&
        operators.some(op => op !== 'Equals')
      ) {
        throw invalid(
          `Field ${field.Field} supports only the Equals operator.`,
        );
      }
      if (
        field.Field === 'readOnly' &&
        !field.Equals!.every(v => v === 'true' || v === 'false')
      ) {
        throw invalid('Field readOnly accepts only "true" or "false".');
      }
    }
    const category = byField.get('eventCategory');
    if (!category) {
      throw invalid(
        'Each advanced event selector must specify the eventCategory field.',
      );
    }
    for (const value of category.Equals!) {
      if (!EVENT_CATEGORIES.includes(value)) {
        throw invalid(`Invalid value ${value} for eventCategory.`);
      }
    }
    if (category.Equals!.includes('Data')) {
      const type = byField.get('resources.type');
      if (
        !type?.Equals ||
        type.Equals.length !== 1 ||
        Object.keys(type).length !== 2
      ) {
        throw invalid(
          'Data event selectors must specify resources.type with the Equals operator and exactly one value.',
        );
      }
    }
  }
  if (valueCount > ADVANCED_VALUE_LIMIT) {
    throw invalid(
      `The number of condition values (${valueCount}) exceeds the limit of ${ADVANCED_VALUE_LIMIT}.`,
    );
  }
  return selectors as AdvancedEventSelector[];
}

// ------------------------------------------------------------------ matching

function basicDataResourceMatches(
  selector: EventSelector,
  resources: EventResource[],
): boolean {
  return (selector.DataResources ?? []).some(dataResource => {
    const rule = DATA_RESOURCE_TYPES[dataResource.Type ?? ''];
    if (!rule) return false;
    return resources.some(resource => {
      if (resource.type !== dataResource.Type) return false;
      const arn = resource.ARN ?? resource.ARNPrefix ?? '';
      return (dataResource.Values ?? []).some(value => {
        if (value === rule.all) return true;
        // S3 values are bucket/prefix ARNs; the others name one resource.
        return dataResource.Type === 'AWS::S3::Object'
          ? arn.startsWith(value)
          : arn === value;
      });
    });
  });
}

function readWriteMatches(selector: EventSelector, readOnly: boolean): boolean {
  const type = selector.ReadWriteType ?? 'All';
  return type === 'All' || (type === 'ReadOnly') === readOnly;
}

function basicMatches(
  selectors: EventSelector[],
  record: CloudTrailRecord,
): boolean {
  return selectors.some(selector => {
    if (!readWriteMatches(selector, record.readOnly)) return false;
    if (record.eventCategory === 'Management') {
      return (
        selector.IncludeManagementEvents !== false &&
        !(selector.ExcludeManagementEventSources ?? []).includes(
          record.eventSource,
        )
      );
    }
    return basicDataResourceMatches(selector, record.resources ?? []);
  });
}

function fieldValue(
  field: string,
  record: CloudTrailRecord,
  resource: EventResource | undefined,
): string {
  switch (field) {
    case 'eventCategory':
      return record.eventCategory;
    case 'eventSource':
      return record.eventSource;
    case 'eventName':
      return record.eventName;
    case 'eventType':
      return record.eventType;
    case 'readOnly':
      return String(record.readOnly);
    case 'resources.type':
      return resource?.type ?? '';
    case 'resources.ARN':
      return resource?.ARN ?? resource?.ARNPrefix ?? '';
    case 'userIdentity.arn':
      return String(record.userIdentity.arn ?? '');
    case 'errorCode':
      return record.errorCode ?? '';
    case 'sessionCredentialFromConsole':
      return 'false';
    default:
      return '';
  }
}

/**
 * Positive operators (Equals, StartsWith, EndsWith) of a field are OR-ed,
 * negative ones (Not…) AND-ed, and the two groups AND-ed; fields are AND-ed.
 */
function fieldMatches(field: AdvancedFieldSelector, value: string): boolean {
  const positive = [
    ...(field.Equals ?? []).map(v => value === v),
    ...(field.StartsWith ?? []).map(v => value.startsWith(v)),
    ...(field.EndsWith ?? []).map(v => value.endsWith(v)),
  ];
  if (positive.length > 0 && !positive.includes(true)) return false;
  return (
    !(field.NotEquals ?? []).some(v => value === v) &&
    !(field.NotStartsWith ?? []).some(v => value.startsWith(v)) &&
    !(field.NotEndsWith ?? []).some(v => value.endsWith(v))
  );
}

function advancedMatches(
  selectors: AdvancedEventSelector[],
  record: CloudTrailRecord,
): boolean {
  const resources: Array<EventResource | undefined> = record.resources?.length
    ? record.resources
    : [undefined];
  return selectors.some(selector =>
    resources.some(resource =>
      selector.FieldSelectors.every(field =>
        fieldMatches(field, fieldValue(field.Field, record, resource)),
      ),
    ),
  );
}

/** Whether the trail's selectors capture the record (coverage of account and region aside). */
export function selectorsCapture(
  trail: Trail,
  record: CloudTrailRecord,
): boolean {
  if (trail.advancedEventSelectors) {
    return advancedMatches(trail.advancedEventSelectors, record);
  }
  return basicMatches(trail.eventSelectors ?? DEFAULT_EVENT_SELECTORS, record);
}
