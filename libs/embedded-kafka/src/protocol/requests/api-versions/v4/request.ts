/**
 * ApiVersions Request (Version: 4) => client_software_name client_software_version TAG_BUFFER
 *   (same layout as v3; v4 only lets SupportedFeatures.MinVersion be 0, KAFKA-17011)
 */
export { decode } from '../v3/request';
