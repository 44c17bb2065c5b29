import { main } from './cli/main';

// `opsdeck status | head` closes the pipe early: that is the reader's choice, not a crash.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

main().catch((error: unknown) => {
  process.stderr.write(`opsdeck: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
