import {
  buildSpec,
  LineageRequest,
  lineageRequestFields,
  LineageSpec,
  LineageSpecInput,
} from '@lineage/plugin-dynamodb-lineage-common';

/*
 * The actions' inputs are the common package's provisioning request fields,
 * each handed to the scaffolder as its per-field schema callback (the
 * scaffolder turns them into the action's JSON Schema). The scaffolder checks
 * an input against that JSON Schema only, so the handler parses it with
 * `buildSpec`, which applies the defaults and the rules across fields.
 */

type Fields = typeof lineageRequestFields;

function actionInputOf<K extends keyof Fields>(
  keys: readonly K[],
): { [P in K]: () => Fields[P] } {
  return Object.fromEntries(
    keys.map(key => [key, () => lineageRequestFields[key]]),
  ) as { [P in K]: () => Fields[P] };
}

const ALL_FIELDS = Object.keys(lineageRequestFields) as (keyof Fields)[];

/** The provision action's input: the whole provisioning request. */
export const provisionInputSchema = actionInputOf(ALL_FIELDS);

/**
 * The Terraform action's spec input: rendering makes no AWS call, so there
 * is no existing setting to weaken and no other trail's capture to duplicate.
 */
export const terraformSpecInputSchema = actionInputOf(
  ALL_FIELDS.filter(
    (
      key,
    ): key is Exclude<
      keyof Fields,
      'allowWeakening' | 'allowDuplicateCapture'
    > => key !== 'allowWeakening' && key !== 'allowDuplicateCapture',
  ),
);

type ActionSpecInput = Omit<LineageRequest, 'allowDuplicateCapture'>;

/** The spec input with the task's user as `createdBy`, never one the input names. */
function withCreator(
  input: ActionSpecInput,
  createdBy: string | undefined,
): LineageSpecInput {
  const { createdBy: _named, ...fields } = input as LineageSpecInput;
  return { ...fields, ...(createdBy ? { createdBy } : {}) };
}

/**
 * The action's spec fields as `buildSpec` takes them, with the task's user
 * as `createdBy`, once `buildSpec` accepts them; `InputError` naming each
 * broken field and rule.
 */
export function specInputOf(
  input: ActionSpecInput,
  createdBy: string | undefined,
): LineageSpecInput {
  const specInput = withCreator(input, createdBy);
  buildSpec(specInput);
  return specInput;
}

/** The spec from an action's input; `InputError` naming each broken field. */
export function specFromInput(
  input: ActionSpecInput,
  createdBy: string | undefined,
): LineageSpec {
  return buildSpec(withCreator(input, createdBy));
}
