/** A logger (debug/info/warn/error) that drops everything, for clients and services under test. */
export const silentLogger = { debug() {}, info() {}, warn() {}, error() {} };
