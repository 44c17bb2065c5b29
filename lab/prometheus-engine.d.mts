// Types for prometheus-engine.mjs.

export declare const PROMETHEUS_BINARY: string;
export declare const ALERTMANAGER_BINARY: string;
/** The lab's rule file: `HighErrorRate` (severity=critical) when `opsdeck_lab_error_ratio > 0.5`, evaluated every second. */
export declare const RULES_YAML: string;

/** What a scenario of the exporter serves (each value kept until set again). */
export interface ScenarioValues {
  /** opsdeck_lab_error_ratio, and the share of requests counted in opsdeck_lab_errors_total. Default 0. */
  errorRatio?: number;
  /** How fast opsdeck_lab_requests_total grows. Default 10. */
  requestsPerSecond?: number;
  /** Every request's latency in opsdeck_lab_request_duration_seconds (histogram, buckets 0.05 .. 2.5). Default 0.08. */
  latencySeconds?: number;
}

/** Installs prometheus and prometheus-alertmanager (lab/apt-install.sh, log in dir) when a binary is missing; true when it did. */
export declare function installPrometheusPackages(dir: string): Promise<boolean>;

export interface TestExporter {
  /** http://127.0.0.1:PORT (GET /metrics, PUT /scenarios/NAME). */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export declare function startTestExporter(port?: number): Promise<TestExporter>;

/** PUT the values of one scenario (label `scenario`) on an exporter, from any process. */
export declare function setScenario(exporterUrl: string, scenario: string, values: ScenarioValues): Promise<void>;

export interface PrometheusLab {
  /** Configuration, rules, data, logs and pid files. */
  readonly dir: string;
  readonly exporterUrl: string;
  /** http://127.0.0.1:PORT */
  readonly prometheusUrl: string;
  /** http://127.0.0.1:PORT; absent when started with `alertmanager: false`. */
  readonly alertmanagerUrl?: string;
  /** Milliseconds from the call to both servers answering /-/ready. */
  readonly startMs: number;
  pids(): { prometheus?: number; alertmanager?: number };
  setScenario(scenario: string, values: ScenarioValues): Promise<void>;
  /** SIGTERM by its pid (SIGKILL after 5 s); the port and data stay for startPrometheus(). */
  stopPrometheus(): Promise<void>;
  /** Start again on the same port and data directory; resolves once ready. */
  startPrometheus(): Promise<void>;
  stopAlertmanager(): Promise<void>;
  startAlertmanager(): Promise<void>;
  /** Stop both by their pids, close the exporter, delete the directory. */
  dispose(): Promise<void>;
}

export interface PrometheusLabOptions {
  /** Default true; false: Prometheus and the exporter only. */
  alertmanager?: boolean;
}

/**
 * The exporter, Prometheus (scrape and rule evaluation every 1 s) and Alertmanager (no clustering,
 * group_wait 1 s) on free loopback ports in a fresh temp directory. Throws with the log's tail
 * when one cannot start. A safety net stops them if this process exits before dispose().
 */
export declare function startPrometheusLab(options?: PrometheusLabOptions): Promise<PrometheusLab>;
