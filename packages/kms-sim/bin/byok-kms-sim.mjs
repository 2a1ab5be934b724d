#!/usr/bin/env node
// Committed, so that npm links it on the first install, before the build has written dist/.
import { launchCli } from '@byok-ceremony/node-io/launch-cli';

const { runAsProcess } = await launchCli('byok-kms-sim', import.meta.url);
runAsProcess();
