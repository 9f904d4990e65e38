/**
 * The navigation menu. Each entry names the channel its screen needs, and `canAccess` from the contract
 * decides visibility, so the menu and the host's role check can never disagree. New features add a line.
 */
import { TeamOutlined, UserOutlined } from '@ant-design/icons';
import type { ReactNode } from 'react';
import { canAccess, type RequestName, type Role } from '../../preload/contract';
import { FEATURES } from './features';
import { paths, type Route } from './router';

export interface NavItem {
  key: string;
  /** Full i18n key of the menu label. */
  label: string;
  icon: ReactNode;
  order: number;
  href: string;
  channel: RequestName;
  matches(route: Route): boolean;
}

export const NAV_ITEMS: readonly NavItem[] = [
  {
    key: 'customers',
    label: 'nav.customers',
    icon: <UserOutlined />,
    order: 10,
    href: paths.customers,
    channel: 'customers.search',
    matches: (r) => r.name === 'customers' || r.name === 'customer',
  },
  {
    key: 'staff',
    label: 'nav.staff',
    icon: <TeamOutlined />,
    order: 90,
    href: paths.staff,
    channel: 'staff.list',
    matches: (r) => r.name === 'staff',
  },
];

const FEATURE_ITEMS: readonly NavItem[] = FEATURES.flatMap((f) =>
  f.nav
    ? [
        {
          key: f.key,
          label: `${f.key}.nav`,
          icon: f.nav.icon,
          order: f.nav.order,
          href: `#/${f.key}`,
          channel: f.channel,
          matches: (r: Route) => r.name === 'unknown' && (r.path === `/${f.key}` || r.path.startsWith(`/${f.key}/`)),
        },
      ]
    : [],
);

export function navFor(role: Role | null): NavItem[] {
  return [...NAV_ITEMS, ...FEATURE_ITEMS].filter((item) => canAccess(item.channel, role)).sort((a, b) => a.order - b.order);
}
