/**
 * The demo dealer's sales side as the DMS records it: six sales consultants (销售顾问) on the cars sold
 * here, and the sales teams the call center serves — two teams with their consultants and agents, and
 * one consultant (who has left) in no team, so 按销售团队分配 shows a skip reason on the demo too.
 */
import { Random, Weighted } from './random';

export const DEMO_CONSULTANTS = new Weighted<string>([
  ['何俊杰', 24], ['刘嘉欣', 20], ['周志强', 18], ['郑婉婷', 16], ['谢文博', 14], ['罗佩琪', 8],
]);

/** Team name, its consultants, and the usernames of the demo agents serving it. */
export const DEMO_SALES_TEAMS: readonly { name: string; consultants: readonly string[]; agents: readonly string[] }[] = [
  { name: '销售一组', consultants: ['何俊杰', '刘嘉欣', '周志强'], agents: ['agent1', 'agent2'] },
  { name: '销售二组', consultants: ['郑婉婷', '谢文博'], agents: ['agent3'] },
];

/**
 * The consultant of a car sold here (a few sales were never recorded with one), from a generator of its
 * own: drawing from the main one would change every customer generated after the first car.
 */
export function consultantFor(rng: Random, purchasedHere: boolean): string | null {
  if (!purchasedHere) return null;
  return rng.chance(0.95) ? DEMO_CONSULTANTS.pick(rng) : null;
}
