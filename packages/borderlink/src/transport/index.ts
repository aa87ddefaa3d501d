export type { StreamedResponse, StreamRequest, Transport, TransportRequest, TransportResponse } from './types';
export { httpTransport } from './http';
export type { HttpTlsOptions, HttpTransportOptions } from './http';
