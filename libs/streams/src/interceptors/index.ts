export * from './consumer-interceptor';
export * from './producer-interceptor';
export * from './logging-interceptors';
export * from './metrics-interceptors';
