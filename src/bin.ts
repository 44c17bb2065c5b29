import { main } from './cli/main';

main().catch((error: unknown) => {
  process.stderr.write(`opsdeck: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
