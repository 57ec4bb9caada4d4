/**
 * Turns the compose Prometheus configuration (deploy/prometheus/prometheus.yml) into one that scrapes the
 * same jobs on this machine: every `host:port` target of a compose service becomes the local address of that
 * process, so the job names, labels, `honor_labels` and metrics paths the dashboards and alert rules rely on
 * are the ones compose ships, not a copy written for the test.
 */
import { stringify } from 'yaml';

/** Where the compose targets run locally. */
export interface LocalTargets {
  /** Compose service name (`masking`, `kafka-exporter`, ...) to the local `host:port` serving its metrics. */
  readonly byComposeService: Record<string, string>;
}

/** How the local configuration differs from the compose one. */
export interface LocalScrapeOptions {
  readonly scrapeInterval: string;
  readonly evaluationInterval: string;
  /** Absolute rule file globs (compose's are relative to /etc/prometheus). */
  readonly ruleFiles: readonly string[];
  /** Jobs to leave out, with the reason (e.g. Prometheus scraping itself). */
  readonly skipJobs: Readonly<Record<string, string>>;
}

/** The generated configuration, and the compose targets that have no local process (with the reason). */
export interface LocalScrapeConfig {
  readonly yaml: string;
  readonly jobs: string[];
  readonly skipped: string[];
}

interface ScrapeConfig {
  job_name: string;
  static_configs?: { targets: string[]; labels?: Record<string, string> }[];
  dns_sd_configs?: { names: string[]; port: number }[];
  relabel_configs?: { source_labels?: string[]; target_label?: string; replacement?: string }[];
  [key: string]: unknown;
}

/**
 * Maps the compose scrape jobs onto local processes. Static targets must all be known locally (an unknown
 * compose host is an error, so a service added to compose without being started here is noticed);
 * DNS-discovered targets (the `later` profile) become static targets for the names that run locally, with
 * the `service` label their relabelling would give, and are skipped otherwise.
 */
export function localScrapeConfig(
  composeConfig: { scrape_configs: ScrapeConfig[]; [key: string]: unknown },
  targets: LocalTargets,
  options: LocalScrapeOptions,
): LocalScrapeConfig {
  const skipped: string[] = [];
  const scrapeConfigs: ScrapeConfig[] = [];
  const local = (target: string, job: string): string => {
    const host = target.replace(/:\d+$/, '');
    const address = targets.byComposeService[host];
    if (!address) throw new Error(`job "${job}": no local process for compose target "${target}"`);
    return address;
  };
  for (const job of composeConfig.scrape_configs) {
    if (job.job_name in options.skipJobs) {
      skipped.push(`${job.job_name}: ${options.skipJobs[job.job_name]}`);
      continue;
    }
    const { static_configs, dns_sd_configs, relabel_configs, ...rest } = job;
    const statics = (static_configs ?? []).map((s) => ({
      ...s,
      targets: s.targets.map((t) => local(t, job.job_name)),
    }));
    for (const sd of dns_sd_configs ?? []) {
      for (const name of sd.names) {
        const address = targets.byComposeService[name];
        if (address) statics.push({ targets: [address], labels: { service: name } });
        else skipped.push(`${job.job_name}/${name}: not running locally (compose profile "later")`);
      }
    }
    if (statics.length === 0) continue;
    // Relabelling on DNS meta labels has nothing to read once targets are static; the rest is kept
    // (e.g. the `job` rewrite that folds the later services into job "gmart").
    const keptRelabel = (relabel_configs ?? []).filter(
      (r) => !(r.source_labels ?? []).some((l) => l.startsWith('__meta_dns')),
    );
    scrapeConfigs.push({
      ...rest,
      static_configs: statics,
      ...(keptRelabel.length ? { relabel_configs: keptRelabel } : {}),
    });
  }
  const { global, ...others } = composeConfig as { global?: Record<string, unknown> };
  const config = {
    ...others,
    global: {
      ...(global ?? {}),
      scrape_interval: options.scrapeInterval,
      evaluation_interval: options.evaluationInterval,
      external_labels: { environment: 'local-test' },
    },
    rule_files: [...options.ruleFiles],
    scrape_configs: scrapeConfigs,
  };
  return { yaml: stringify(config), jobs: scrapeConfigs.map((j) => j.job_name), skipped };
}
