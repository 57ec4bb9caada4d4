import type { ApiDefinition } from '../protocol/api-definition';
import { alterConfigsApi } from '../protocol/requests/alter-configs';
import { createAclsApi } from '../protocol/requests/create-acls';
import { createPartitionsApi } from '../protocol/requests/create-partitions';
import { createTopicsApi } from '../protocol/requests/create-topics';
import { describeAclsApi } from '../protocol/requests/describe-acls';
import { deleteRecordsApi } from '../protocol/requests/delete-records';
import { deleteTopicsApi } from '../protocol/requests/delete-topics';
import { describeConfigsApi } from '../protocol/requests/describe-configs';
import { fetchApi } from '../protocol/requests/fetch';
import { initProducerIdApi } from '../protocol/requests/init-producer-id';
import { listOffsetsApi } from '../protocol/requests/list-offsets';
import { metadataApi } from '../protocol/requests/metadata';
import { produceApi } from '../protocol/requests/produce';
import { saslAuthenticateApi } from '../protocol/requests/sasl-authenticate';
import { saslHandshakeApi } from '../protocol/requests/sasl-handshake';

/**
 * The broker's own APIs (ApiVersions is registered separately because it reads
 * the registry; the group APIs come from the group-coordinator extension).
 */
export function coreApis(): ApiDefinition[] {
  return [
    produceApi,
    fetchApi,
    listOffsetsApi,
    metadataApi,
    createTopicsApi,
    deleteTopicsApi,
    deleteRecordsApi,
    initProducerIdApi,
    describeConfigsApi,
    alterConfigsApi,
    createPartitionsApi,
    saslHandshakeApi,
    saslAuthenticateApi,
    describeAclsApi,
    createAclsApi,
  ];
}
