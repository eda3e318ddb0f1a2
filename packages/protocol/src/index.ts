// The public API of @candyce/protocol: what the browser and the server must
// agree on, defined once. Isomorphic: no DOM and no Node-only API.

export type { CloseCode } from './close-codes.js';
export * as closeCodes from './close-codes.js';
export { type ErrorBody, errorCodeOfStatus, readErrorBody } from './errors.js';
export {
  type HostActNotice,
  type HostKernelState,
  type HostState,
  hostBeatMs,
  hostLeaseMs,
  hostMarginMs,
  type InputAnswer,
  type InputAsk,
  type KernelAct,
  type KernelPresence,
  kernelField,
  type LostReason,
  maxCellsPerRequest,
  maxInputChars,
  maxRequests,
  maxShownQueue,
  type RunAsk,
  readHostState,
  readKernelPresence,
  readServerKernel,
  readServerSideKernel,
  type ServerKernel,
  type ServerSideKernel,
  serverField,
} from './kernel-host.js';
export { HostArbiter, HostLease, type Volunteer } from './kernel-lease.js';
export { browserKernels, type KernelCatalogBody, type KernelLocation, type KernelOffer } from './kernels.js';
export { isLang, type Lang, langFrom, langOfAcceptLanguage, langs } from './lang.js';
export { fillPlaceholders, type MessageParams, type Messages, messagesOf } from './messages.js';
export { isRole, type Role, roles } from './roles.js';
export { maxRoomNameLength, roomNameProblem } from './room-name.js';
export { mintProblem, readTokenClaims, type TokenClaims } from './token-claims.js';
