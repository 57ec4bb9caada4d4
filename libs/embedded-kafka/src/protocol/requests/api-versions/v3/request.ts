/**
 * ApiVersions Request (Version: 3) => client_software_name client_software_version TAG_BUFFER
 *   client_software_name => COMPACT_STRING
 *   client_software_version => COMPACT_STRING
 *
 * The first flexible version (request header v2; the response header stays v0).
 */
import type { Decoder } from '../../../decoder';
import type { ApiVersionsRequest } from '../types';

export function decode(d: Decoder): ApiVersionsRequest {
  const clientSoftwareName = d.readCompactString();
  const clientSoftwareVersion = d.readCompactString();
  d.readTaggedFields();
  return { clientSoftwareName, clientSoftwareVersion };
}
