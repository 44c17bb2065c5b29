import { Command, Option } from 'commander';
import packageJson from '../../package.json';
import { collect, loadConfigOrExit, type CommandRegistration, type GlobalOptions } from './cli-options';

/** Global options followed by a value (`--config FILE`); `--config=FILE` carries its own. */
const OPTIONS_WITH_VALUES = new Set(['--docker-host', '--engine', '--context', '--kubeconfig', '-n', '--namespace', '--config', '--playbooks']);

/**
 * True when the arguments (after node and the script) name no command and ask for no help: only
 * options and their values, so the cockpit opens. Its start then skips loading the commands'
 * code (src/cli/commands/all-commands.ts: the runner, journals, gate checks): anything else,
 * a word that might be a command included, loads them, so commander answers exactly as before.
 */
export function opensCockpit(args: readonly string[]): boolean {
  for (let index = 0; index < args.length; index += 1) {
    const token = args[index]!;
    if (token === '--' || token === '-h' || token === '--help' || !token.startsWith('-')) return false;
    if (OPTIONS_WITH_VALUES.has(token)) index += 1;
  }
  return true;
}

const ENGINE_FLAGS_HELP = `
Engines: --docker-host, --engine and --context name the engines to watch, replacing those of the
config file. -n, -A and --kubeconfig apply to every Kubernetes engine watched (configured or
named); without an engine flag and without a configured Kubernetes engine they watch the
kubeconfig's current context instead of the configured engines.
  opsdeck --context prod --context staging -n shop     two clusters, namespace shop
  opsdeck --engine local --engine k8s:prod -A          the local Docker beside a cluster
  KUBECONFIG=~/.kube/a:~/.kube/b opsdeck --context b   kubeconfig files merged as kubectl does`;

/** `opsdeck` opens the cockpit; `opsdeck status [--json]` is its headless twin; `commands` are the others (src/cli/commands/). */
export function buildProgram(commands: readonly CommandRegistration[]): Command {
  const program = new Command()
    .name('opsdeck')
    .description('A full-screen terminal cockpit for operators: services, resources, recent errors and gates, live.')
    .version(packageJson.version, '-V, --version')
    .addOption(
      new Option('--docker-host <url>', 'Docker engine: unix:///path, tcp://host:port or ssh://[user@]host[:port] (default: DOCKER_HOST or /var/run/docker.sock); repeatable')
        .argParser(collect)
        .default([], ''),
    )
    .addOption(
      new Option(
        '--engine <spec>',
        'engine to watch: docker[:URL], podman[:CONNECTION or URL], kubernetes[:CONTEXT] (k8s[:CONTEXT]), NAME=one of those, or a configured engine name; repeatable',
      )
        .argParser(collect)
        .default([], ''),
    )
    .addOption(
      new Option('--context <name>', 'Kubernetes context to watch (an engine named after it); repeatable: several contexts at once')
        .argParser(collect)
        .default([], ''),
    )
    .addOption(
      new Option('--kubeconfig <file>', 'kubeconfig file (or a path list, as KUBECONFIG) of the Kubernetes engines; repeatable (default: KUBECONFIG, then ~/.kube/config)')
        .argParser(collect)
        .default([], ''),
    )
    .option('-n, --namespace <namespace>', 'the namespace the Kubernetes engines watch (default: all namespaces, or the one configured)')
    .option('-A, --all-namespaces', 'Kubernetes engines watch every namespace, even one configured with a namespace')
    .option('--config <file>', 'configuration file (default: ./opsdeck.yaml, then ~/.config/opsdeck/opsdeck.yaml)')
    .option('--read-only', 'refuse every action that changes an engine (enforced by the adapters)')
    .option('--dry-run', 'actions show the exact call they would make (API request or argv) and send nothing')
    .addOption(new Option('--playbooks <dir>', 'one more playbook directory (after playbooks/ shipped, ./playbooks, ~/.config/opsdeck/playbooks); repeatable').argParser(collect).default([], ''))
    .option('--ascii', 'plain characters only: no box drawing, bars, sparklines or emoji')
    .addHelpText('after', ENGINE_FLAGS_HELP)
    .showHelpAfterError()
    .action(async (options: GlobalOptions) => {
      const config = await loadConfigOrExit(options);
      const { runCockpit } = await import('./run-cockpit');
      const code = await runCockpit({
        config,
        readOnly: options.readOnly ?? false,
        dryRun: options.dryRun ?? false,
        ascii: options.ascii ?? false,
        color: !process.env.NO_COLOR,
        playbooks: options.playbooks ?? [],
      });
      // The terminal is restored: leave now rather than wait for engine sockets to drain.
      process.exit(code);
    });

  program
    .command('status')
    .description('print the same snapshot as the cockpit (services, resources, alerts, errors of the last hour) and exit; exit code 1 when an engine is unreachable')
    .option('--json', 'machine-readable output')
    .action(async (commandOptions: { json?: boolean }) => {
      const options = program.opts<GlobalOptions>();
      const config = await loadConfigOrExit(options);
      const [{ collectStatusSnapshot }, { formatStatusText }] = await Promise.all([
        import('../runtime/status-snapshot'),
        import('./status-text'),
      ]);
      const snapshot = await collectStatusSnapshot({ config, readOnly: options.readOnly ?? false });
      process.stdout.write(
        commandOptions.json
          ? `${JSON.stringify(snapshot, null, 2)}\n`
          : formatStatusText(snapshot, { ascii: options.ascii ?? false, color: !process.env.NO_COLOR && !!process.stdout.isTTY }),
      );
      process.exitCode = snapshot.engines.some((engine) => engine.state !== 'connected') ? 1 : 0;
    });

  program
    .command('engines')
    .description('list the engines opsdeck watches (config, --docker-host, --engine, --context) and the podman connections it offers')
    .option('--json', 'machine-readable output')
    .action(async (commandOptions: { json?: boolean }) => {
      const options = program.opts<GlobalOptions>();
      const config = await loadConfigOrExit(options);
      const [{ listPodmanConnections }, { formatEnginesText }] = await Promise.all([import('../config/engine-selection'), import('./engines-text')]);
      const listing = { engines: config.engines, podmanConnections: listPodmanConnections() };
      process.stdout.write(commandOptions.json ? `${JSON.stringify(listing, null, 2)}\n` : formatEnginesText(listing));
    });
  for (const register of commands) register(program);
  return program;
}

export async function main(argv: string[] = process.argv): Promise<void> {
  const commands = opensCockpit(argv.slice(2)) ? [] : (await import('./commands/all-commands')).COMMANDS;
  await buildProgram(commands).parseAsync(argv);
}
