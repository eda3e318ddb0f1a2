// The close codes are a contract between the server, the editors and host
// platforms: they are defined once, in @candyce/protocol.
export * from '@candyce/protocol/close-codes';
