export { type ErrorCode, exitCodes, isLabError, LabError } from "../runtime/errors.ts";
