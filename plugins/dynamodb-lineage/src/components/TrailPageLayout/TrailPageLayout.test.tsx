import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { paymentsGroup, paymentsTrailEntity } from '../../testing/fixtures';
import { GroupPageLayout, TrailPageLayout } from './TrailPageLayout';

const cards = [
  { type: 'info' as const, element: <section>About</section> },
  { type: 'content' as const, element: <section>DynamoDB lineage</section> },
  { element: <section>Members</section> },
];

/** The cards' texts in document order. */
function order() {
  return screen
    .getAllByText(/^(About|DynamoDB lineage|Members)$/)
    .map(e => e.textContent);
}

describe('overview-tab layouts', () => {
  it("puts a group's profile above its content cards, which take the whole width", async () => {
    await renderInTestApp(
      <EntityProvider entity={paymentsGroup}>
        <GroupPageLayout cards={cards} />
      </EntityProvider>,
    );
    expect(order()).toEqual(['About', 'DynamoDB lineage', 'Members']);
    // One column: no grid shares a line between the lineage card and another.
    const lineage = screen.getByText('DynamoDB lineage');
    expect(lineage.parentElement).toBe(
      screen.getByText('Members').parentElement,
    );
    expect(lineage.parentElement).not.toBe(
      screen.getByText('About').parentElement,
    );
  });

  it("puts a trail's About below its scorecard", async () => {
    await renderInTestApp(
      <EntityProvider entity={paymentsTrailEntity}>
        <TrailPageLayout cards={cards} />
      </EntityProvider>,
    );
    expect(order()).toEqual(['DynamoDB lineage', 'Members', 'About']);
  });
});
