/**
 * Runs a health agent: `npx tsx tools/health-agent/cli.ts --config agent.json`.
 * Reloads the configuration on SIGHUP (and when the file changes); stops cleanly on SIGINT/SIGTERM.
 */
import { readFileSync, watchFile } from 'node:fs';
import { createHealthAgent } from './agent';
import { agentConfigSchema, type AgentConfigInput } from './protocol';

function readConfig(file: string): AgentConfigInput {
  const parsed = agentConfigSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`Invalid config ${file}:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const at = args.indexOf('--config');
  const file = at >= 0 ? args[at + 1] : undefined;
  if (!file) {
    console.error('usage: health-agent --config agent.json');
    process.exit(2);
  }
  const agent = createHealthAgent(readConfig(file));
  const { url } = await agent.start();
  console.log(`health agent listening on ${url} (GET /health, GET /events, POST /alarms)`);
  const reload = () => {
    try {
      agent.reload(readConfig(file));
      console.log(`configuration reloaded from ${file}`);
    } catch (error) {
      console.error(error instanceof Error ? error.message : error);
    }
  };
  process.on('SIGHUP', reload);
  watchFile(file, { interval: 2_000 }, reload);
  const stop = async () => {
    await agent.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
