// @candyce/embed — embedding Candyce in a host platform. This file lists the
// public API for Node (a host's backend). Browsers import the subpaths
// `@candyce/embed/contract`, `/app-agent` (the player's side),
// `/mp-agent` (the host's side) and `/player-url`.

export {
  type Access,
  accessOf,
  agreedContracts,
  type ContractId,
  formatContractId,
  isMode,
  isTheme,
  isWorkflow,
  type Mode,
  methods,
  parseContractId,
  playerContracts,
  readDeclaration,
  serviceId,
  type Theme,
  type Workflow,
} from './contract.js';
export { createHostServer, type HostServer, type HostServerOptions } from './host-server.js';
export { type HostSession, type HostVisit, sessionOf } from './host-session.js';
export { type PlayerParams, playerUrl, readPlayerParams } from './player-url.js';
export { mintToken, type Role, type TokenClaims } from './tokens.js';
