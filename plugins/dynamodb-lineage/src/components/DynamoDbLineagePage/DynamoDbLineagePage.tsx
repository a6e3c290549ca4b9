import { Content, Header, Page } from '@backstage/core-components';
import { DynamoDbLineageOverview } from './DynamoDbLineageOverview';

/**
 * The overview page with its own header, for the legacy frontend system
 * (the new system draws the page header itself).
 *
 * @public
 */
export function DynamoDbLineagePage() {
  return (
    <Page themeId="tool">
      <Header
        title="DynamoDB lineage"
        subtitle="Which teams record who reads and writes their DynamoDB tables"
      />
      <Content>
        <DynamoDbLineageOverview />
      </Content>
    </Page>
  );
}
