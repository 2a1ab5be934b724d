export const TOOL = 'byok-offline';
export const TOOL_VERSION = '0.1.0';
