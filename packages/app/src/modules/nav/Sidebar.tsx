import {
  Sidebar,
  SidebarDivider,
  SidebarGroup,
  SidebarItem,
  SidebarScrollWrapper,
  SidebarSpace,
} from '@backstage/core-components';
import { NavContentBlueprint } from '@backstage/plugin-app-react';
import { makeStyles } from '@material-ui/core/styles';
import MenuIcon from '@material-ui/icons/Menu';
import { UserSettingsSignInAvatar } from '@backstage/plugin-user-settings';
import { SidebarLogo } from './SidebarLogo';

const useStyles = makeStyles({
  // Two-word titles ("DynamoDB lineage") wrap instead of being cut to
  // "DynamoDB lin…" by the item's fixed label width.
  wrapLabels: {
    '& [class*="BackstageSidebarItem-label"]': {
      whiteSpace: 'normal',
      lineHeight: 1.2,
    },
  },
});

function LabelsThatWrap(props: { children: JSX.Element }) {
  return <div className={useStyles().wrapLabels}>{props.children}</div>;
}

export const SidebarContent = NavContentBlueprint.make({
  params: {
    component: ({ navItems }) => {
      const nav = navItems.withComponent(item => (
        <SidebarItem icon={() => item.icon} to={item.href} text={item.title} />
      ));

      return (
        <LabelsThatWrap>
          <Sidebar>
            <SidebarLogo />
            <SidebarGroup label="Menu" icon={<MenuIcon />}>
              {nav.take('page:catalog')}
              {nav.take('page:scaffolder')}
              {nav.take('page:dynamodb-lineage')}
              <SidebarDivider />
              <SidebarScrollWrapper>
                {nav.rest({ sortBy: 'title' })}
              </SidebarScrollWrapper>
            </SidebarGroup>
            <SidebarSpace />
            <SidebarDivider />
            <SidebarGroup
              label="Settings"
              icon={<UserSettingsSignInAvatar />}
              to="/settings"
            >
              {nav.take('page:user-settings')}
            </SidebarGroup>
          </Sidebar>
        </LabelsThatWrap>
      );
    },
  },
});
