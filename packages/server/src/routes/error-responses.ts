import { ErrorResponseSchema } from '../wire-schemas.js';

/** The error statuses every `/api` route may answer with, for the OpenAPI document. */
export const apiErrorResponses = {
  401: ErrorResponseSchema,
  404: ErrorResponseSchema,
  422: ErrorResponseSchema,
} as const;
