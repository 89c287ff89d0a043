// The API server's own handling of a custom resource before and after the mutating webhooks, as an engine stage.
import type { ApiServerStage } from "../engine/types.ts";
import { applyStructural, defaultAfterMutation } from "./structural.ts";
import type { CrdSchemas } from "./schemas.ts";

/** CRD pruning and defaulting for the kinds the schemas know; other kinds pass untouched. */
export function apiServerStage(schemas: CrdSchemas): ApiServerStage {
  return {
    received(resource) {
      const schema = schemas.forType(resource.apiVersion, resource.kind);
      return schema ? applyStructural(resource, schema) : { resource, changes: [] };
    },
    afterMutation(resource) {
      const schema = schemas.forType(resource.apiVersion, resource.kind);
      return schema ? defaultAfterMutation(resource, schema) : { resource, changes: [] };
    },
  };
}
