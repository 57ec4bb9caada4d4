/** One ACL to create; codes as Kafka's enums. */
export interface AclCreation {
  readonly resourceType: number;
  readonly resourceName: string;
  /** v1+; v0 creates literal patterns. */
  readonly patternType: number;
  readonly principal: string;
  readonly host: string;
  readonly operation: number;
  readonly permissionType: number;
}

/** CreateAcls request, every version's fields. */
export interface CreateAclsRequest {
  readonly creations: readonly AclCreation[];
}

/** CreateAcls response: one result per creation, in order. */
export interface CreateAclsResponse {
  readonly throttleTimeMs: number;
  readonly results: readonly { readonly errorCode: number; readonly errorMessage: string | null }[];
}
