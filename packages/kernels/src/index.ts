// @candyce/kernels — running cells: the KernelGateway interface, the writer
// that turns kernel messages into edits of the shared document, the
// execution queue, and the Pyodide and Jupyter gateways. This file is the
// public API at a glance; Node-only helpers are in `@candyce/kernels/node`.

export { type CellRun, type ExecuteCellOptions, executeCell } from './execute-cell.js';
export { executeMessages } from './execute-messages.js';
export { createExecutionQueue, type ExecutionQueue, type ExecutionQueueOptions } from './execution-queue.js';
export type {
  CompleteReply,
  ExecuteOptions,
  ExecuteReply,
  InspectReply,
  KernelGateway,
  KernelInfo,
  KernelSession,
  KernelSpecSummary,
  StartOptions,
  WorkingFile,
} from './gateway.js';
export { type JupyterGatewayOptions, jupyterGateway } from './jupyter-gateway.js';
export type { SocketEvent, WebSocketConstructor, WebSocketLike } from './jupyter-wire.js';
export { KernelError, type KernelNotice } from './kernel-notice.js';
export { englishTexts, frenchTexts, type KernelTexts } from './kernel-texts.js';
export { kernelLocationOf, kernelNameOf } from './kernelspec.js';
export { type LazyKernelOptions, lazyKernel } from './lazy-kernel.js';
export {
  type Channel,
  type ClearOutputContent,
  createMessage,
  type DisplayDataContent,
  type ErrorContent,
  type ExecuteInputContent,
  type ExecuteReplyContent,
  type ExecuteResultContent,
  type ExecutionMessage,
  type InputRequestContent,
  type KernelMessage,
  type KernelStatus,
  type MessageAuthor,
  type MessageHeader,
  newMessageId,
  protocolVersion,
  type StatusContent,
  type StreamContent,
} from './messages.js';
export { defaultOutputLimits, type OutputLimits } from './output-limits.js';
export { createOutputWriter, type OutputWriter, type OutputWriterOptions } from './output-writer.js';
export { type PyodideGatewayOptions, pyodideGateway } from './pyodide-gateway.js';
export {
  englishSqlTexts,
  formatSqlResult,
  frenchSqlTexts,
  type SqlResult,
  type SqlTexts,
} from './sql-format.js';
export { classicWorker, type SqlGatewayOptions, sqlGateway } from './sql-gateway.js';
export { browserWorker, type WorkerFactory, type WorkerPort } from './worker-port.js';
