import type { StaffRole } from '../schema';

export interface DemoAccount {
  username: string;
  password: string;
  role: StaffRole;
  displayName: string;
}

/** The demo dealer's sign-ins, for the README, the login screen's hint and tests. Demo data only. */
export const DEMO_CREDENTIALS: readonly DemoAccount[] = [
  { username: 'admin', password: 'admin123', role: 'admin', displayName: '系统管理员' },
  { username: 'supervisor', password: 'super123', role: 'supervisor', displayName: '李主管' },
  { username: 'agent1', password: 'agent123', role: 'agent', displayName: '陈晓敏' },
  { username: 'agent2', password: 'agent123', role: 'agent', displayName: '黄嘉怡' },
  { username: 'agent3', password: 'agent123', role: 'agent', displayName: '张伟明' },
  { username: 'agent4', password: 'agent123', role: 'agent', displayName: '林思琪' },
  { username: 'agent5', password: 'agent123', role: 'agent', displayName: '梁文杰' },
  { username: 'agent6', password: 'agent123', role: 'agent', displayName: '吴雨婷' },
];

export const DEMO_DEALER = {
  code: 'DEMO-GZ01',
  name: '广州花城本田汽车销售服务店',
  brand: 'Honda',
  city: '广州',
  phone: '020-38886666',
  address: '广州市白云区机场路 1688 号',
  /** The SMS signature: 【花城本田】, as carriers register it. */
  short_name: '花城本田',
} as const;
