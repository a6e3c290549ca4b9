import type { Entity } from '@backstage/catalog-model';
import { identityApiRef } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import type { FieldValidation } from '@rjsf/utils';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { SWRConfig } from 'swr';
import { permissionApi } from '../../testing/permissions';
import { LineageTeamPicker, validateLineageTeam } from './LineageTeamPicker';

function group(
  name: string,
  extra: { metadata?: Record<string, string>; spec?: object } = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default', ...extra.metadata },
    spec: { type: 'team', children: [], ...extra.spec },
  };
}

const groups = [
  group('team-analytics', { metadata: { title: 'Analytics' } }),
  group('team-orders', { metadata: { title: 'Orders' } }),
  group('team-payments', {
    metadata: { title: 'Payments' },
    spec: { profile: { displayName: 'Payments & Billing' } },
  }),
  group('platform'),
];

async function renderPicker(options: {
  anyOwner: boolean;
  memberOf: string[];
  formData?: string;
}) {
  const onChange = jest.fn();
  const props = {
    name: 'owner',
    schema: { title: 'Team' },
    uiSchema: {},
    idSchema: { $id: 'root_owner' },
    formData: options.formData,
    formContext: { formData: {} },
    onChange,
    onBlur: jest.fn(),
    onFocus: jest.fn(),
    rawErrors: [],
    disabled: false,
    readonly: false,
    required: true,
    registry: {},
  } as unknown as FieldExtensionComponentProps<string>;
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [catalogApiRef, catalogApiMock({ entities: groups })],
        [
          identityApiRef,
          mockApis.identity({
            userEntityRef: 'user:default/guest',
            ownershipEntityRefs: ['user:default/guest', ...options.memberOf],
          }),
        ],
        [permissionApiRef, permissionApi(options.anyOwner)],
      ]}
    >
      {/* A fresh permission-decision cache for each test. */}
      <SWRConfig value={{ provider: () => new Map() }}>
        <LineageTeamPicker {...props} />
      </SWRConfig>
    </TestApiProvider>,
  );
  return { onChange };
}

async function optionTexts() {
  fireEvent.mouseDown(screen.getByRole('textbox', { name: /Team/ }));
  return (await screen.findAllByRole('option')).map(o => o.textContent);
}

describe('LineageTeamPicker', () => {
  it("offers the user's own teams by display name and stores the entity ref", async () => {
    const { onChange } = await renderPicker({
      anyOwner: false,
      memberOf: ['group:default/team-payments', 'group:default/team-analytics'],
    });
    expect(await optionTexts()).toEqual(['Analytics', 'Payments & Billing']);
    fireEvent.click(screen.getByRole('option', { name: 'Analytics' }));
    expect(onChange).toHaveBeenLastCalledWith('group:default/team-analytics');
  });

  it('offers every group to a platform administrator', async () => {
    await renderPicker({ anyOwner: true, memberOf: [] });
    expect(await optionTexts()).toEqual([
      'Analytics',
      'Orders',
      'Payments & Billing',
      'platform',
    ]);
  });

  it('shows the chosen team by name, not by ref', async () => {
    await renderPicker({
      anyOwner: false,
      memberOf: ['group:default/team-analytics'],
      formData: 'group:default/team-analytics',
    });
    const input = screen.getByRole('textbox', { name: /Team/ });
    expect(await screen.findByDisplayValue('Analytics')).toBe(input);
    expect(screen.queryByDisplayValue(/group:default/)).toBeNull();
  });

  it("flags a pre-filled team that is not the user's", async () => {
    await renderPicker({
      anyOwner: false,
      memberOf: ['group:default/team-analytics'],
      formData: 'group:default/team-orders',
    });
    // Busy until the foreign team is known, not only the user's own teams.
    const busy = () =>
      document.querySelector('[aria-busy]')?.getAttribute('aria-busy');
    await waitFor(() => expect(busy()).toBe('false'));
    expect(screen.getByDisplayValue('Orders')).toBeInTheDocument();
    expect(
      screen.getByText(/You are not a member of Orders/),
    ).toBeInTheDocument();
  });

  it('says what to do when the user belongs to no team', async () => {
    await renderPicker({ anyOwner: false, memberOf: [] });
    expect(
      await screen.findByText(/You belong to no team in the catalog/),
    ).toBeInTheDocument();
  });
});

describe('validateLineageTeam', () => {
  it('accepts a group ref and refuses anything else', () => {
    const errors: string[] = [];
    const validation = {
      addError: (message: string) => errors.push(message),
    } as unknown as FieldValidation;
    validateLineageTeam('group:default/team-orders', validation, {} as never);
    expect(errors).toEqual([]);
    validateLineageTeam('user:default/guest', validation, {} as never);
    expect(errors).toEqual([
      'Team must be a group entity ref such as group:default/team-payments, got "user:default/guest".',
    ]);
  });
});
