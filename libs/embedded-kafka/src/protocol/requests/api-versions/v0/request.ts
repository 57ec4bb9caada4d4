/**
 * ApiVersions Request (Version: 0) =>
 *   (empty body)
 */
import type { Decoder } from '../../../decoder';
import type { ApiVersionsRequest } from '../types';

export function decode(_decoder: Decoder): ApiVersionsRequest {
  return { clientSoftwareName: null, clientSoftwareVersion: null };
}
