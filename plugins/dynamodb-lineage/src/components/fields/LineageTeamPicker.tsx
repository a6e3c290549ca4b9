import useAsync from 'react-use/esm/useAsync';
import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import {
  type Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  catalogApiRef,
  defaultEntityPresentation,
} from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import type {
  CustomFieldValidator,
  FieldExtensionComponentProps,
} from '@backstage/plugin-scaffolder-react';
import FormControl from '@material-ui/core/FormControl';
import TextField from '@material-ui/core/TextField';
import Autocomplete from '@material-ui/lab/Autocomplete';
import { dynamodbLineageTrailProvisionAnyOwnerPermission } from '@lineage/plugin-dynamodb-lineage-common';

/** A team the form offers: its entity ref (the value) and display name. */
export interface TeamOption {
  ref: string;
  title: string;
  /** False for a pre-filled team the user may not provision for. */
  usable: boolean;
}

const GROUP_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'spec.profile.displayName',
];

function teamOption(entity: Entity, usable: boolean): TeamOption {
  const ref = stringifyEntityRef(entity);
  const { primaryTitle } = defaultEntityPresentation(entity, {
    defaultKind: 'Group',
  });
  return { ref, title: primaryTitle, usable };
}

function isGroupRef(ref: string): boolean {
  try {
    return parseEntityRef(ref).kind.toLocaleLowerCase('en-US') === 'group';
  } catch {
    return false;
  }
}

/**
 * The teams a user may enable lineage tracking for: every group for those
 * who may provision for any owner, otherwise the groups they belong to (a
 * trail is tagged with the team that owns the account). Each read with the
 * user's own catalog permissions.
 */
export function useUsableTeams(current: string | undefined) {
  const catalogApi = useApi(catalogApiRef);
  const identityApi = useApi(identityApiRef);
  const { allowed: anyOwner, loading: permissionLoading } = usePermission({
    permission: dynamodbLineageTrailProvisionAnyOwnerPermission,
  });
  const state = useAsync(async (): Promise<TeamOption[] | undefined> => {
    if (permissionLoading) return undefined;
    let entities: Entity[];
    if (anyOwner) {
      ({ items: entities } = await catalogApi.getEntities({
        filter: { kind: 'Group' },
        fields: GROUP_FIELDS,
      }));
    } else {
      const { ownershipEntityRefs } = await identityApi.getBackstageIdentity();
      const groupRefs = ownershipEntityRefs.filter(isGroupRef);
      entities = groupRefs.length
        ? (
            await catalogApi.getEntitiesByRefs({
              entityRefs: groupRefs,
              fields: GROUP_FIELDS,
            })
          ).items.filter((e): e is Entity => Boolean(e))
        : [];
    }
    return entities
      .map(entity => teamOption(entity, true))
      .sort((a, b) => a.title.localeCompare(b.title, 'en'));
  }, [catalogApi, identityApi, anyOwner, permissionLoading]);

  // A pre-filled team that is not among them: shown by name, and flagged.
  const foreign =
    current && state.value && !state.value.some(team => team.ref === current)
      ? current
      : undefined;
  const { value: foreignTeam } = useAsync(async () => {
    if (!foreign) return undefined;
    const entity = isGroupRef(foreign)
      ? await catalogApi.getEntityByRef(foreign).catch(() => undefined)
      : undefined;
    return entity
      ? teamOption(entity, false)
      : { ref: foreign, title: foreign, usable: false };
  }, [catalogApi, foreign]);

  const teams =
    state.value && foreignTeam?.ref === foreign && foreignTeam
      ? [...state.value, foreignTeam]
      : state.value;
  // Loading until the list and a pre-filled foreign team are both known: the
  // render between a changed input and its effect still shows the old state.
  const loading =
    permissionLoading ||
    state.loading ||
    (!state.error && state.value === undefined) ||
    (foreign !== undefined && foreignTeam?.ref !== foreign);
  return { value: teams, error: state.error, loading, anyOwner };
}

/**
 * The owning team, shown by its display name ("Analytics") while the form
 * stores its entity ref (`group:default/team-analytics`).
 */
export function LineageTeamPicker(props: FieldExtensionComponentProps<string>) {
  const {
    formData,
    onChange,
    rawErrors,
    required,
    schema,
    idSchema,
    disabled,
  } = props;
  const { value: teams, loading, error, anyOwner } = useUsableTeams(formData);
  const selected = teams?.find(team => team.ref === formData) ?? null;

  let helperText =
    schema.description ?? 'The team that owns the trail and its logs';
  if (error) {
    helperText = `Could not list your teams (${error.message}); reload the page to try again.`;
  } else if (teams && teams.length === 0) {
    helperText =
      'You belong to no team in the catalog: ask to be added to the team that owns the AWS account.';
  } else if (selected && !selected.usable) {
    helperText = `You are not a member of ${selected.title}: only its members or a platform administrator may enable tracking for it.`;
  } else if (!anyOwner) {
    helperText = `${helperText} (the teams you belong to)`;
  }

  return (
    <FormControl
      margin="normal"
      required={required}
      error={rawErrors?.length > 0}
      fullWidth
      aria-busy={loading}
    >
      <Autocomplete<TeamOption, false, false, false>
        id={idSchema?.$id}
        disabled={disabled}
        loading={loading}
        options={teams ?? []}
        value={selected}
        getOptionLabel={team => team.title}
        getOptionSelected={(option, value) => option.ref === value.ref}
        getOptionDisabled={team => !team.usable}
        onChange={(_event, team) => onChange(team?.ref)}
        renderInput={params => (
          <TextField
            {...params}
            label={schema.title ?? 'Team'}
            required={required}
            // A flagged team is said in words: the theme's error red is
            // too faint on white for small text.
            error={rawErrors?.length > 0}
            helperText={helperText}
            variant="outlined"
          />
        )}
      />
    </FormControl>
  );
}

export const validateLineageTeam: CustomFieldValidator<string> = (
  value,
  validation,
) => {
  if (value && !isGroupRef(value)) {
    validation.addError(
      `Team must be a group entity ref such as group:default/team-payments, got "${value}".`,
    );
  }
};
