#!/usr/bin/env node
import { collectBeforeGrowing } from './heap-growth.js';
import { processDeps } from './deps.js';
import { main } from './run.js';

collectBeforeGrowing();
// The pinned SDK warns on Node 20 about future releases; operators must not read it as a ceremony problem.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
process.exitCode = await main(process.argv.slice(2), processDeps());
