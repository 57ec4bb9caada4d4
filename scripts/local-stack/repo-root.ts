import * as path from 'node:path';

/** Root of the monorepo (where package.json with the workspaces lives). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** Node arguments that run a TypeScript file of the workspace without a build. */
export const TS_NODE_ARGS: readonly string[] = ['--conditions=@gmart/source', '-r', '@swc-node/register'];
