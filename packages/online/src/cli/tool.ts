export const TOOL = 'byok-online';
export const TOOL_VERSION = '0.1.0';
