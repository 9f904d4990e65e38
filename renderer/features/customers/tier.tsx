import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CustomerHit } from '../../../preload/contract';

type MemberTier = NonNullable<CustomerHit['memberTier']>;

const COLORS: Record<MemberTier, string> = { standard: 'blue', silver: 'default', gold: 'gold', platinum: 'purple' };

export function TierTag({ tier }: { tier: MemberTier | null }) {
  const { t } = useTranslation();
  if (!tier) return null;
  return <Tag color={COLORS[tier]}>{t(`tiers.${tier}`)}</Tag>;
}
