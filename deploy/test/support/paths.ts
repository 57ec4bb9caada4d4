import path from 'node:path';

/** Repository root (two levels above deploy/test/support). */
export const REPO_ROOT = path.resolve(__dirname, '../../..');
/** The deploy package. */
export const DEPLOY_DIR = path.join(REPO_ROOT, 'deploy');
export const CHART_DIR = path.join(DEPLOY_DIR, 'helm/gmart');
export const ALL_FEATURES_VALUES = path.join(CHART_DIR, 'ci/all-features-values.yaml');
export const PROMETHEUS_DIR = path.join(DEPLOY_DIR, 'prometheus');
export const DASHBOARDS_DIR = path.join(DEPLOY_DIR, 'grafana/dashboards');
export const TOPICS_FILE = path.join(DEPLOY_DIR, 'topics.yaml');
export const COMPOSE_FILE = path.join(REPO_ROOT, 'docker-compose.yml');
export const DOCKERFILE = path.join(REPO_ROOT, 'Dockerfile');
export const PROMTOOL = process.env.PROMTOOL ?? '/usr/bin/promtool';
