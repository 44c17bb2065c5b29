// Demo / test workloads on a (private) Docker engine, made of real busybox containers. They run on
// a private Podman service too, through the same docker CLI on its Docker-compatible socket, with
// `init: false` (podman's --init needs catatonit, which is not installed).
// Plain ESM JavaScript (no dependencies) so both the TypeScript tests and scripts/demo.mjs use it.
// Types: stack.d.mts.
//
// Every container is labelled like Docker Compose would (com.docker.compose.project/service/
// container-number), is named <project>-<service>-1, uses `--network none` (there is no bridge)
// and the image local/busybox:latest imported by start-docker.sh.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';

export const IMAGE = 'local/busybox:latest';
export const LABEL_PROJECT = 'com.docker.compose.project';
export const LABEL_SERVICE = 'com.docker.compose.service';
export const LABEL_NUMBER = 'com.docker.compose.container-number';
/** Extra label on everything created here (handy for cleanup and filtering). */
export const LABEL_OPSDECK = 'dev.opsdeck.test';

/** The docker CLI matching Debian's daemon (20.10, API 1.41) when present, else `docker` on PATH. */
export function defaultDockerCli() {
  return existsSync('/usr/bin/docker') ? '/usr/bin/docker' : 'docker';
}

/**
 * Run the docker CLI against dockerHost (argv array, no shell).
 * @param {string} dockerHost e.g. unix:///tmp/od-x/docker.sock
 * @param {string[]} args
 * @param {{ docker?: string, timeoutMs?: number }} [opts]
 * @returns {Promise<string>} trimmed stdout
 */
export function dockerCli(dockerHost, args, opts = {}) {
  const env = { ...process.env, DOCKER_HOST: dockerHost };
  delete env.DOCKER_CONTEXT;
  delete env.DOCKER_TLS_VERIFY;
  delete env.DOCKER_CERT_PATH;
  const cli = opts.docker ?? defaultDockerCli();
  return new Promise((resolve, reject) => {
    execFile(
      cli,
      args,
      { env, timeout: opts.timeoutMs ?? 60_000, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err) {
          const e = new Error(`docker ${args.join(' ')} failed: ${String(stderr).trim() || err.message}`);
          /** @type {any} */ (e).cause = err;
          reject(e);
        } else resolve(String(stdout).trim());
      },
    );
  });
}

/**
 * The labels docker compose puts on a service's container (and ours, for the teardown).
 * @param {string} project
 * @param {string} service
 * @returns {string[]}
 */
export function composeLabels(project, service) {
  return [
    '--label', `${LABEL_PROJECT}=${project}`,
    '--label', `${LABEL_SERVICE}=${service}`,
    '--label', `${LABEL_NUMBER}=1`,
    '--label', 'com.docker.compose.oneoff=False',
    '--label', `${LABEL_OPSDECK}=1`,
  ];
}

// ---- container programs (busybox sh) ----

const WEB_SH = `
echo "INFO web listening on :8080"
echo "INFO loaded 12 routes from /etc/web/routes.conf"
echo "INFO connected to api at http://api:9000"
echo "INFO ready in 412ms"
exec sleep 2147483647
`.trim();

// Varying lines so error fingerprinting sees one pattern with different numbers, ids and IPs.
// ERROR/WARN go to stderr, INFO to stdout (both show in `docker logs`).
const API_SH = `
echo "INFO api starting version=1.4.2"
echo "INFO pool size=10 target=db:5432"
i=0
while :; do
  i=$((i+1))
  ms=$((RANDOM % 900 + 100))
  case $((i % 10)) in
    0|3|6)
      rid=$(hexdump -n 16 -e '4/1 "%02x" "-" 2/1 "%02x" "-" 2/1 "%02x" "-" 2/1 "%02x" "-" 6/1 "%02x"' /dev/urandom)
      echo "ERROR Connection refused to 10.0.0.$((RANDOM % 8 + 1)):5432 request_id=$rid after \${ms}ms" >&2 ;;
    8)
      echo "ERROR upstream timeout calling payments order_id=$((RANDOM * 7 + i)) after $((ms * 4))ms" >&2 ;;
    4)
      echo "WARN slow query took \${ms}ms: SELECT * FROM orders WHERE customer_id = $((RANDOM % 9000 + 1000))" >&2 ;;
    *)
      echo "INFO GET /api/orders/$((RANDOM % 5000)) 200 $((ms / 10))ms" ;;
  esac
  sleep 0.2
done
`.trim();

const WORKER_SH = `
echo "INFO worker starting, queue=amqp://queue:5672/jobs"
sleep 1
echo "FATAL cannot connect to queue amqp://queue:5672/jobs" >&2
exit 1
`.trim();

const BURNER_SH = 'while :; do :; done';

const DB_SH = `
echo "INFO database system is starting up"
echo "INFO listening on 0.0.0.0:5432"
exec sleep 2147483647
`.trim();

const IDLE_SH = 'exec sleep 2147483647';

/**
 * @param {string} service
 * @returns {string}
 */
function healthyServiceSh(service) {
  return `
echo "INFO ${service} starting"
echo "INFO ${service} ready"
exec sleep 2147483647
`.trim();
}

/** Services of the demo stack, in creation order. */
export const DEMO_SERVICES = /** @type {const} */ (['web', 'api', 'worker', 'burner', 'db']);

/** `--init` unless turned off (`init: false`, for Podman). */
const initFlag = (/** @type {{ init?: boolean }} */ opts) => (opts.init === false ? [] : ['--init']);

/**
 * docker run argv (after `run -d`) for one demo service.
 * @param {string} project
 * @param {string} svc
 * @param {{ burnerCpus?: number | null, init?: boolean }} opts
 * @returns {string[]}
 */
function demoServiceArgs(project, svc, opts) {
  const common = ['--name', `${project}-${svc}-1`, '--network', 'none', ...initFlag(opts), ...composeLabels(project, svc)];
  switch (svc) {
    case 'web':
      return [...common, '--health-cmd', 'true', '--health-interval', '1s', IMAGE, 'sh', '-c', WEB_SH];
    case 'api':
      return [...common, IMAGE, 'sh', '-c', API_SH];
    case 'worker':
      return [...common, '--restart', 'always', IMAGE, 'sh', '-c', WORKER_SH];
    case 'burner': {
      const cpus = opts.burnerCpus === undefined ? 0.5 : opts.burnerCpus;
      const limit = cpus == null ? [] : ['--cpus', String(cpus)];
      return [...common, ...limit, IMAGE, 'sh', '-c', BURNER_SH];
    }
    case 'db':
      return [
        ...common,
        '--health-cmd', 'false', '--health-interval', '1s', '--health-retries', '1',
        IMAGE, 'sh', '-c', DB_SH,
      ];
    default:
      throw new Error(`unknown demo service ${svc}`);
  }
}

/**
 * Poll until `check()` returns true (or throw after timeoutMs).
 * @param {() => Promise<boolean>} check
 * @param {number} timeoutMs
 * @param {string} what
 */
async function waitFor(check, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Health status of a container ('starting' | 'healthy' | 'unhealthy' | '' when it has no healthcheck).
 * @param {string} dockerHost
 * @param {string} nameOrId
 * @param {{ docker?: string }} [opts]
 */
export async function healthStatus(dockerHost, nameOrId, opts = {}) {
  return dockerCli(
    dockerHost,
    ['inspect', '-f', '{{if .State.Health}}{{.State.Health.Status}}{{end}}', nameOrId],
    opts,
  );
}

/**
 * Start the demo stack: web (healthy), api (noisy ERROR/WARN/INFO logs), worker (crash loop,
 * restart always), burner (CPU burner, capped at `burnerCpus`, default 0.5 CPU; null = no cap)
 * and db (unhealthy). Existing containers of the same project are removed first.
 * With `wait` (default true) it resolves once web is healthy and db is unhealthy.
 * @param {string} dockerHost
 * @param {{ project?: string, docker?: string, burnerCpus?: number | null, wait?: boolean, waitTimeoutMs?: number, init?: boolean }} [options]
 * @returns {Promise<{ project: string, containers: Record<string, { name: string, id: string }> }>}
 */
export async function startDemoStack(dockerHost, options = {}) {
  const { project = 'shop', docker = defaultDockerCli(), wait = true, waitTimeoutMs = 20_000 } = options;
  await removeStack(dockerHost, project, { docker });
  /** @type {Record<string, { name: string, id: string }>} */
  const containers = {};
  await Promise.all(
    DEMO_SERVICES.map(async (svc) => {
      const args = demoServiceArgs(project, svc, { burnerCpus: options.burnerCpus, init: options.init });
      const id = await dockerCli(dockerHost, ['run', '-d', ...args], { docker });
      containers[svc] = { name: `${project}-${svc}-1`, id };
    }),
  );
  if (wait) {
    await waitFor(
      async () =>
        (await healthStatus(dockerHost, `${project}-web-1`, { docker })) === 'healthy' &&
        (await healthStatus(dockerHost, `${project}-db-1`, { docker })) === 'unhealthy',
      waitTimeoutMs,
      `${project}: web healthy and db unhealthy`,
    );
  }
  return { project, containers };
}

/**
 * A small project of healthy, quiet services (e.g. a second project so grouping is visible).
 * @param {string} dockerHost
 * @param {{ project: string, services?: string[], docker?: string, wait?: boolean, waitTimeoutMs?: number, init?: boolean }} options
 * @returns {Promise<{ project: string, containers: Record<string, { name: string, id: string }> }>}
 */
export async function startHealthyProject(dockerHost, options) {
  const { project, services = ['invoices', 'payments'], docker = defaultDockerCli(), wait = true } = options;
  await removeStack(dockerHost, project, { docker });
  /** @type {Record<string, { name: string, id: string }>} */
  const containers = {};
  await Promise.all(
    services.map(async (svc) => {
      const name = `${project}-${svc}-1`;
      const id = await dockerCli(
        dockerHost,
        [
          'run', '-d', '--name', name, '--network', 'none', ...initFlag(options), ...composeLabels(project, svc),
          '--health-cmd', 'true', '--health-interval', '1s',
          IMAGE, 'sh', '-c', healthyServiceSh(svc),
        ],
        { docker },
      );
      containers[svc] = { name, id };
    }),
  );
  if (wait) {
    await waitFor(
      async () => {
        for (const c of Object.values(containers)) {
          if ((await healthStatus(dockerHost, c.id, { docker })) !== 'healthy') return false;
        }
        return true;
      },
      options.waitTimeoutMs ?? 20_000,
      `${project}: all services healthy`,
    );
  }
  return { project, containers };
}

/**
 * Remove (force, with anonymous volumes) every container labelled com.docker.compose.project=<project>.
 * @param {string} dockerHost
 * @param {string} project
 * @param {{ docker?: string }} [opts]
 * @returns {Promise<number>} how many containers were removed
 */
export async function removeStack(dockerHost, project, opts = {}) {
  const out = await dockerCli(
    dockerHost,
    ['ps', '-aq', '--no-trunc', '--filter', `label=${LABEL_PROJECT}=${project}`],
    opts,
  );
  const ids = out.split('\n').filter(Boolean);
  for (let i = 0; i < ids.length; i += 50) {
    await dockerCli(dockerHost, ['rm', '-f', '-v', ...ids.slice(i, i + 50)], { ...opts, timeoutMs: 120_000 });
  }
  return ids.length;
}

/**
 * Start `count` idle containers (sleep forever) for benchmarks: services svc-001, svc-002, …
 * in project `project`, named <project>-svc-NNN-1, started `concurrency` at a time.
 * @param {string} dockerHost
 * @param {{ project: string, count: number, concurrency?: number, docker?: string, startAt?: number }} options
 * @returns {Promise<{ project: string, containers: { name: string, id: string, service: string }[], ms: number }>}
 */
export async function startFiller(dockerHost, options) {
  const { project, count, concurrency = 4, docker = defaultDockerCli(), startAt = 1 } = options;
  const t0 = performance.now();
  /** @type {{ name: string, id: string, service: string }[]} */
  const containers = new Array(count);
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(concurrency, count)) }, async () => {
    while (next < count) {
      const i = next++;
      const service = `svc-${String(startAt + i).padStart(3, '0')}`;
      const name = `${project}-${service}-1`;
      const id = await dockerCli(
        dockerHost,
        ['run', '-d', '--name', name, '--network', 'none', '--init', ...composeLabels(project, service), IMAGE, 'sh', '-c', IDLE_SH],
        { docker },
      );
      containers[i] = { name, id, service };
    }
  });
  await Promise.all(workers);
  return { project, containers, ms: Math.round(performance.now() - t0) };
}
