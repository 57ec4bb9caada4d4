export * from './serde';
export * from './serdes';
