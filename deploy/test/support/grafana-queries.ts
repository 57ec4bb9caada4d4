/**
 * What Grafana sends to Prometheus for a dashboard: template variables resolved through the data source
 * (`label_values(selector, label)`), multi-value selections formatted as Grafana formats them for
 * Prometheus (regex-escaped, `(a|b)`), and `$__interval` / `$__rate_interval` replaced by durations.
 */
import type { PrometheusServer } from './prometheus-server';

/** One panel query. */
export interface PanelQuery {
  readonly dashboard: string;
  readonly panel: string;
  readonly refId: string;
  /** The query as written in the dashboard. */
  readonly raw: string;
}

/** Every target of every panel of a dashboard. */
export function panelQueries(file: string, dashboard: any): PanelQuery[] {
  return dashboard.panels.flatMap((p: any) =>
    (p.targets ?? []).map((t: any) => ({ dashboard: file, panel: p.title, refId: t.refId, raw: t.expr })),
  );
}

/**
 * Grafana's interval variables for a scrape interval and a panel interval (seconds):
 * `$__rate_interval` = max(`$__interval` + scrape interval, 4 × scrape interval).
 */
export function intervalVariables(scrapeSeconds: number, intervalSeconds: number): Record<string, string> {
  return {
    __interval: `${intervalSeconds}s`,
    __rate_interval: `${Math.max(intervalSeconds + scrapeSeconds, 4 * scrapeSeconds)}s`,
  };
}

const escapeRegex = (v: string): string => v.replace(/[\\^$*+?.()|[\]{}]/g, (c) => `\\\\${c}`);

/** A multi-value selection as Grafana writes it into a Prometheus query. */
export function formatMulti(values: readonly string[]): string {
  if (values.length === 0) throw new Error('a variable with no values cannot be substituted');
  return values.length === 1 ? escapeRegex(values[0]!) : `(${values.map(escapeRegex).join('|')})`;
}

/**
 * Replaces `$name`, `${name}` and `[[name]]` with the variable's value; an unknown variable is an error
 * (a typo would otherwise reach Prometheus as a literal and silently match nothing).
 */
export function substitute(expr: string, values: Readonly<Record<string, string>>): string {
  return expr.replace(/\$\{(\w+)(?::\w+)?\}|\$(\w+)|\[\[(\w+)\]\]/g, (m, a, b, c) => {
    const v = values[a ?? b ?? c];
    if (v === undefined) throw new Error(`unknown dashboard variable ${m} in ${expr}`);
    return v;
  });
}

/**
 * Resolves the dashboard's query variables in order (later ones may use earlier ones) through Prometheus's
 * label-values API over [startSec, endSec], as Grafana does with `refresh: on time range change`.
 * Returns every value found per variable (the "All" selection made of real values) and the formatted
 * substitutions.
 */
export async function resolveVariables(
  dashboard: any,
  prom: PrometheusServer,
  fixed: Readonly<Record<string, string>>,
  startSec: number,
  endSec: number,
): Promise<{ found: Record<string, string[]>; values: Record<string, string> }> {
  const found: Record<string, string[]> = {};
  const values: Record<string, string> = { ...fixed };
  for (const v of dashboard.templating.list) {
    if (v.type === 'datasource') {
      values[v.name] = 'prometheus';
      continue;
    }
    if (v.type !== 'query') throw new Error(`variable ${v.name}: type ${v.type} is not handled here`);
    const m = /^label_values\((.+),\s*(\w+)\)$/.exec(v.definition);
    if (!m) throw new Error(`variable ${v.name}: unsupported definition ${v.definition}`);
    const body = await prom.api(`/api/v1/label/${m[2]}/values`, {
      'match[]': substitute(m[1]!, values),
      start: String(startSec),
      end: String(endSec),
    });
    if (body.status !== 'success') throw new Error(`variable ${v.name}: ${body.error}`);
    found[v.name] = body.data;
    if (body.data.length > 0) values[v.name] = formatMulti(body.data);
  }
  return { found, values };
}
