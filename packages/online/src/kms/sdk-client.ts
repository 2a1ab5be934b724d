// The AWS SDK's client and the port over it, as one module that createKmsClient loads on demand
// (an ES module: a bundled dynamic import() of the CommonJS SDK itself would give only a default).
export { KMSClient } from '@aws-sdk/client-kms';
export { sdkKmsPort } from './sdk-kms-port.js';
