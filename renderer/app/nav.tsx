/**
 * The navigation menu. Each entry names the channel its screen needs, and `canAccess` from the contract
 * decides visibility, so the menu and the host's role check can never disagree. New features add a line.
 */
import { TeamOutlined, UserOutlined } from '@ant-design/icons';
import type { ReactNode } from 'react';
import { canAccess, type RequestName, type Role } from '../../preload/contract';
import type { UiTexts } from './i18n/zh-CN';
import { paths, type Route } from './router';

export interface NavItem {
  key: string;
  label: keyof UiTexts['nav'];
  icon: ReactNode;
  href: string;
  channel: RequestName;
  matches(route: Route): boolean;
}

export const NAV_ITEMS: readonly NavItem[] = [
  {
    key: 'customers',
    label: 'customers',
    icon: <UserOutlined />,
    href: paths.customers,
    channel: 'customers.search',
    matches: (r) => r.name === 'customers' || r.name === 'customer',
  },
  {
    key: 'staff',
    label: 'staff',
    icon: <TeamOutlined />,
    href: paths.staff,
    channel: 'staff.list',
    matches: (r) => r.name === 'staff',
  },
];

export function navFor(role: Role | null): NavItem[] {
  return NAV_ITEMS.filter((item) => canAccess(item.channel, role));
}
