/** DescribeAcls request (filter), every version's fields; codes as Kafka's enums. */
export interface DescribeAclsRequest {
  readonly resourceType: number;
  readonly resourceName: string | null;
  /** v1+; v0 filters literal patterns only. */
  readonly patternType: number;
  readonly principal: string | null;
  readonly host: string | null;
  readonly operation: number;
  readonly permissionType: number;
}

/** One ACL of a described resource. */
export interface DescribedAcl {
  readonly principal: string;
  readonly host: string;
  readonly operation: number;
  readonly permissionType: number;
}

/** DescribeAcls response, every version's fields. */
export interface DescribeAclsResponse {
  readonly throttleTimeMs: number;
  readonly errorCode: number;
  readonly errorMessage: string | null;
  readonly resources: readonly {
    readonly resourceType: number;
    readonly resourceName: string;
    /** v1+ */
    readonly patternType: number;
    readonly acls: readonly DescribedAcl[];
  }[];
}
